#include "geo/rtree_geo_index.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "geo/brute_force_geo_index.h"
#include "geo/cell_geo_index.h"
#include "geo/synthetic_grid.h"

namespace civicgrid {
namespace {

using Ring = std::vector<GeoPoint>;

Region MakeRegion(std::vector<Ring> rings) {
  Region r;
  r.level = RegionLevel::kGrid;
  r.polygon.rings = std::move(rings);
  return r;
}

Ring Square(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};  // counter-clockwise
}

Ring Reversed(Ring ring) { return Ring(ring.rbegin(), ring.rend()); }

enum class Impl { kBruteForce, kRtree, kCell };

// Every implementation must answer every expectation.
class GeoIndexTest : public ::testing::TestWithParam<Impl> {
 protected:
  std::unique_ptr<GeoIndex> Make(const std::vector<Region>& regions) const {
    switch (GetParam()) {
      case Impl::kBruteForce: return MakeBruteForceGeoIndex(regions);
      case Impl::kRtree: return MakeRtreeGeoIndex(regions);
      case Impl::kCell: return MakeCellGeoIndex(regions);
    }
    return nullptr;
  }
};

INSTANTIATE_TEST_SUITE_P(Impl, GeoIndexTest,
                         ::testing::Values(Impl::kBruteForce, Impl::kRtree, Impl::kCell),
                         [](const auto& param_info) {
                           switch (param_info.param) {
                             case Impl::kBruteForce: return "BruteForce";
                             case Impl::kRtree: return "Rtree";
                             case Impl::kCell: return "Cell";
                           }
                           return "";
                         });

constexpr std::optional<std::size_t> kNowhere = std::nullopt;

TEST_P(GeoIndexTest, SquareInsideOutsideEdgesAndVertices) {
  const auto index = Make({MakeRegion({Square(0, 0, 10, 10)})});
  EXPECT_EQ(index->Locate(5, 5), 0u);
  EXPECT_EQ(index->Locate(0, 5), 0u);    // on an edge
  EXPECT_EQ(index->Locate(10, 10), 0u);  // on a vertex
  EXPECT_EQ(index->Locate(0, 0), 0u);
  EXPECT_EQ(index->Locate(10, 3), 0u);
  EXPECT_EQ(index->Locate(10.000001, 5), kNowhere);
  EXPECT_EQ(index->Locate(-1, -1), kNowhere);
  EXPECT_EQ(index->Locate(20, 20), kNowhere);
}

TEST_P(GeoIndexTest, EitherOrientationWorks) {
  const auto index =
      Make({MakeRegion({Reversed(Square(0, 0, 1, 1))}), MakeRegion({Square(2, 0, 3, 1)})});
  EXPECT_EQ(index->Locate(0.5, 0.5), 0u);
  EXPECT_EQ(index->Locate(2.5, 0.5), 1u);
  EXPECT_EQ(index->Locate(1.5, 0.5), kNowhere);
}

TEST_P(GeoIndexTest, UnclosedTriangle) {
  const auto index = Make({MakeRegion({{{0, 0}, {4, 0}, {0, 4}}})});
  EXPECT_EQ(index->Locate(1, 1), 0u);
  EXPECT_EQ(index->Locate(2, 2), 0u);  // on the hypotenuse
  EXPECT_EQ(index->Locate(2.001, 2), kNowhere);
  EXPECT_EQ(index->Locate(0, 4), 0u);
  EXPECT_EQ(index->Locate(-0.001, 4), kNowhere);
}

TEST_P(GeoIndexTest, ConcavePolygon) {
  // A U: the notch (4..6 × 4..10) is outside although inside the bounding box.
  const Ring u = {{0, 0}, {10, 0}, {10, 10}, {6, 10}, {6, 4}, {4, 4}, {4, 10}, {0, 10}, {0, 0}};
  const auto index = Make({MakeRegion({u})});
  EXPECT_EQ(index->Locate(5, 8), kNowhere);
  EXPECT_EQ(index->Locate(5, 2), 0u);
  EXPECT_EQ(index->Locate(2, 8), 0u);
  EXPECT_EQ(index->Locate(8, 8), 0u);
  EXPECT_EQ(index->Locate(5, 4), 0u);  // the notch's floor is boundary
  EXPECT_EQ(index->Locate(6, 7), 0u);  // a notch wall
  EXPECT_EQ(index->Locate(6, 4), 0u);  // a reflex vertex
}

TEST_P(GeoIndexTest, HolesAndIslands) {
  // Position 0: a square with a square hole; position 1: an island filling the hole.
  const auto with_island = Make(
      {MakeRegion({Square(0, 0, 10, 10), Square(4, 4, 6, 6)}), MakeRegion({Square(4, 4, 6, 6)})});
  EXPECT_EQ(with_island->Locate(5, 5), 1u);
  EXPECT_EQ(with_island->Locate(2, 2), 0u);
  EXPECT_EQ(with_island->Locate(4, 5), 0u);  // the hole's edge belongs to both: lowest wins
  EXPECT_EQ(with_island->Locate(6, 6), 0u);

  const auto alone = Make({MakeRegion({Square(0, 0, 10, 10), Reversed(Square(4, 4, 6, 6))})});
  EXPECT_EQ(alone->Locate(5, 5), kNowhere);
  EXPECT_EQ(alone->Locate(5.9, 4.1), kNowhere);
  EXPECT_EQ(alone->Locate(6, 5), 0u);  // the hole's boundary is the polygon's boundary
  EXPECT_EQ(alone->Locate(7, 5), 0u);
}

TEST_P(GeoIndexTest, SharedBoundaryGoesToTheLowestPosition) {
  const auto index = Make({MakeRegion({Square(1, 0, 2, 1)}), MakeRegion({Square(0, 0, 1, 1)})});
  EXPECT_EQ(index->Locate(1, 0.5), 0u);
  EXPECT_EQ(index->Locate(0.5, 0.5), 1u);
  EXPECT_EQ(index->Locate(1, 1), 0u);
  // Overlapping polygons: the lower position wins everywhere in the overlap.
  const auto overlap = Make({MakeRegion({Square(0, 0, 2, 2)}), MakeRegion({Square(1, 1, 3, 3)}),
                             MakeRegion({Square(0, 0, 3, 3)})});
  EXPECT_EQ(overlap->Locate(1.5, 1.5), 0u);
  EXPECT_EQ(overlap->Locate(2.5, 2.5), 1u);
  EXPECT_EQ(overlap->Locate(0.5, 2.5), 2u);
}

TEST_P(GeoIndexTest, RegionsWithoutPolygonsKeepTheirPositions) {
  Region city;  // no polygon
  const auto index =
      Make({city, MakeRegion({Square(0, 0, 1, 1)}), city, MakeRegion({Square(2, 2, 3, 3)})});
  EXPECT_EQ(index->Locate(0.5, 0.5), 1u);
  EXPECT_EQ(index->Locate(2.5, 2.5), 3u);
  EXPECT_EQ(index->Locate(1.5, 1.5), kNowhere);
  EXPECT_EQ(Make({})->Locate(0, 0), kNowhere);
  EXPECT_EQ(Make({city})->Locate(0, 0), kNowhere);
}

TEST_P(GeoIndexTest, NonFiniteCoordinatesAreNowhere) {
  const auto index = Make({MakeRegion({Square(-1e9, -1e9, 1e9, 1e9)})});
  EXPECT_EQ(index->Locate(std::nan(""), 0), kNowhere);
  EXPECT_EQ(index->Locate(0, std::numeric_limits<double>::infinity()), kNowhere);
}

TEST(RtreeGeoIndexTest, MatchesBruteForceOnATessellation) {
  SyntheticGridOptions options;
  options.columns = 40;
  options.rows = 25;  // 1,000 cells
  options.segments_per_edge = 8;
  options.seed = 2026;
  const std::vector<Region> grids = MakeSyntheticGrid(options);
  ASSERT_EQ(grids.size(), 1000u);
  const auto rtree = MakeRtreeGeoIndex(grids);
  const auto brute = MakeBruteForceGeoIndex(grids);

  std::mt19937_64 rng(99);
  // A margin around the box so that some points fall outside every cell.
  std::uniform_real_distribution<double> lon(options.min_lon - 0.01, options.max_lon + 0.01);
  std::uniform_real_distribution<double> lat(options.min_lat - 0.01, options.max_lat + 0.01);
  int outside = 0;
  for (int i = 0; i < 100000; ++i) {
    const double x = lon(rng);
    const double y = lat(rng);
    const std::optional<std::size_t> expected = brute->Locate(x, y);
    ASSERT_EQ(rtree->Locate(x, y), expected) << x << "," << y;
    const bool in_box = x >= options.min_lon && x <= options.max_lon && y >= options.min_lat &&
                        y <= options.max_lat;
    // The tessellation covers its box exactly.
    ASSERT_EQ(expected.has_value(), in_box) << x << "," << y;
    outside += expected ? 0 : 1;
  }
  EXPECT_GT(outside, 1000);

  // Every vertex lies on two to four cells: found, and by the lowest of them.
  for (std::size_t g = 0; g < grids.size(); g += 7) {
    for (const GeoPoint& p : grids[g].polygon.rings.front()) {
      const std::optional<std::size_t> found = rtree->Locate(p.lon, p.lat);
      ASSERT_TRUE(found.has_value());
      EXPECT_LE(*found, g);
      EXPECT_EQ(found, brute->Locate(p.lon, p.lat));
    }
  }
}

TEST(SyntheticGridTest, ShapeOfTheCells) {
  SyntheticGridOptions options;
  options.columns = 3;
  options.rows = 2;
  const std::vector<Region> grids = MakeSyntheticGrid(options);
  ASSERT_EQ(grids.size(), 6u);
  for (const Region& r : grids) {
    ASSERT_EQ(r.polygon.rings.size(), 1u);
    const Ring& ring = r.polygon.rings.front();
    EXPECT_EQ(ring.size(), 4u * 5u + 1u);
    EXPECT_EQ(ring.front().lon, ring.back().lon);
    EXPECT_EQ(ring.front().lat, ring.back().lat);
  }
  EXPECT_EQ(grids[0].code, "G000001");
  EXPECT_EQ(grids[5].id, 6);
}

}  // namespace
}  // namespace civicgrid
