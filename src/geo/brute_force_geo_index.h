// GeoIndex by scanning every polygon in position order with Boost.Geometry's covered_by:
// the reference for tests and the bench, too slow for production use.
#pragma once

#include <memory>
#include <vector>

#include "core/ports/geo_index.h"
#include "core/territory/region.h"

namespace civicgrid {

// Same contract as MakeRtreeGeoIndex, in time linear in the number of polygons.
std::unique_ptr<GeoIndex> MakeBruteForceGeoIndex(const std::vector<Region>& regions);

}  // namespace civicgrid
