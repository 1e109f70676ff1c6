// The region tree: city → district → street → community → grid, each with a code whose
// prefix is its parent's code, and (for grids at least) a polygon.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity/actor.h"

namespace civicgrid {

enum class RegionLevel : std::uint8_t {
  kCity = 1,
  kDistrict = 2,
  kStreet = 3,
  kCommunity = 4,
  kGrid = 5,
};

std::string_view RegionLevelName(RegionLevel l);
std::optional<RegionLevel> RegionLevelFromName(std::string_view name);

struct GeoPoint {
  double lon = 0;
  double lat = 0;
};

// A polygon: the outer ring first, then holes. Rings are closed (first == last).
struct Polygon {
  std::vector<std::vector<GeoPoint>> rings;
};

struct Region {
  RegionId id = 0;
  RegionId parent_id = 0;  // 0 for the root
  RegionLevel level = RegionLevel::kCity;
  std::string code;
  std::string name;
  Polygon polygon;  // may be empty above grid level
};

bool IsValidLonLat(double lon, double lat);

}  // namespace civicgrid
