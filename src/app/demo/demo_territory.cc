#include "app/demo/demo_territory.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace civicgrid {

namespace {

constexpr int kColumns = 20;  // lattice cells west → east
constexpr int kRows = 12;     // lattice cells south → north
constexpr double kMinLon = 123.38;
constexpr double kMaxLon = 123.48;
constexpr double kMinLat = 41.76;
constexpr double kMaxLat = 41.84;
// Corner and edge-midpoint jitter, as fractions of the narrower adjacent cell. Corners stay
// within ±0.15 and midpoints within ±0.23 of their lattice line, far from the neighbouring
// lines, so every cell stays a simple polygon (see PointInRing's callers in the tests).
constexpr double kCornerJitter = 0.15;
constexpr double kMidJitter = 0.08;

constexpr const char* kStreetNames[] = {
    "太原街道", "新华街道", "南湖街道", "集贤街道", "长白街道", "滨河街道", "北辰街道", "民主街道",
};

constexpr const char* kCommunityNames[] = {
    "和平社区", "光明社区", "幸福社区", "春晖社区", "锦绣社区", "朝阳社区", "友谊社区", "振兴社区",
    "团结社区", "文化社区", "育英社区", "翠湖社区", "兴华社区", "望湖社区", "丽江社区", "长青社区",
    "安居社区", "康平社区", "宁静社区", "景星社区", "砂山社区", "文安社区", "同泽社区", "北方社区",
    "园林社区", "新生社区", "繁荣社区", "桃源社区", "滨河社区", "金沙社区", "华新社区", "育才社区",
    "永安社区", "富民社区", "和睦社区", "惠民社区", "博爱社区", "书香社区", "泰山社区", "黄河社区",
    "长江社区", "淮河社区", "珠江社区", "松花社区", "龙江社区", "嫩江社区", "辽河社区", "鸭绿社区",
    "华山社区", "衡山社区", "嵩山社区", "天山社区", "昆仑社区", "峨眉社区", "武夷社区", "九华社区",
    "新兴社区", "紫荆社区", "玉泉社区", "兰亭社区",
};

constexpr const char* kCompoundPrefixes[] = {
    "锦绣", "阳光", "和平", "幸福", "金地", "御景", "翠湖", "紫金", "春晖", "新华", "泰和", "怡景",
    "龙湖", "融创", "丽都", "明珠", "盛世", "海棠", "枫林", "玉兰", "百合", "长安", "中海", "保利",
    "华府", "东方", "世纪", "北辰", "兴隆", "富丽", "龙腾", "万科", "碧桂", "水岸", "南湖", "文华",
};
constexpr const char* kCompoundSuffixes[] = {
    "花园", "家园", "小区", "新城", "名苑", "雅居", "佳园", "嘉园",
    "公寓", "华庭", "府邸", "新村", "里",   "城",   "湾",   "苑",
};

// Named arterial roads on some lattice lines; the others are numbered 经街 / 纬路.
struct NamedLine {
  int line;
  const char* name;
};
constexpr NamedLine kNamedColumns[] = {
    {0, "西塔大街"}, {5, "和平大街"}, {10, "中山路"}, {15, "青年大街"}, {20, "东环路"}};
constexpr NamedLine kNamedRows[] = {
    {0, "滨河大道"}, {4, "民主路"}, {8, "胜利大街"}, {12, "北环路"}};

std::string ChineseNumber(int n) {
  static const char* const kDigits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 10) return kDigits[n];
  std::string s = n / 10 == 1 ? "" : kDigits[n / 10];
  s += "十";
  s += kDigits[n % 10];
  return s;
}

double Round6(double x) { return std::round(x * 1e6) / 1e6; }

std::string Code3(const std::string& prefix, int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", n);
  return prefix + buf;
}

// Splits `total` into `parts` positive sizes that differ by at most one, the larger ones at
// random positions.
std::vector<int> SplitEvenly(int total, int parts, DemoRng& rng) {
  std::vector<int> sizes(static_cast<std::size_t>(parts), total / parts);
  for (int extra = total % parts; extra > 0;) {
    auto& s = sizes[rng.Below(static_cast<std::uint32_t>(parts))];
    if (s == total / parts) {
      ++s;
      --extra;
    }
  }
  return sizes;
}

