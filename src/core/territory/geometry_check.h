// Validation of region polygons before they enter the tree: each ring closed with at least three
// distinct corners and not crossing itself, holes inside the outer ring, a child inside its
// parent, siblings not overlapping (sharing borders is fine). Errors are kInvalidArgument with
// field = the offending feature's code and reason "unclosed_ring", "too_few_points",
// "self_intersection", "hole_outside", "outside_parent", "overlapping_siblings" or
// "invalid_coordinates".
#pragma once

#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/territory/region.h"

namespace civicgrid {

// The shape of one polygon on its own.
Status CheckPolygonShape(const Polygon& polygon, std::string_view feature);
// True when the interiors of the two (valid) polygons' outer rings share some area.
bool PolygonsOverlap(const Polygon& a, const Polygon& b);
// True when `inner`'s outer ring lies inside `outer`'s (boundaries may touch) and not in a hole.
bool PolygonWithin(const Polygon& inner, const Polygon& outer);
// Unsigned area of the outer ring minus the holes, in squared degrees.
double PolygonArea(const Polygon& polygon);

// Checks the regions at `changed` (positions in `tree`) against the rest of the tree: their
// shape, that they lie inside their parent, that they overlap no sibling, and that their
// children still lie inside them. Parents are found by id.
Status CheckRegionTree(const std::vector<Region>& tree, const std::vector<std::size_t>& changed);

}  // namespace civicgrid
