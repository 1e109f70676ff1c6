#include "geo/synthetic_grid.h"

#include <cassert>
#include <cmath>
#include <cstdio>
#include <random>
#include <utility>

namespace civicgrid {
namespace {

// Points strictly inside an edge from a to b, shared by the two cells on either side.
std::vector<GeoPoint> EdgeInterior(GeoPoint a, GeoPoint b, int segments, double sideways,
                                   bool on_border, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> offset(-sideways, sideways);
  std::vector<GeoPoint> points;
  for (int s = 1; s < segments; ++s) {
    const double t = static_cast<double>(s) / segments;
    GeoPoint p{a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)};
    if (!on_border) {
      // Displace perpendicular to the edge; the edge is mostly horizontal or vertical.
      const double d = offset(rng);
      const double dx = b.lon - a.lon;
      const double dy = b.lat - a.lat;
      if (std::abs(dx) > std::abs(dy)) {
        p.lat += d;
      } else {
        p.lon += d;
      }
    }
    points.push_back(p);
  }
  return points;
}

}  // namespace

std::vector<Region> MakeSyntheticGrid(const SyntheticGridOptions& o) {
  assert(o.columns > 0 && o.rows > 0 && o.segments_per_edge > 0);
  const std::size_t cols = static_cast<std::size_t>(o.columns);
  const std::size_t rows = static_cast<std::size_t>(o.rows);
  const double cell_w = (o.max_lon - o.min_lon) / o.columns;
  const double cell_h = (o.max_lat - o.min_lat) / o.rows;
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);

  // Corners (cols + 1) × (rows + 1); border corners slide only along the border.
  std::vector<GeoPoint> corners((cols + 1) * (rows + 1));
  auto corner = [&](std::size_t i, std::size_t j) -> GeoPoint& {
    return corners[j * (cols + 1) + i];
  };
  for (std::size_t j = 0; j <= rows; ++j) {
    for (std::size_t i = 0; i <= cols; ++i) {
      const bool x_border = i == 0 || i == cols;
      const bool y_border = j == 0 || j == rows;
      const double jx = x_border ? 0 : unit(rng) * o.corner_jitter * cell_w;
      const double jy = y_border ? 0 : unit(rng) * o.corner_jitter * cell_h;
      corner(i, j) = {o.min_lon + static_cast<double>(i) * cell_w + jx,
                      o.min_lat + static_cast<double>(j) * cell_h + jy};
    }
  }
  const int seg = o.segments_per_edge;
  // Horizontal edges (i, j) → (i + 1, j) and vertical edges (i, j) → (i, j + 1).
  std::vector<std::vector<GeoPoint>> horizontal(cols * (rows + 1));
  std::vector<std::vector<GeoPoint>> vertical((cols + 1) * rows);
  for (std::size_t j = 0; j <= rows; ++j) {
    for (std::size_t i = 0; i < cols; ++i) {
      horizontal[j * cols + i] = EdgeInterior(corner(i, j), corner(i + 1, j), seg,
                                              o.edge_jitter * cell_h, j == 0 || j == rows, rng);
    }
  }
  for (std::size_t j = 0; j < rows; ++j) {
    for (std::size_t i = 0; i <= cols; ++i) {
      vertical[j * (cols + 1) + i] = EdgeInterior(corner(i, j), corner(i, j + 1), seg,
                                                  o.edge_jitter * cell_w, i == 0 || i == cols, rng);
    }
  }

  std::vector<Region> regions;
  regions.reserve(cols * rows);
  for (std::size_t j = 0; j < rows; ++j) {
    for (std::size_t i = 0; i < cols; ++i) {
      std::vector<GeoPoint> ring;
      ring.reserve(static_cast<std::size_t>(4 * seg + 1));
      auto append = [&ring](const std::vector<GeoPoint>& pts, bool reversed) {
        if (reversed) {
          ring.insert(ring.end(), pts.rbegin(), pts.rend());
        } else {
          ring.insert(ring.end(), pts.begin(), pts.end());
        }
      };
      // Counter-clockwise: south edge east, east edge north, north edge west, west edge south.
      ring.push_back(corner(i, j));
      append(horizontal[j * cols + i], false);
      ring.push_back(corner(i + 1, j));
      append(vertical[j * (cols + 1) + i + 1], false);
      ring.push_back(corner(i + 1, j + 1));
      append(horizontal[(j + 1) * cols + i], true);
      ring.push_back(corner(i, j + 1));
      append(vertical[j * (cols + 1) + i], true);
      ring.push_back(corner(i, j));

      Region& r = regions.emplace_back();
      r.id = static_cast<RegionId>(regions.size());
      r.level = RegionLevel::kGrid;
      char code[16];
      std::snprintf(code, sizeof code, "G%06zu", regions.size());
      r.code = code;
      r.name = r.code;
      r.polygon.rings.push_back(std::move(ring));
    }
  }
  return regions;
}

}  // namespace civicgrid
