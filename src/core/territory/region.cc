#include "core/territory/region.h"

#include <cmath>

namespace civicgrid {

std::string_view RegionLevelName(RegionLevel l) {
  switch (l) {
    case RegionLevel::kCity: return "city";
    case RegionLevel::kDistrict: return "district";
    case RegionLevel::kStreet: return "street";
    case RegionLevel::kCommunity: return "community";
    case RegionLevel::kGrid: return "grid";
  }
  return "grid";
}

std::optional<RegionLevel> RegionLevelFromName(std::string_view name) {
  for (int i = 1; i <= 5; ++i) {
    auto l = static_cast<RegionLevel>(i);
    if (RegionLevelName(l) == name) return l;
  }
  return std::nullopt;
}

bool IsValidLonLat(double lon, double lat) {
  return std::isfinite(lon) && std::isfinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 &&
         lat <= 90;
}

}  // namespace civicgrid
