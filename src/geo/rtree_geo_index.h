// GeoIndex adapter: a static Hilbert-packed R-tree of the polygons' bounding boxes
// (geo/packed_rtree.h), then an exact point-in-polygon test (geo/polygon_set.h: holes
// respected, boundary inside) on the few candidates.
#pragma once

#include <memory>
#include <vector>

#include "core/ports/geo_index.h"
#include "core/territory/region.h"

namespace civicgrid {

// Indexes the regions with a non-empty polygon; positions are indexes into `regions`.
// The index copies what it needs; Locate is thread-safe (const, no shared mutable state).
std::unique_ptr<GeoIndex> MakeRtreeGeoIndex(const std::vector<Region>& regions);

}  // namespace civicgrid
