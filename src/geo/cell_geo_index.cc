#include "geo/cell_geo_index.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

namespace civicgrid {
namespace {

// An edge taken upwards (ties: eastwards), whichever way its ring runs: the orientation and the
// arithmetic of geo::PolygonSet::Covers, so that both answer bit for bit the same.
struct Edge {
  double lo_lon;
  double lo_lat;
  double hi_lon;
  double hi_lat;
};

Edge Upward(GeoPoint a, GeoPoint b) {
  if (a.lat > b.lat || (a.lat == b.lat && a.lon > b.lon)) std::swap(a, b);
  return {a.lon, a.lat, b.lon, b.lat};
}

// PolygonSet::Covers over some of a polygon's edges, all rings together: the answer is "on an
// edge", or else the parity of all crossings, in whatever order the edges come. Edges that the
// latitude test skips for every point of a cell can therefore be left out for that cell.
bool CoversByEdges(const Edge* e, const Edge* end, double lon, double lat) {
  bool odd = false;
  for (; e != end; ++e) {
    if (lat < e->lo_lat || lat > e->hi_lat) continue;
    const double side =
        (e->hi_lon - e->lo_lon) * (lat - e->lo_lat) - (e->hi_lat - e->lo_lat) * (lon - e->lo_lon);
    if (side == 0 && lon >= std::min(e->lo_lon, e->hi_lon) &&
        lon <= std::max(e->lo_lon, e->hi_lon)) {
      return true;
    }
    if (side > 0 && lat < e->hi_lat) odd = !odd;
  }
  return odd;
}

struct Box {
  double min_lon = std::numeric_limits<double>::infinity();
  double min_lat = std::numeric_limits<double>::infinity();
  double max_lon = -std::numeric_limits<double>::infinity();
  double max_lat = -std::numeric_limits<double>::infinity();

  void Extend(double lon, double lat) {
    min_lon = std::min(min_lon, lon);
    min_lat = std::min(min_lat, lat);
    max_lon = std::max(max_lon, lon);
    max_lat = std::max(max_lat, lat);
  }
  bool Contains(double lon, double lat) const {
    return lon >= min_lon && lon <= max_lon && lat >= min_lat && lat <= max_lat;
  }
};

// The float box, rounded outwards, that PackedRtree keeps for a polygon's outer ring.
Box RoundedOut(const Box& b) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  auto down = [](double d) {
    const float f = static_cast<float>(d);
    return static_cast<double>(static_cast<double>(f) > d ? std::nextafter(f, -kInf) : f);
  };
  auto up = [](double d) {
    const float f = static_cast<float>(d);
    return static_cast<double>(static_cast<double>(f) < d ? std::nextafter(f, kInf) : f);
  };
  return {down(b.min_lon), down(b.min_lat), up(b.max_lon), up(b.max_lat)};
}

struct PreparedPolygon {
  std::size_t position = 0;
  std::vector<Edge> edges;  // of every ring, each ring closed
  Box outer;                // of the outer ring: the box the R-tree index filters with
  // A hole reaching out of the outer ring's box (invalid, but possible): then, as in the R-tree
  // index, the polygon counts only within its (float) box and every cell of it keeps all edges.
  bool reaches_out = false;
  Box reach;  // where the polygon can answer
};

PreparedPolygon Prepare(std::size_t position, const Polygon& polygon) {
  PreparedPolygon p;
  p.position = position;
  for (const GeoPoint& v : polygon.rings.front()) p.outer.Extend(v.lon, v.lat);
  for (const std::vector<GeoPoint>& ring : polygon.rings) {
    if (ring.empty()) continue;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
      p.edges.push_back(Upward(ring[i], ring[i + 1]));
    const GeoPoint& first = ring.front();
    const GeoPoint& last = ring.back();
    if (first.lon != last.lon || first.lat != last.lat) p.edges.push_back(Upward(last, first));
    for (const GeoPoint& v : ring) p.reaches_out |= !p.outer.Contains(v.lon, v.lat);
  }
  p.reach = p.reaches_out ? RoundedOut(p.outer) : p.outer;
  return p;
}

// One axis of the cell grid. CellOf never decreases as v grows (subtraction, multiplication by
// a positive constant, truncation and clamping are all monotonic in floating point): a value
// between a and b falls in a cell between CellOf(a) and CellOf(b). The build relies on that
// and on nothing else about where cell borders lie.
struct Axis {
  double min = 0;
  double max = 0;
  double scale = 0;  // cells per unit
  std::uint32_t count = 1;

  std::uint32_t CellOf(double v) const {
    const double t = (v - min) * scale;
    if (!(t > 0)) return 0;
    return t >= count ? count - 1 : static_cast<std::uint32_t>(t);
  }
  double Centre(std::uint32_t i) const {
    return scale > 0 ? min + (static_cast<double>(i) + 0.5) / scale : min;
  }
};

Axis MakeAxis(double min, double max, std::uint32_t count) {
  Axis a;
  a.min = min;
  a.max = max;
  a.count = max > min ? count : 1;
  a.scale = max > min ? a.count / (max - min) : 0;
  return a;
}

class CellGeoIndex : public GeoIndex {
 public:
  explicit CellGeoIndex(const std::vector<Region>& regions);

