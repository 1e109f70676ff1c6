// The cell index must answer exactly what the R-tree index answers (the implementation it
// replaces in production) for every point: random ones, vertices, points on and a rounding
// step off edges and vertices, in holes, in overlaps and outside; and what Boost.Geometry's
// brute-force scan answers wherever the point is not within rounding of a boundary.
#include "geo/cell_geo_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "geo/brute_force_geo_index.h"
#include "geo/rtree_geo_index.h"
#include "geo/synthetic_grid.h"

namespace civicgrid {
namespace {

using Ring = std::vector<GeoPoint>;

// Points on, near and a floating-point step off every vertex and edge of the regions.
std::vector<GeoPoint> BorderPoints(const std::vector<Region>& regions, std::size_t stride) {
  std::vector<GeoPoint> points;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (std::size_t g = 0; g < regions.size(); g += stride) {
    for (const Ring& ring : regions[g].polygon.rings) {
      for (std::size_t i = 0; i < ring.size(); ++i) {
        const GeoPoint a = ring[i];
        const GeoPoint b = ring[(i + 1) % ring.size()];
        points.push_back(a);
        for (double dx : {-kInf, kInf}) {
          for (double dy : {-kInf, kInf}) {
            points.push_back({std::nextafter(a.lon, dx), std::nextafter(a.lat, dy)});
          }
          points.push_back({std::nextafter(a.lon, dx), a.lat});
          points.push_back({a.lon, std::nextafter(a.lat, dx)});
        }
        for (double t : {0.5, 0.25, 1.0 / 3.0}) {
          const GeoPoint m{a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)};
          points.push_back(m);
          points.push_back({std::nextafter(m.lon, kInf), m.lat});
          points.push_back({std::nextafter(m.lon, -kInf), m.lat});
          points.push_back({m.lon, std::nextafter(m.lat, kInf)});
          points.push_back({a.lon, m.lat});  // on the same latitude as the edge's inside
          points.push_back({m.lon, a.lat});
        }
      }
    }
  }
  return points;
}

void ExpectSameAsRtree(const std::vector<Region>& regions, const std::vector<GeoPoint>& points) {
  const auto cell = MakeCellGeoIndex(regions);
  const auto rtree = MakeRtreeGeoIndex(regions);
  for (const GeoPoint& p : points) {
    ASSERT_EQ(cell->Locate(p.lon, p.lat), rtree->Locate(p.lon, p.lat))
        << std::hexfloat << p.lon << "," << p.lat;
  }
}

TEST(CellGeoIndexTest, MatchesRtreeAndBruteForceOnATessellation) {
  for (std::uint64_t seed : {1u, 7u, 2026u}) {
    SyntheticGridOptions options;
    options.columns = 50;
    options.rows = 30;
    options.segments_per_edge = 6;
    options.seed = seed;
    const std::vector<Region> grids = MakeSyntheticGrid(options);
    const auto cell = MakeCellGeoIndex(grids);
    const auto rtree = MakeRtreeGeoIndex(grids);
    const auto brute = MakeBruteForceGeoIndex(grids);

    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> lon(options.min_lon - 0.01, options.max_lon + 0.01);
    std::uniform_real_distribution<double> lat(options.min_lat - 0.01, options.max_lat + 0.01);
    int found = 0;
    for (int i = 0; i < 200000; ++i) {
      const double x = lon(rng);
      const double y = lat(rng);
      const std::optional<std::size_t> got = cell->Locate(x, y);
      ASSERT_EQ(got, rtree->Locate(x, y)) << std::hexfloat << x << "," << y;
      if (i % 10 == 0) {
        ASSERT_EQ(got, brute->Locate(x, y)) << std::hexfloat << x << "," << y;
      }
      found += got ? 1 : 0;
    }
    EXPECT_GT(found, 150000);
    EXPECT_LT(found, 200000);

    const std::vector<GeoPoint> border = BorderPoints(grids, 1);
    ASSERT_GT(border.size(), 100000u);
    ExpectSameAsRtree(grids, border);
    // Vertices are exact points of the boundary: Boost.Geometry agrees there too, and every
    // vertex belongs to the lowest of the (two to four) grids that share it.
    for (std::size_t g = 0; g < grids.size(); g += 3) {
      for (const GeoPoint& p : grids[g].polygon.rings.front()) {
        const std::optional<std::size_t> got = cell->Locate(p.lon, p.lat);
        ASSERT_TRUE(got.has_value());
        EXPECT_LE(*got, g);
        EXPECT_EQ(got, brute->Locate(p.lon, p.lat));
      }
    }
  }
}

// Random star-shaped polygons of very different sizes, overlapping each other, some with
// holes (either orientation), one hole reaching out of its polygon's box, duplicates.
std::vector<Region> RandomPolygons(std::uint64_t seed, int count) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto star = [&](double cx, double cy, double radius, int vertices, bool clockwise) {
    Ring ring;
    for (int k = 0; k < vertices; ++k) {
      const double angle = 2 * M_PI * k / vertices * (clockwise ? -1 : 1);
      const double r = radius * (0.4 + 0.6 * unit(rng));
      ring.push_back({cx + r * std::cos(angle), cy + r * std::sin(angle)});
    }
    if (unit(rng) < 0.5) ring.push_back(ring.front());  // closed or not
    return ring;
  };
  std::vector<Region> regions;
  for (int i = 0; i < count; ++i) {
    Region& r = regions.emplace_back();
    r.level = RegionLevel::kGrid;
    if (unit(rng) < 0.05) continue;  // no polygon: keeps its position, never answered
    const double cx = 116.2 + 0.5 * unit(rng);
    const double cy = 39.8 + 0.3 * unit(rng);
    const double radius = std::pow(10.0, -5 + 4 * unit(rng));  // 1 m to 10 km
    const int vertices = 3 + static_cast<int>(unit(rng) * 30);
    r.polygon.rings.push_back(star(cx, cy, radius, vertices, unit(rng) < 0.5));
    if (unit(rng) < 0.3) {
      r.polygon.rings.push_back(star(cx, cy, radius * 0.3, 3 + vertices / 2, unit(rng) < 0.5));
    }
  }
  // A hole poking out of its outer ring's box, and a duplicate of an earlier polygon.
  Region& odd = regions.emplace_back();
  odd.level = RegionLevel::kGrid;
  odd.polygon.rings = {{{116.4, 39.9}, {116.41, 39.9}, {116.41, 39.91}, {116.4, 39.91}},
                       {{116.405, 39.905}, {116.42, 39.905}, {116.405, 39.908}}};
  regions.push_back(regions[regions.size() / 2]);
  return regions;
}

