#include "core/camera/camera.h"

#include <array>

namespace civicgrid {

std::span<const AlarmType> DefaultAlarmTypes() {
  // Types a video-analytics platform commonly reports, on the catalogue's categories that a
  // camera can see (the demo catalogue marks them).
  static const std::array<AlarmType, 12> kDefaults = {{
      {"garbage_exposed", "U06010", "暴露垃圾"},
      {"garbage_accumulated", "U06011", "积存垃圾渣土"},
      {"road_dirty", "U06012", "道路不洁"},
      {"materials_piled", "U06036", "乱堆物料"},
      {"outdoor_advertising", "U07003", "违规户外广告"},
      {"business_outside_shop", "U09005", "店外经营"},
      {"street_vending", "U09006", "占道经营"},
      {"illegal_parking", "U09093", "乱停车及占用消防通道"},
      {"manhole_cover_missing", "P0191", "井盖缺失"},
      {"traffic_light_failure", "P0292", "交通信号灯故障"},
      {"snow_ice", "P0294", "积雪结冰未清理"},
      {"open_burning", "H0294", "露天焚烧"},
  }};
  return kDefaults;
}

bool IsAlarmTypeName(std::string_view type) {
  if (type.empty() || type.size() > 64) return false;
  for (const char c : type) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace civicgrid
