#include "core/territory/geometry_check.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

namespace civicgrid {

namespace {

using Ring = std::vector<GeoPoint>;

double Cross(const GeoPoint& o, const GeoPoint& a, const GeoPoint& b) {
  return (a.lon - o.lon) * (b.lat - o.lat) - (a.lat - o.lat) * (b.lon - o.lon);
}

int Sign(double v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }

bool SamePoint(const GeoPoint& a, const GeoPoint& b) { return a.lon == b.lon && a.lat == b.lat; }

bool OnSegment(const GeoPoint& p, const GeoPoint& a, const GeoPoint& b) {
  return Cross(a, b, p) == 0 && p.lon >= std::min(a.lon, b.lon) &&
         p.lon <= std::max(a.lon, b.lon) && p.lat >= std::min(a.lat, b.lat) &&
         p.lat <= std::max(a.lat, b.lat);
}

// The segments cross at a point interior to both (a proper crossing).
bool CrossProperly(const GeoPoint& a, const GeoPoint& b, const GeoPoint& c, const GeoPoint& d) {
  const int d1 = Sign(Cross(c, d, a));
  const int d2 = Sign(Cross(c, d, b));
  const int d3 = Sign(Cross(a, b, c));
  const int d4 = Sign(Cross(a, b, d));
  return d1 * d2 < 0 && d3 * d4 < 0;
}

// The segments share any point.
bool Touch(const GeoPoint& a, const GeoPoint& b, const GeoPoint& c, const GeoPoint& d) {
  if (CrossProperly(a, b, c, d)) return true;
  return OnSegment(a, c, d) || OnSegment(b, c, d) || OnSegment(c, a, b) || OnSegment(d, a, b);
}

enum class Where { kOutside, kBoundary, kInside };

Where Locate(const Ring& ring, const GeoPoint& p) {
  bool odd = false;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const GeoPoint& a = ring[i];
    const GeoPoint& b = ring[i + 1];
    if (OnSegment(p, a, b)) return Where::kBoundary;
    if ((a.lat > p.lat) != (b.lat > p.lat)) {
      const double x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
      if (p.lon < x) odd = !odd;
    }
  }
  return odd ? Where::kInside : Where::kOutside;
}

// Where the point lies in the polygon (holes excluded from the inside).
Where LocateInPolygon(const Polygon& poly, const GeoPoint& p) {
  const Where outer = Locate(poly.rings.front(), p);
  if (outer != Where::kInside) return outer;
  for (std::size_t h = 1; h < poly.rings.size(); ++h) {
    const Where w = Locate(poly.rings[h], p);
    if (w == Where::kInside) return Where::kOutside;
    if (w == Where::kBoundary) return Where::kBoundary;
  }
  return Where::kInside;
}

double RingArea(const Ring& ring) {
  double twice = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += ring[i].lon * ring[i + 1].lat - ring[i + 1].lon * ring[i].lat;
  }
  return std::abs(twice) / 2;
}

// Points strictly inside the ring, to tell overlap from touching: the midpoints of the segments
// between each vertex and a point a hair inside from each edge midpoint.
std::vector<GeoPoint> InteriorSamples(const Ring& ring) {
  std::vector<GeoPoint> out;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const GeoPoint& a = ring[i];
    const GeoPoint& b = ring[i + 1];
    const GeoPoint mid{(a.lon + b.lon) / 2, (a.lat + b.lat) / 2};
    const double len = std::hypot(b.lon - a.lon, b.lat - a.lat);
    if (len == 0) continue;
    const double eps = len * 1e-6;
    // The two normals; keep the one that lies inside.
    for (int side : {1, -1}) {
      const GeoPoint q{mid.lon - side * (b.lat - a.lat) / len * eps,
                       mid.lat + side * (b.lon - a.lon) / len * eps};
      if (Locate(ring, q) == Where::kInside) {
        out.push_back(q);
        break;
      }
    }
  }
  return out;
}

struct Box {
  double min_lon, min_lat, max_lon, max_lat;
};

