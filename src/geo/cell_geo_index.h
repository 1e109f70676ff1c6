// GeoIndex adapter built for speed: a uniform grid of cells over all polygons, computed once.
// Most cells lie wholly inside one polygon (answered with one memory read, no edge test) or
// outside all of them; the others keep their few candidate polygons, each with only the edges
// that can matter in the cell's row of cells. Same answers as MakeRtreeGeoIndex, point for point
// (boundary inside, holes outside, lowest position wins), about twice as fast.
#pragma once

#include <memory>
#include <vector>

#include "core/ports/geo_index.h"
#include "core/territory/region.h"

namespace civicgrid {

// Indexes the regions with a non-empty polygon; positions are indexes into `regions`.
// The index copies what it needs; Locate is thread-safe (const, no shared mutable state).
std::unique_ptr<GeoIndex> MakeCellGeoIndex(const std::vector<Region>& regions);

}  // namespace civicgrid
