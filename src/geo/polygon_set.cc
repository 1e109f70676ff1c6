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
  Span span{static_cast<std::uint32_t>(vertices_.size()), 0,
            static_cast<std::uint32_t>(ring_end_.size()), 0};
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
  span.end_vertex = static_cast<std::uint32_t>(vertices_.size());
  span.end_ring = static_cast<std::uint32_t>(ring_end_.size());
  spans_.push_back(span);
  bounds_.push_back(box);
  return index;
}

namespace {

// Even-odd crossings of the ray going east from (lon, lat) with the edges between
// consecutive vertices of [first, end); true in `on_boundary` when the point lies on one.
bool CrossesOddly(const GeoPoint* first, const GeoPoint* end, double lon, double lat,
                  bool& on_boundary) {
  bool odd = false;
  for (const GeoPoint* v = first; v + 1 < end; ++v) {
    // Most edges lie wholly above or below the point: reject them first.
    if (lat < std::min(v[0].lat, v[1].lat) || lat > std::max(v[0].lat, v[1].lat)) continue;
    // The edge taken upwards (ties: eastwards), whichever way the ring runs.
    GeoPoint lo = v[0];
    GeoPoint hi = v[1];
    if (lo.lat > hi.lat || (lo.lat == hi.lat && lo.lon > hi.lon)) std::swap(lo, hi);
    // > 0: the point is left of the upward edge, i.e. the edge crosses the ray going east.
    const double side = (hi.lon - lo.lon) * (lat - lo.lat) - (hi.lat - lo.lat) * (lon - lo.lon);
    if (side == 0 && lon >= std::min(lo.lon, hi.lon) && lon <= std::max(lo.lon, hi.lon)) {
      on_boundary = true;
      return true;
    }
    // Half-open in latitude so that a vertex on the ray counts once.
    if (side > 0 && lat < hi.lat) odd = !odd;
  }
  return odd;
}

}  // namespace

bool PolygonSet::Covers(std::uint32_t index, double lon, double lat) const {
  const Span& span = spans_[index];
  const GeoPoint* vertices = vertices_.data();
  bool on_boundary = false;
  if (span.end_ring - span.first_ring == 1) {  // no holes: one closed ring
    return CrossesOddly(vertices + span.first_vertex, vertices + span.end_vertex, lon, lat,
                        on_boundary);
  }
  bool inside = false;
  std::uint32_t ring_first = span.first_vertex;
  for (std::uint32_t r = span.first_ring; r < span.end_ring; ++r) {
    inside ^= CrossesOddly(vertices + ring_first, vertices + ring_end_[r], lon, lat, on_boundary);
    if (on_boundary) return true;
    ring_first = ring_end_[r];
  }
  return inside;
}

}  // namespace civicgrid::geo
