// Polygons stored as flat vertex arrays, with an exact point-in-polygon test that is cheap
// enough for millions of lookups per second.
#pragma once

#include <cstdint>
#include <vector>

#include "core/territory/region.h"

namespace civicgrid::geo {

struct BoundingBox {
  double min_lon = 0;
  double min_lat = 0;
  double max_lon = 0;
  double max_lat = 0;
};

class PolygonSet {
 public:
  // Adds a polygon whose outer ring is non-empty (rings in any orientation, closed or not)
  // and answers its index, counting from 0.
  std::uint32_t Add(const Polygon& polygon);
  std::size_t size() const { return spans_.size(); }
  BoundingBox Bounds(std::uint32_t index) const { return bounds_[index]; }

  // True when the point is inside polygon `index` or on its boundary (hole boundaries
  // included); inside a hole is outside. Even-odd rule, so for valid polygons (rings that
  // do not cross) it is the usual point-in-polygon. Every edge is evaluated in one canonical
  // direction, so polygons sharing an edge agree exactly on which side a point lies: a
  // tessellation has no gaps and no double cover off the shared boundaries.
  bool Covers(std::uint32_t index, double lon, double lat) const;

 private:
  struct Span {
    std::uint32_t first_vertex;
    std::uint32_t end_vertex;
    std::uint32_t first_ring;  // in ring_end_, only read for polygons with holes
    std::uint32_t end_ring;
  };

  std::vector<GeoPoint> vertices_;       // every ring closed (first == last)
  std::vector<std::uint32_t> ring_end_;  // one past each ring's last vertex
  std::vector<Span> spans_;              // one per polygon
  std::vector<BoundingBox> bounds_;
};

}  // namespace civicgrid::geo
