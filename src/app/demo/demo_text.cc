#include "app/demo/demo_text.h"

#include <array>
#include <string>

namespace civicgrid {

namespace {

// The most common surnames, the first ones more often (roughly their share of the population).
constexpr const char* kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
    "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
    "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康",
    "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "钱", "汤", "尹",
};

constexpr const char* kGivenChars[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "玉", "兰", "红",
    "海", "燕", "鹏", "飞", "宇", "浩", "晨", "欣", "怡", "佳", "婷", "雪", "梅", "琳", "晶",
    "鑫", "波", "斌", "宁", "凯", "峰", "俊", "婧", "颖", "倩", "璐", "博", "翔", "东", "亮",
    "志", "德", "春", "振", "永", "子", "思", "雨", "嘉", "子", "昊", "然", "梓", "轩", "一",
};

constexpr const char* kDurations[] = {
    "近一周", "已经三天", "多日来", "最近半个月", "一个多月来", "这两天", "连续几天", "近期",
};

constexpr const char* kMobilePrefixes[] = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
    "152", "155", "156", "157", "158", "159", "166", "173", "176", "177", "180",
    "181", "183", "185", "186", "187", "188", "189", "191", "198", "199",
};

const char* Surname(DemoRng& rng) {
  // Half the draws from the 10 most common surnames, the rest from all.
  const auto n = static_cast<std::uint32_t>(std::size(kSurnames));
  return kSurnames[rng.Chance(0.5) ? rng.Below(10) : rng.Below(n)];
}

}  // namespace

std::string DemoPersonName(DemoRng& rng) {
  std::string name = Surname(rng);
  const auto n = static_cast<std::uint32_t>(std::size(kGivenChars));
  name += kGivenChars[rng.Below(n)];
  if (rng.Chance(0.7)) name += kGivenChars[rng.Below(n)];
  return name;
}

std::string DemoPolitePerson(DemoRng& rng) {
  std::string name = Surname(rng);
  name += rng.Chance(0.5) ? "先生" : "女士";
  return name;
}

std::string DemoMobile(DemoRng& rng) {
  std::string phone = kMobilePrefixes[rng.Below(std::size(kMobilePrefixes))];
  for (int i = 0; i < 8; ++i) phone += static_cast<char>('0' + rng.Below(10));
  return phone;
}

std::vector<std::string_view> SplitTemplates(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    const auto bar = list.find('|');
    out.push_back(list.substr(0, bar));
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
  return out;
}

void AppendFilled(std::string& out, std::string_view tmpl, const DemoPlace& place, DemoRng& rng) {
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '{' || i + 2 >= tmpl.size() || tmpl[i + 2] != '}') {
      out += tmpl[i];
      continue;
    }
    switch (tmpl[i + 1]) {
      case 'X': out += place.compound; break;
      case 'R': out += place.road; break;
      case 'S': out += place.cross; break;
      case 'N': out += std::to_string(place.number) + "号"; break;
      case 'L': out += std::to_string(place.building) + "号楼"; break;
      case 'U': out += std::to_string(place.unit) + "单元"; break;
      case 'D': out += kDurations[rng.Below(std::size(kDurations))]; break;
      default: out.append(tmpl.substr(i, 3)); break;
    }
    i += 2;
  }
}

}  // namespace civicgrid
