#include "geo/packed_rtree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace civicgrid::geo {
namespace {

std::vector<std::uint32_t> Visited(const PackedRtree& tree, double lon, double lat) {
  std::vector<std::uint32_t> out;
  tree.ForEachContaining(lon, lat, [&out](std::uint32_t i) { out.push_back(i); });
  std::sort(out.begin(), out.end());
  return out;
}

bool Contains(const BoundingBox& b, double lon, double lat) {
  return lon >= b.min_lon && lon <= b.max_lon && lat >= b.min_lat && lat <= b.max_lat;
}

TEST(PackedRtreeTest, EmptyAndSingle) {
  EXPECT_TRUE(Visited(PackedRtree({}), 0, 0).empty());
  const PackedRtree one({{0, 0, 1, 1}});
  EXPECT_EQ(Visited(one, 0.5, 0.5), std::vector<std::uint32_t>{0});
  EXPECT_EQ(Visited(one, 1, 1), std::vector<std::uint32_t>{0});  // corners count
  EXPECT_TRUE(Visited(one, 1.5, 0.5).empty());
}

// Every box holding the point is visited, each once; any extra is only a float-rounding
// neighbour (within a float's step of the point).
TEST(PackedRtreeTest, MatchesAScanForManySizes) {
  std::mt19937_64 rng(5);
  for (std::size_t n : {1u, 15u, 16u, 17u, 255u, 256u, 257u, 5000u}) {
    std::uniform_real_distribution<double> coord(116.0, 117.0);
    std::uniform_real_distribution<double> size(0.0, 0.05);
    std::vector<BoundingBox> boxes(n);
    for (BoundingBox& b : boxes) {
      b.min_lon = coord(rng);
      b.min_lat = coord(rng) - 76.0;
      b.max_lon = b.min_lon + size(rng);
      b.max_lat = b.min_lat + size(rng);
    }
    const PackedRtree tree(boxes);
    for (int q = 0; q < 2000; ++q) {
      // Half the queries on a box corner, exactly.
      double lon = coord(rng);
      double lat = coord(rng) - 76.0;
      if (q % 2 == 0) {
        const BoundingBox& b = boxes[static_cast<std::size_t>(q) % n];
        lon = q % 4 == 0 ? b.min_lon : b.max_lon;
        lat = q % 4 == 0 ? b.max_lat : b.min_lat;
      }
      const std::vector<std::uint32_t> visited = Visited(tree, lon, lat);
      ASSERT_TRUE(std::adjacent_find(visited.begin(), visited.end()) == visited.end());
      for (std::uint32_t i = 0; i < n; ++i) {
        const bool found = std::binary_search(visited.begin(), visited.end(), i);
        if (Contains(boxes[i], lon, lat)) {
          ASSERT_TRUE(found) << "n=" << n << " box " << i << " at " << lon << "," << lat;
        } else if (found) {
          const BoundingBox& b = boxes[i];
          const double slack = 1e-5;  // a float's step near 116 is ~7.6e-6
          ASSERT_TRUE(
              Contains({b.min_lon - slack, b.min_lat - slack, b.max_lon + slack, b.max_lat + slack},
                       lon, lat));
        }
      }
    }
  }
}

}  // namespace
}  // namespace civicgrid::geo
