#include "geo/polygon_set.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <utility>

namespace civicgrid::geo {

std::uint32_t PolygonSet::Add(const Polygon& polygon) {
  assert(!polygon.rings.empty() && !polygon.rings.front().empty());
  const std::uint32_t index = static_cast<std::uint32_t>(size());
  BoundingBox box{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                  -std::numeric_limits<double>::infinity(),
                  -std::numeric_limits<double>::infinity()};
  for (const std::vector<GeoPoint>& ring : polygon.rings) {
    if (ring.empty()) continue;
    vertices_.insert(vertices_.end(), ring.begin(), ring.end());
    if (ring.front().lon != ring.back().lon || ring.front().lat != ring.back().lat) {
      vertices_.push_back(ring.front());
    }
    assert(vertices_.size() < std::numeric_limits<std::uint32_t>::max());
    ring_end_.push_back(static_cast<std::uint32_t>(vertices_.size()));
  }
  for (const GeoPoint& p : polygon.rings.front()) {  // holes lie inside the outer ring
    box.min_lon = std::min(box.min_lon, p.lon);
    box.min_lat = std::min(box.min_lat, p.lat);
    box.max_lon = std::max(box.max_lon, p.lon);
    box.max_lat = std::max(box.max_lat, p.lat);
  }
  first_ring_.push_back(static_cast<std::uint32_t>(ring_end_.size()));
  bounds_.push_back(box);
  return index;
}

bool PolygonSet::Covers(std::uint32_t index, double lon, double lat) const {
  bool inside = false;
  const std::uint32_t first_ring = first_ring_[index];
  std::uint32_t v = first_ring == 0 ? 0 : ring_end_[first_ring - 1];
  for (std::uint32_t r = first_ring; r < first_ring_[index + 1]; ++r) {
    const std::uint32_t end = ring_end_[r];
    for (; v + 1 < end; ++v) {
      // The edge taken upwards (ties: eastwards), whichever way the ring runs.
      GeoPoint lo = vertices_[v];
      GeoPoint hi = vertices_[v + 1];
      if (lo.lat > hi.lat || (lo.lat == hi.lat && lo.lon > hi.lon)) std::swap(lo, hi);
      if (lat < lo.lat || lat > hi.lat) continue;
      // > 0: the point is left of the upward edge, i.e. the edge crosses the ray going east.
      const double side = (hi.lon - lo.lon) * (lat - lo.lat) - (hi.lat - lo.lat) * (lon - lo.lon);
      if (side == 0 && lon >= std::min(lo.lon, hi.lon) && lon <= std::max(lo.lon, hi.lon)) {
        return true;  // on the boundary
      }
      // Half-open in latitude so that a vertex on the ray counts once.
      if (side > 0 && lat < hi.lat) inside = !inside;
    }
    v = end;
  }
  return inside;
}

}  // namespace civicgrid::geo