  std::optional<std::size_t> Locate(double lon, double lat) const override {
    if (!std::isfinite(lon) || !std::isfinite(lat)) return std::nullopt;
    // Outside every polygon's box no polygon covers the point (nor does the R-tree test one).
    if (!(lon >= x_.min && lon <= x_.max && lat >= y_.min && lat <= y_.max)) return std::nullopt;
    const std::uint32_t cell = cells_[y_.CellOf(lat) * x_.count + x_.CellOf(lon)];
    if (cell == kNone) return std::nullopt;
    if (cell & kDirect) return positions_[cell & ~kDirect];
    for (const Candidate* c = candidates_.data() + cell;; ++c) {
      if (c->flags & kFull) return positions_[c->polygon];
      if ((!(c->flags & kCheckBox) || boxes_[c->polygon].Contains(lon, lat)) &&
          CoversByEdges(edges_.data() + c->first_edge, edges_.data() + c->end_edge, lon, lat)) {
        return positions_[c->polygon];
      }
      if (c->flags & kLast) return std::nullopt;
    }
  }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;
  static constexpr std::uint32_t kDirect = 0x80000000;  // the cell lies wholly in this polygon
  enum Flags : std::uint32_t {
    kFull = 1,      // the cell lies wholly in this polygon: no edge to test
    kLast = 2,      // the cell's last candidate
    kCheckBox = 4,  // test the polygon's box first (PreparedPolygon::reaches_out)
  };
  // A polygon whose edges come near a cell. A cell's candidates are in polygon order, which is
  // position order, so the first that covers the point is the answer.
  struct Candidate {
    std::uint32_t polygon;
    std::uint32_t first_edge;  // in edges_: those crossing the latitudes of the cell's row
    std::uint32_t end_edge;
    std::uint32_t flags;
  };
  struct CellCandidate {
    std::uint32_t cell;
    Candidate candidate;
  };

  void AddPolygon(std::uint32_t index, const PreparedPolygon& p, double margin,
                  std::vector<CellCandidate>& out);
  void FillCells(std::vector<CellCandidate>& pairs);

