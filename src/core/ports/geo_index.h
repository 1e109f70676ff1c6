// Port: point → polygon location among many polygons (the grids).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/territory/region.h"

namespace civicgrid {

class GeoIndex {
 public:
  virtual ~GeoIndex() = default;
  // Polygons are numbered by their position in the vector given to the factory.
  // Answers the position of the polygon containing the point (boundary counts as inside; where
  // two polygons share the boundary the lower position wins), or nullopt.
  virtual std::optional<std::size_t> Locate(double lon, double lat) const = 0;
};

}  // namespace civicgrid