// Lattice sizes that vary by ±20% around the mean and sum to `span`.
std::vector<double> Sizes(int n, double span, DemoRng& rng) {
  std::vector<double> sizes(static_cast<std::size_t>(n));
  double sum = 0;
  for (auto& s : sizes) sum += (s = rng.Uniform(0.8, 1.2));
  for (auto& s : sizes) s *= span / sum;
  return sizes;
}

class Lattice {
 public:
  explicit Lattice(DemoRng& rng) {
    widths_ = Sizes(kColumns, kMaxLon - kMinLon, rng);
    heights_ = Sizes(kRows, kMaxLat - kMinLat, rng);
    std::vector<double> xs{kMinLon};
    for (double w : widths_) xs.push_back(xs.back() + w);
    xs.back() = kMaxLon;
    std::vector<double> ys{kMinLat};
    for (double h : heights_) ys.push_back(ys.back() + h);
    ys.back() = kMaxLat;

    corners_.resize((kColumns + 1) * (kRows + 1));
    for (int j = 0; j <= kRows; ++j) {
      for (int i = 0; i <= kColumns; ++i) {
        const double jx = IsBorderColumn(i) ? 0 : rng.Uniform(-1, 1) * kCornerJitter * MinWidth(i);
        const double jy = IsBorderRow(j) ? 0 : rng.Uniform(-1, 1) * kCornerJitter * MinHeight(j);
        corners_[Index(i, j)] = {Round6(xs[static_cast<std::size_t>(i)] + jx),
                                 Round6(ys[static_cast<std::size_t>(j)] + jy)};
      }
    }
    // Midpoints of horizontal edges (i, j)–(i + 1, j) move north or south, of vertical edges
    // (i, j)–(i, j + 1) east or west; border edges stay straight.
    horizontal_.resize(kColumns * (kRows + 1));
    for (int j = 0; j <= kRows; ++j) {
      for (int i = 0; i < kColumns; ++i) {
        const GeoPoint a = V(i, j);
        const GeoPoint b = V(i + 1, j);
        const double d = IsBorderRow(j) ? 0 : rng.Uniform(-1, 1) * kMidJitter * MinHeight(j);
        horizontal_[static_cast<std::size_t>(j * kColumns + i)] = {Round6((a.lon + b.lon) / 2),
                                                                   Round6((a.lat + b.lat) / 2 + d)};
      }
    }
    vertical_.resize((kColumns + 1) * kRows);
    for (int j = 0; j < kRows; ++j) {
      for (int i = 0; i <= kColumns; ++i) {
        const GeoPoint a = V(i, j);
        const GeoPoint b = V(i, j + 1);
        const double d = IsBorderColumn(i) ? 0 : rng.Uniform(-1, 1) * kMidJitter * MinWidth(i);
        vertical_[static_cast<std::size_t>(j * (kColumns + 1) + i)] = {
            Round6((a.lon + b.lon) / 2 + d), Round6((a.lat + b.lat) / 2)};
      }
    }
  }

  GeoPoint V(int i, int j) const { return corners_[Index(i, j)]; }

  // The outline of the block of cells [i0, i1) × [j0, j1), counter-clockwise, closed.
  std::vector<GeoPoint> Outline(int i0, int j0, int i1, int j1) const {
    std::vector<GeoPoint> ring;
    ring.reserve(static_cast<std::size_t>(4 * ((i1 - i0) + (j1 - j0)) + 1));
    for (int i = i0; i < i1; ++i) {
      ring.push_back(V(i, j0));
      ring.push_back(H(i, j0));
    }
    for (int j = j0; j < j1; ++j) {
      ring.push_back(V(i1, j));
      ring.push_back(M(i1, j));
    }
    for (int i = i1; i > i0; --i) {
      ring.push_back(V(i, j1));
      ring.push_back(H(i - 1, j1));
    }
    for (int j = j1; j > j0; --j) {
      ring.push_back(V(i0, j));
      ring.push_back(M(i0, j - 1));
    }
    ring.push_back(V(i0, j0));
    return ring;
  }