  Axis x_;
  Axis y_;
  std::vector<std::uint32_t>
      cells_;  // row by row: kNone, kDirect | polygon, or a candidates_ index
  std::vector<Candidate> candidates_;
  std::vector<Edge> edges_;
  std::vector<std::size_t> positions_;  // polygon → position among the regions
  std::vector<Box> boxes_;              // polygon → its rounded-out box (read with kCheckBox)
};

CellGeoIndex::CellGeoIndex(const std::vector<Region>& regions) {
  std::vector<PreparedPolygon> polygons;
  Box all;
  for (std::size_t position = 0; position < regions.size(); ++position) {
    const Polygon& polygon = regions[position].polygon;
    if (polygon.rings.empty() || polygon.rings.front().empty()) continue;
    PreparedPolygon& p = polygons.emplace_back(Prepare(position, polygon));
    all.Extend(p.reach.min_lon, p.reach.min_lat);
    all.Extend(p.reach.max_lon, p.reach.max_lat);
  }
  if (polygons.empty()) {
    x_ = MakeAxis(1, 0, 1);  // an empty range: every point is outside
    y_ = x_;
    return;
  }
  assert(polygons.size() < kDirect);

  // About 64 cells per polygon (8 × 8 for square grids of equal size): most of a grid's cells
  // are then answered without an edge test. Capped at 4M cells (16 MiB).
  const double target = std::min(64.0 * static_cast<double>(polygons.size()), 4194304.0);
  const double width = all.max_lon - all.min_lon;
  const double height = all.max_lat - all.min_lat;
  constexpr double kMaxPerAxis = 8192;
  double columns = 1;
  double rows = 1;
  if (width > 0 && height > 0) {
    columns = std::clamp(std::round(std::sqrt(target * width / height)), 1.0, kMaxPerAxis);
    rows = std::clamp(std::ceil(target / columns), 1.0, kMaxPerAxis);
  } else if (width > 0) {
    columns = std::min(target, kMaxPerAxis);
  } else if (height > 0) {
    rows = std::min(target, kMaxPerAxis);
  }
  x_ = MakeAxis(all.min_lon, all.max_lon, static_cast<std::uint32_t>(columns));
  y_ = MakeAxis(all.min_lat, all.max_lat, static_cast<std::uint32_t>(rows));
  // An edge farther than this from a cell (in longitude) cannot flip the sign of a crossing
  // test for a point of the cell: rounding errors are ~1e-16 of the coordinates' differences.
  const double margin = (x_.scale > 0 ? 1e-6 / x_.scale : 0) + 1e-9;

  std::vector<CellCandidate> pairs;
  for (std::uint32_t i = 0; i < polygons.size(); ++i) {
    positions_.push_back(polygons[i].position);
    boxes_.push_back(polygons[i].reach);
    AddPolygon(i, polygons[i], margin, pairs);
  }
  FillCells(pairs);
}

// Appends the polygon's candidate entries for the cells its box touches: "full" for cells that
// no edge comes near and whose centre it covers (then it covers every point of the cell: the
// crossing parity cannot change away from the edges), "edges" for cells some edge comes near,
// nothing for the rest.
void CellGeoIndex::AddPolygon(std::uint32_t index, const PreparedPolygon& p, double margin,
                              std::vector<CellCandidate>& out) {
  const std::uint32_t cx0 = x_.CellOf(p.reach.min_lon);
  const std::uint32_t cx1 = x_.CellOf(p.reach.max_lon);
  const std::uint32_t cy0 = y_.CellOf(p.reach.min_lat);
  const std::uint32_t cy1 = y_.CellOf(p.reach.max_lat);
  const std::uint32_t w = cx1 - cx0 + 1;
  const std::uint32_t h = cy1 - cy0 + 1;
  std::vector<char> near(static_cast<std::size_t>(w) * h, p.reaches_out ? 1 : 0);
  if (!p.reaches_out) {
    for (const Edge& e : p.edges) {
      const std::uint32_t ex0 = std::max(cx0, x_.CellOf(std::min(e.lo_lon, e.hi_lon) - margin));
      const std::uint32_t ex1 = std::min(cx1, x_.CellOf(std::max(e.lo_lon, e.hi_lon) + margin));
      const std::uint32_t ey0 = std::max(cy0, y_.CellOf(e.lo_lat));
      const std::uint32_t ey1 = std::min(cy1, y_.CellOf(e.hi_lat));
      for (std::uint32_t y = ey0; y <= ey1; ++y) {
        for (std::uint32_t x = ex0; x <= ex1; ++x) near[(y - cy0) * w + (x - cx0)] = 1;
      }
    }
  }
  const std::uint32_t flags = p.reaches_out ? std::uint32_t{kCheckBox} : 0u;
  for (std::uint32_t y = cy0; y <= cy1; ++y) {
    // The row's edges: those whose latitudes a point of the row can lie within.
    std::uint32_t first_edge = 0;
    std::uint32_t end_edge = 0;
    bool band_made = false;
    for (std::uint32_t x = cx0; x <= cx1; ++x) {
      const std::uint32_t cell = y * x_.count + x;
      bool is_near = near[(y - cy0) * w + (x - cx0)] != 0;
      const double cx = x_.Centre(x);
      const double cy = y_.Centre(y);
      // A centre that rounds into a neighbouring cell says nothing about this one.
      if (!is_near && (x_.CellOf(cx) != x || y_.CellOf(cy) != y)) is_near = true;
      if (!is_near) {
        if (CoversByEdges(p.edges.data(), p.edges.data() + p.edges.size(), cx, cy)) {
          out.push_back({cell, {index, 0, 0, kFull}});
        }
        continue;
      }
      if (!band_made) {
        first_edge = static_cast<std::uint32_t>(edges_.size());
        for (const Edge& e : p.edges) {
          if (y_.CellOf(e.lo_lat) <= y && y <= y_.CellOf(e.hi_lat)) edges_.push_back(e);
        }
        end_edge = static_cast<std::uint32_t>(edges_.size());
        band_made = true;
      }
      out.push_back({cell, {index, first_edge, end_edge, flags}});
    }
  }
}

// Groups the candidates by cell (keeping polygon order), drops those behind a polygon that
// covers the whole cell, and stores one-polygon cells directly.
void CellGeoIndex::FillCells(std::vector<CellCandidate>& pairs) {
  const std::size_t cell_count = static_cast<std::size_t>(x_.count) * y_.count;
  std::vector<std::uint32_t> begin(cell_count + 1, 0);
  for (const CellCandidate& c : pairs) ++begin[c.cell + 1];
  for (std::size_t i = 0; i < cell_count; ++i) begin[i + 1] += begin[i];
  std::vector<Candidate> sorted(pairs.size());
  {
    std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
    for (const CellCandidate& c : pairs) sorted[next[c.cell]++] = c.candidate;
  }
  pairs.clear();
  pairs.shrink_to_fit();

  cells_.assign(cell_count, kNone);
  for (std::size_t cell = 0; cell < cell_count; ++cell) {
    const Candidate* first = sorted.data() + begin[cell];
    const Candidate* end = sorted.data() + begin[cell + 1];
    if (first == end) continue;
    if (first->flags & kFull) {
      cells_[cell] = kDirect | first->polygon;
      continue;
    }
    cells_[cell] = static_cast<std::uint32_t>(candidates_.size());
    for (const Candidate* c = first; c != end; ++c) {
      candidates_.push_back(*c);
      if (c->flags & kFull) break;
    }
    candidates_.back().flags |= kLast;
  }
  candidates_.shrink_to_fit();
  edges_.shrink_to_fit();
}

}  // namespace

std::unique_ptr<GeoIndex> MakeCellGeoIndex(const std::vector<Region>& regions) {
  return std::make_unique<CellGeoIndex>(regions);
}

}  // namespace civicgrid
