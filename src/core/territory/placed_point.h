// A stored row that carries a point and is placed in the grid the point lies in (events,
// places): what a grid edit re-places (TerritoryService::Redraw, Split).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/territory/territory.h"

namespace civicgrid {

enum class PlacedKind : std::uint8_t { kEvent, kPlace };

inline std::string_view PlacedKindName(PlacedKind k) {
  return k == PlacedKind::kEvent ? "event" : "place";
}

struct PlacedPoint {
  std::int64_t id = 0;
  double lon = 0;
  double lat = 0;
  RegionPath path;  // where the row is placed now
};

}  // namespace civicgrid
