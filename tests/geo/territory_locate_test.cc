// Territory::LocateGrid over the R-tree index, as the locate endpoint and event placement use it:
// points inside, on shared borders, in holes and outside.
#include <gtest/gtest.h>

#include "core/territory/territory.h"
#include "geo/rtree_geo_index.h"

namespace civicgrid {
namespace {

using Ring = std::vector<GeoPoint>;

Ring Square(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

class TerritoryLocateTest : public ::testing::Test {
 protected:
  TerritoryLocateTest() {
    regions_ = {
        {1, 0, RegionLevel::kCommunity, "c", "社区", {{Square(0, 0, 3, 1)}}},
        {2, 1, RegionLevel::kGrid, "c001", "西格", {{Square(0, 0, 1, 1)}}},
        {3,
         1,
         RegionLevel::kGrid,
         "c002",
         "中格",
         {{Square(1, 0, 2, 1), Square(1.4, 0.4, 1.6, 0.6)}}},
        {4, 1, RegionLevel::kGrid, "c003", "东格", {{Square(2, 0, 3, 1)}}},
    };
    std::vector<Region> grids(regions_.size());
    for (std::size_t i = 0; i < regions_.size(); ++i) {
      if (regions_[i].level == RegionLevel::kGrid) grids[i].polygon = regions_[i].polygon;
    }
    territory_ = std::make_unique<Territory>(regions_, MakeRtreeGeoIndex(grids));
  }
  std::string At(double lon, double lat) const {
    const Region* r = territory_->LocateGrid(lon, lat);
    return r == nullptr ? "none" : r->code;
  }
  std::vector<Region> regions_;
  std::unique_ptr<Territory> territory_;
};

TEST_F(TerritoryLocateTest, Inside) {
  EXPECT_EQ(At(0.5, 0.5), "c001");
  EXPECT_EQ(At(1.2, 0.5), "c002");
  EXPECT_EQ(At(2.5, 0.5), "c003");
  EXPECT_EQ(territory_->PathOf(territory_->LocateGrid(2.5, 0.5)->id).community_id, 1);
}

TEST_F(TerritoryLocateTest, BordersBelongToOneGrid) {
  // A shared edge and a shared corner: the first grid in tree order, never none.
  EXPECT_EQ(At(1, 0.5), "c001");
  EXPECT_EQ(At(2, 0.5), "c002");
  EXPECT_EQ(At(1, 1), "c001");
  // The outer border is inside.
  EXPECT_EQ(At(0, 0.5), "c001");
  EXPECT_EQ(At(3, 1), "c003");
}

TEST_F(TerritoryLocateTest, HolesAreOutside) {
  EXPECT_EQ(At(1.5, 0.5), "none");
  EXPECT_EQ(At(1.4, 0.5), "c002") << "the hole's edge is the grid's boundary";
  EXPECT_EQ(At(1.3, 0.5), "c002");
}

TEST_F(TerritoryLocateTest, Outside) {
  EXPECT_EQ(At(-0.0001, 0.5), "none");
  EXPECT_EQ(At(1.5, 1.0001), "none");
  EXPECT_EQ(At(100, 40), "none");
}

}  // namespace
}  // namespace civicgrid