Box BoxOf(const Ring& ring) {
  Box b{ring.front().lon, ring.front().lat, ring.front().lon, ring.front().lat};
  for (const auto& p : ring) {
    b.min_lon = std::min(b.min_lon, p.lon);
    b.min_lat = std::min(b.min_lat, p.lat);
    b.max_lon = std::max(b.max_lon, p.lon);
    b.max_lat = std::max(b.max_lat, p.lat);
  }
  return b;
}

bool BoxesMeet(const Box& a, const Box& b) {
  return a.min_lon <= b.max_lon && b.min_lon <= a.max_lon && a.min_lat <= b.max_lat &&
         b.min_lat <= a.max_lat;
}

Unexpected<Error> Invalid(std::string_view feature, std::string message, const char* reason) {
  return Fail(ErrorCode::kInvalidArgument,
              "region " + std::string(feature) + ": " + std::move(message), std::string(feature),
              reason);
}

Status CheckRing(const Ring& ring, std::string_view feature, const std::string& which) {
  for (const auto& p : ring) {
    if (!IsValidLonLat(p.lon, p.lat)) {
      return Invalid(feature, which + " has a point outside lon [-180, 180], lat [-90, 90]",
                     "invalid_coordinates");
    }
  }
  if (ring.size() < 4) {
    return Invalid(feature,
                   which + " needs at least 4 points (3 corners and the first repeated), has " +
                       std::to_string(ring.size()),
                   "too_few_points");
  }
  if (!SamePoint(ring.front(), ring.back())) {
    return Invalid(feature, which + " is not closed (the last point must repeat the first)",
                   "unclosed_ring");
  }
  std::size_t distinct = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = SamePoint(ring[i], ring[j]);
    if (!seen) ++distinct;
  }
  if (distinct < 3) {
    return Invalid(feature, which + " needs at least 3 distinct corners", "too_few_points");
  }
  // Non-adjacent edges must not touch; adjacent ones only at their shared vertex.
  const std::size_t n = ring.size() - 1;  // edges
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const GeoPoint &a = ring[i], &b = ring[i + 1], &c = ring[j], &d = ring[j + 1];
      const bool adjacent = j == i + 1 || (i == 0 && j == n - 1);
      if (adjacent) {
        // Collinear overlap (going back on itself) is a self-intersection too.
        const GeoPoint& shared = j == i + 1 ? b : a;
        const GeoPoint& p = j == i + 1 ? a : b;
        const GeoPoint& q = j == i + 1 ? d : c;
        if (Cross(shared, p, q) == 0 && (p.lon - shared.lon) * (q.lon - shared.lon) +
                                                (p.lat - shared.lat) * (q.lat - shared.lat) >
                                            0) {
          return Invalid(feature, which + " folds back on itself at edge " + std::to_string(i + 1),
                         "self_intersection");
        }
        continue;
      }
      if (Touch(a, b, c, d)) {
        return Invalid(feature,
                       which + " intersects itself (edges " + std::to_string(i + 1) + " and " +
                           std::to_string(j + 1) + ")",
                       "self_intersection");
      }
    }
  }
  if (RingArea(ring) == 0) {
    return Invalid(feature, which + " encloses no area", "too_few_points");
  }
  return Status::Ok();
}

}  // namespace

Status CheckPolygonShape(const Polygon& polygon, std::string_view feature) {
  if (polygon.rings.empty()) {
    return Invalid(feature, "has no polygon", "too_few_points");
  }
  for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
    const std::string which = r == 0 ? "the outer ring" : "hole " + std::to_string(r);
    if (Status s = CheckRing(polygon.rings[r], feature, which); !s) return s;
  }
  const Ring& outer = polygon.rings.front();
  for (std::size_t h = 1; h < polygon.rings.size(); ++h) {
    for (const auto& p : polygon.rings[h]) {
      if (Locate(outer, p) == Where::kOutside) {
        return Invalid(feature, "hole " + std::to_string(h) + " lies outside the outer ring",
                       "hole_outside");
      }
    }
  }
  return Status::Ok();
}