 private:
  static bool IsBorderColumn(int i) { return i == 0 || i == kColumns; }
  static bool IsBorderRow(int j) { return j == 0 || j == kRows; }
  static std::size_t Index(int i, int j) {
    return static_cast<std::size_t>(j * (kColumns + 1) + i);
  }
  double MinWidth(int i) const {
    return std::min(widths_[static_cast<std::size_t>(i - 1)], widths_[static_cast<std::size_t>(i)]);
  }
  double MinHeight(int j) const {
    return std::min(heights_[static_cast<std::size_t>(j - 1)],
                    heights_[static_cast<std::size_t>(j)]);
  }
  GeoPoint H(int i, int j) const { return horizontal_[static_cast<std::size_t>(j * kColumns + i)]; }
  GeoPoint M(int i, int j) const {
    return vertical_[static_cast<std::size_t>(j * (kColumns + 1) + i)];
  }

  std::vector<double> widths_, heights_;
  std::vector<GeoPoint> corners_, horizontal_, vertical_;
};

Polygon Rect(double min_lon, double min_lat, double max_lon, double max_lat) {
  return Polygon{{{{min_lon, min_lat},
                   {max_lon, min_lat},
                   {max_lon, max_lat},
                   {min_lon, max_lat},
                   {min_lon, min_lat}}}};
}

std::vector<std::string> RoadNames() {
  std::vector<std::string> roads;
  for (int i = 0; i <= kColumns; ++i) {
    std::string name = ChineseNumber(i) + "经街";
    for (const auto& n : kNamedColumns) {
      if (n.line == i) name = n.name;
    }
    roads.push_back(name);
  }
  for (int j = 0; j <= kRows; ++j) {
    std::string name = ChineseNumber(j) + "纬路";
    for (const auto& n : kNamedRows) {
      if (n.line == j) name = n.name;
    }
    roads.push_back(name);
  }
  return roads;
}

}  // namespace

bool PointInRing(const std::vector<GeoPoint>& ring, double lon, double lat) {
  bool inside = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const GeoPoint& a = ring[i];
    const GeoPoint& b = ring[j];
    if ((a.lat > lat) != (b.lat > lat) &&
        lon < (b.lon - a.lon) * (lat - a.lat) / (b.lat - a.lat) + a.lon) {
      inside = !inside;
    }
  }
  return inside;
}

GeoPoint SamplePointInGrid(const DemoGrid& grid, const Region& region, DemoRng& rng) {
  const auto& c = grid.corners;
  auto at = [&c](double u, double v) {
    return GeoPoint{Round6((1 - u) * (1 - v) * c[0].lon + u * (1 - v) * c[1].lon +
                           u * v * c[2].lon + (1 - u) * v * c[3].lon),
                    Round6((1 - u) * (1 - v) * c[0].lat + u * (1 - v) * c[1].lat +
                           u * v * c[2].lat + (1 - u) * v * c[3].lat)};
  };
  const auto& ring = region.polygon.rings.front();
  for (int attempt = 0; attempt < 20; ++attempt) {
    const GeoPoint p = at(rng.Uniform(0.04, 0.96), rng.Uniform(0.04, 0.96));
    if (PointInRing(ring, p.lon, p.lat)) return p;
  }
  return at(0.5, 0.5);
}