TEST(CellGeoIndexTest, MatchesRtreeOnOverlapsHolesAndOddPolygons) {
  for (std::uint64_t seed : {3u, 11u}) {
    const std::vector<Region> regions = RandomPolygons(seed, 3000);
    std::vector<GeoPoint> points = BorderPoints(regions, 1);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> lon(116.19, 116.71);
    std::uniform_real_distribution<double> lat(39.79, 40.11);
    for (int i = 0; i < 200000; ++i) points.push_back({lon(rng), lat(rng)});
    // Near the small polygons too, where random points rarely fall.
    for (const Region& r : regions) {
      if (r.polygon.rings.empty()) continue;
      const GeoPoint c = r.polygon.rings.front().front();
      std::normal_distribution<double> d(0, 1e-4);
      for (int i = 0; i < 20; ++i) points.push_back({c.lon + d(rng), c.lat + d(rng)});
    }
    ExpectSameAsRtree(regions, points);
  }
}

TEST(CellGeoIndexTest, DegenerateLayouts) {
  auto region = [](Ring ring) {
    Region r;
    r.level = RegionLevel::kGrid;
    r.polygon.rings.push_back(std::move(ring));
    return r;
  };
  // All in one column of cells, a zero-area polygon, a single point.
  const std::vector<Region> thin = {region({{1, 0}, {1, 5}, {1, 9}}),
                                    region({{0.5, 0}, {1.5, 0}, {1.5, 3}, {0.5, 3}})};
  const std::vector<Region> dot = {region({{2, 2}})};
  std::vector<GeoPoint> points;
  for (double x = -0.5; x <= 2.5; x += 0.25) {
    for (double y = -1; y <= 10; y += 0.5) points.push_back({x, y});
  }
  ExpectSameAsRtree(thin, points);
  ExpectSameAsRtree(dot, points);
  EXPECT_EQ(MakeCellGeoIndex(thin)->Locate(1, 7), 0u);  // on the degenerate one's "edge"
  // A one-vertex ring has no edge: it covers nothing, not even its vertex (as in the R-tree).
  EXPECT_EQ(MakeCellGeoIndex(dot)->Locate(2, 2), std::nullopt);
}

}  // namespace
}  // namespace civicgrid