bool PolygonsOverlap(const Polygon& pa, const Polygon& pb) {
  const Ring& a = pa.rings.front();
  const Ring& b = pb.rings.front();
  if (!BoxesMeet(BoxOf(a), BoxOf(b))) return false;
  for (std::size_t i = 0; i + 1 < a.size(); ++i) {
    for (std::size_t j = 0; j + 1 < b.size(); ++j) {
      if (CrossProperly(a[i], a[i + 1], b[j], b[j + 1])) return true;
    }
  }
  // No proper crossing: they overlap when some interior point of one is inside the other (this
  // also catches equal polygons and one inside the other).
  for (const GeoPoint& p : a) {
    if (LocateInPolygon(pb, p) == Where::kInside) return true;
  }
  for (const GeoPoint& p : b) {
    if (LocateInPolygon(pa, p) == Where::kInside) return true;
  }
  for (const GeoPoint& p : InteriorSamples(a)) {
    if (LocateInPolygon(pb, p) == Where::kInside) return true;
  }
  for (const GeoPoint& p : InteriorSamples(b)) {
    if (LocateInPolygon(pa, p) == Where::kInside) return true;
  }
  return false;
}

bool PolygonWithin(const Polygon& inner, const Polygon& outer) {
  const Ring& in = inner.rings.front();
  for (const GeoPoint& p : in) {
    if (LocateInPolygon(outer, p) == Where::kOutside) return false;
  }
  for (std::size_t r = 0; r < outer.rings.size(); ++r) {
    const Ring& ring = outer.rings[r];
    for (std::size_t i = 0; i + 1 < in.size(); ++i) {
      for (std::size_t j = 0; j + 1 < ring.size(); ++j) {
        if (CrossProperly(in[i], in[i + 1], ring[j], ring[j + 1])) return false;
      }
    }
  }
  // Every vertex on or inside, no crossing: an edge may still run outside along a concave
  // notch between two boundary vertices; its interior samples must be inside.
  for (const GeoPoint& p : InteriorSamples(in)) {
    if (LocateInPolygon(outer, p) == Where::kOutside) return false;
  }
  return true;
}

double PolygonArea(const Polygon& polygon) {
  if (polygon.rings.empty()) return 0;
  double area = RingArea(polygon.rings.front());
  for (std::size_t h = 1; h < polygon.rings.size(); ++h) area -= RingArea(polygon.rings[h]);
  return area;
}

Status CheckRegionTree(const std::vector<Region>& tree, const std::vector<std::size_t>& changed) {
  std::unordered_map<RegionId, std::size_t> by_id;
  std::unordered_map<RegionId, std::vector<std::size_t>> children;
  for (std::size_t i = 0; i < tree.size(); ++i) {
    by_id.emplace(tree[i].id, i);
    children[tree[i].parent_id].push_back(i);
  }
  for (std::size_t i : changed) {
    const Region& r = tree[i];
    if (r.level == RegionLevel::kGrid && r.polygon.rings.empty()) {
      return Invalid(r.code, "a grid needs a polygon", "too_few_points");
    }
    if (r.polygon.rings.empty()) continue;
    if (Status s = CheckPolygonShape(r.polygon, r.code); !s) return s;
    if (auto p = by_id.find(r.parent_id); p != by_id.end() && r.parent_id != 0) {
      const Region& parent = tree[p->second];
      if (!parent.polygon.rings.empty() && !PolygonWithin(r.polygon, parent.polygon)) {
        return Invalid(r.code, "lies outside its parent " + parent.code, "outside_parent");
      }
    }
    for (std::size_t j : children[r.parent_id]) {
      const Region& sibling = tree[j];
      if (j == i || sibling.polygon.rings.empty()) continue;
      if (PolygonsOverlap(r.polygon, sibling.polygon)) {
        return Invalid(r.code, "overlaps its sibling " + sibling.code, "overlapping_siblings");
      }
    }
    for (std::size_t j : children[r.id]) {
      const Region& child = tree[j];
      if (child.polygon.rings.empty()) continue;
      if (!PolygonWithin(child.polygon, r.polygon)) {
        return Invalid(child.code, "lies outside its parent " + r.code, "outside_parent");
      }
    }
  }
  return Status::Ok();
}

}  // namespace civicgrid