DemoTerritory BuildDemoTerritory(std::uint64_t seed) {
  DemoRng rng(seed, 1);
  DemoTerritory t;
  t.roads = RoadNames();
  const Lattice lattice(rng);

  auto add = [&t](int parent, RegionLevel level, std::string code, std::string name,
                  Polygon polygon) {
    Region r;
    r.level = level;
    r.code = std::move(code);
    r.name = std::move(name);
    r.polygon = std::move(polygon);
    t.regions.push_back(std::move(r));
    t.parent.push_back(parent);
    return t.regions.size() - 1;
  };
  t.city = add(-1, RegionLevel::kCity, "2101", "北辰市", Rect(123.20, 41.62, 123.70, 42.02));
  t.district = add(static_cast<int>(t.city), RegionLevel::kDistrict, "210102", "和平区",
                   Polygon{{lattice.Outline(0, 0, kColumns, kRows)}});

  std::vector<std::string> community_names(std::begin(kCommunityNames), std::end(kCommunityNames));
  for (std::size_t i = community_names.size() - 1; i > 0; --i) {
    std::swap(community_names[i], community_names[rng.Below(static_cast<std::uint32_t>(i + 1))]);
  }
  std::size_t next_community_name = 0;

  // Streets: four column bands of 4–6 cells, each cut into a northern and a southern street.
  std::vector<int> band_widths(4, kColumns / 4);
  for (int k = 0; k < 2; ++k) {
    const auto a = rng.Below(4);
    const auto b = rng.Below(4);
    if (a != b && band_widths[a] < 6 && band_widths[b] > 4) {
      ++band_widths[a];
      --band_widths[b];
    }
  }
  int street_number = 0;
  int i0 = 0;
  for (int band = 0; band < 4; ++band) {
    const int i1 = i0 + band_widths[static_cast<std::size_t>(band)];
    const int cut = rng.Int(5, 7);
    for (const auto& [j0, j1] : {std::pair{cut, kRows}, std::pair{0, cut}}) {
      ++street_number;
      const std::string street_code = Code3("210102", street_number);
      const std::size_t street =
          add(static_cast<int>(t.district), RegionLevel::kStreet, street_code,
              kStreetNames[street_number - 1], Polygon{{lattice.Outline(i0, j0, i1, j1)}});
      t.streets.push_back(street);

      // Communities: 2 or 3 row bands (north to south), each cut into 1–3 column pieces.
      const int communities = rng.Int(4, 7);
      const int row_bands = communities >= 6 ? 3 : 2;
      const std::vector<int> band_heights = SplitEvenly(j1 - j0, row_bands, rng);
      int community_number = 0;
      int top = j1;
      for (int rb = 0; rb < row_bands; ++rb) {
        const int bottom = top - band_heights[static_cast<std::size_t>(rb)];
        const int pieces = communities / row_bands + (rb < communities % row_bands ? 1 : 0);
        const std::vector<int> piece_widths = SplitEvenly(i1 - i0, pieces, rng);
        int left = i0;
        for (int pc = 0; pc < pieces; ++pc) {
          const int right = left + piece_widths[static_cast<std::size_t>(pc)];
          ++community_number;
          const std::string community_code = Code3(street_code, community_number);
          const std::size_t community =
              add(static_cast<int>(street), RegionLevel::kCommunity, community_code,
                  community_names[next_community_name++ % community_names.size()],
                  Polygon{{lattice.Outline(left, bottom, right, top)}});
          t.communities.push_back(community);

          int grid_number = 0;
          for (int j = top - 1; j >= bottom; --j) {
            for (int i = left; i < right; ++i) {
              ++grid_number;
              DemoGrid g;
              g.region = add(static_cast<int>(community), RegionLevel::kGrid,
                             Code3(community_code, grid_number),
                             "第" + ChineseNumber(grid_number) + "网格",
                             Polygon{{lattice.Outline(i, j, i + 1, j + 1)}});
              g.community = t.communities.size() - 1;
              g.street = t.streets.size() - 1;
              g.corners = {lattice.V(i, j), lattice.V(i + 1, j), lattice.V(i + 1, j + 1),
                           lattice.V(i, j + 1)};
              g.roads = {i, i + 1, kColumns + 1 + j, kColumns + 1 + j + 1};
              for (auto& compound : g.compounds) {
                compound = std::string(kCompoundPrefixes[rng.Below(std::size(kCompoundPrefixes))]) +
                           kCompoundSuffixes[rng.Below(std::size(kCompoundSuffixes))];
              }
              g.weight = rng.Uniform(0.4, 1.6) * (rng.Chance(0.08) ? 2.5 : 1.0);
              t.grids.push_back(std::move(g));
            }
          }
          left = right;
        }
        top = bottom;
      }
    }
    i0 = i1;
  }
  return t;
}

}  // namespace civicgrid
