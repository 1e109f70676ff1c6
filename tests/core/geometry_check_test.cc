#include "core/territory/geometry_check.h"

#include <gtest/gtest.h>

namespace civicgrid {
namespace {

using Ring = std::vector<GeoPoint>;

Ring Square(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

Polygon Poly(std::vector<Ring> rings) { return Polygon{std::move(rings)}; }

std::string ReasonOf(const Status& s) { return s ? "ok" : s.error().reason; }

TEST(GeometryCheckTest, ValidShapesPass) {
  EXPECT_EQ(ReasonOf(CheckPolygonShape(Poly({Square(0, 0, 1, 1)}), "g")), "ok");
  EXPECT_EQ(ReasonOf(CheckPolygonShape(Poly({Square(0, 0, 4, 4), Square(1, 1, 2, 2)}), "g")), "ok");
  // Concave (an L).
  EXPECT_EQ(ReasonOf(CheckPolygonShape(
                Poly({{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}}), "g")),
            "ok");
}

TEST(GeometryCheckTest, SelfIntersectingRingsAreRefused) {
  // A bow tie.
  auto s = CheckPolygonShape(Poly({{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}), "210102001001001");
  EXPECT_EQ(ReasonOf(s), "self_intersection");
  EXPECT_EQ(s.error().field, "210102001001001");
  EXPECT_NE(s.error().message.find("210102001001001"), std::string::npos);
  // Touching itself at a vertex (a figure eight through a shared point).
  EXPECT_EQ(ReasonOf(CheckPolygonShape(
                Poly({{{0, 0}, {2, 0}, {1, 1}, {2, 2}, {0, 2}, {1, 1}, {0, 0}}}), "g")),
            "self_intersection");
  // Folding back along an edge.
  EXPECT_EQ(ReasonOf(CheckPolygonShape(Poly({{{0, 0}, {2, 0}, {1, 0}, {1, 1}, {0, 0}}}), "g")),
            "self_intersection");
}

TEST(GeometryCheckTest, UnclosedAndTooFewPoints) {
  EXPECT_EQ(ReasonOf(CheckPolygonShape(Poly({{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}), "g")),
            "unclosed_ring");
  EXPECT_EQ(ReasonOf(CheckPolygonShape(Poly({{{0, 0}, {1, 0}, {0, 0}}}), "g")), "too_few_points");
  EXPECT_EQ(ReasonOf(CheckPolygonShape(Poly({{{0, 0}, {1, 0}, {2, 0}, {0, 0}}}), "g")),
            "self_intersection")
      << "collinear: the ring runs back over itself";
  EXPECT_EQ(ReasonOf(CheckPolygonShape(Poly({}), "g")), "too_few_points");
  EXPECT_EQ(ReasonOf(CheckPolygonShape(Poly({Square(0, 0, 200, 1)}), "g")), "invalid_coordinates");
}

TEST(GeometryCheckTest, HoleOutsideTheOuterRing) {
  EXPECT_EQ(ReasonOf(CheckPolygonShape(Poly({Square(0, 0, 1, 1), Square(2, 2, 3, 3)}), "g")),
            "hole_outside");
}

TEST(GeometryCheckTest, OverlapVersusSharedBorders) {
  const Polygon a = Poly({Square(0, 0, 1, 1)});
  EXPECT_FALSE(PolygonsOverlap(a, Poly({Square(1, 0, 2, 1)}))) << "shared edge";
  EXPECT_FALSE(PolygonsOverlap(a, Poly({Square(1, 1, 2, 2)}))) << "shared corner";
  EXPECT_FALSE(PolygonsOverlap(a, Poly({Square(1, 0.5, 2, 1.5)}))) << "partly shared edge";
  EXPECT_TRUE(PolygonsOverlap(a, Poly({Square(0.5, 0.5, 2, 2)})));
  EXPECT_TRUE(PolygonsOverlap(a, a)) << "identical";
  EXPECT_TRUE(PolygonsOverlap(a, Poly({Square(0.2, 0.2, 0.8, 0.8)}))) << "inside";
  EXPECT_TRUE(PolygonsOverlap(a, Poly({Square(0, 0, 0.5, 1)}))) << "inside, sharing edges";
  EXPECT_TRUE(PolygonsOverlap(Poly({Square(0, 0.4, 3, 0.6)}), Poly({Square(1, 0, 2, 1)})))
      << "a cross: no vertex inside the other";
}

TEST(GeometryCheckTest, WithinParent) {
  const Polygon parent = Poly({Square(0, 0, 4, 4), Square(1, 1, 2, 2)});
  EXPECT_TRUE(PolygonWithin(Poly({Square(0, 0, 1, 1)}), parent)) << "touching the border";
  EXPECT_FALSE(PolygonWithin(Poly({Square(3, 3, 5, 5)}), parent));
  EXPECT_FALSE(PolygonWithin(Poly({Square(1.2, 1.2, 1.8, 1.8)}), parent)) << "in the hole";
  // An L-shaped parent: a square over its notch has all corners on or in it but is not inside.
  const Polygon l = Poly({{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}});
  EXPECT_TRUE(PolygonWithin(Poly({Square(0, 0, 1, 1)}), l));
  EXPECT_FALSE(PolygonWithin(Poly({{{1, 1}, {2, 1}, {1, 2}, {1, 1}}}), l));
}

TEST(GeometryCheckTest, TreeChecksNameTheOffendingFeature) {
  std::vector<Region> tree(4);
  tree[0] = {1, 0, RegionLevel::kCommunity, "c", "社区", Poly({Square(0, 0, 2, 1)})};
  tree[1] = {2, 1, RegionLevel::kGrid, "c001", "一", Poly({Square(0, 0, 1, 1)})};
  tree[2] = {3, 1, RegionLevel::kGrid, "c002", "二", Poly({Square(1, 0, 2, 1)})};
  tree[3] = {4, 1, RegionLevel::kGrid, "c003", "三", Poly({Square(0.5, 0, 1.5, 1)})};
  EXPECT_EQ(ReasonOf(CheckRegionTree({tree[0], tree[1], tree[2]}, {1, 2})), "ok");
  auto overlap = CheckRegionTree(tree, {3});
  EXPECT_EQ(ReasonOf(overlap), "overlapping_siblings");
  EXPECT_EQ(overlap.error().field, "c003");
  tree[3].polygon = Poly({Square(1.5, 0, 2.5, 1)});
  tree[2].polygon = Poly({Square(1, 0, 1.5, 1)});
  auto outside = CheckRegionTree(tree, {3});
  EXPECT_EQ(ReasonOf(outside), "outside_parent");
  EXPECT_EQ(outside.error().field, "c003");
  // Shrinking the parent leaves a child outside: the child is named.
  tree.resize(3);
  tree[2].polygon = Poly({Square(1, 0, 2, 1)});
  tree[0].polygon = Poly({Square(0, 0, 1.5, 1)});
  auto orphaned = CheckRegionTree(tree, {0});
  EXPECT_EQ(ReasonOf(orphaned), "outside_parent");
  EXPECT_EQ(orphaned.error().field, "c002");
  // A grid must have a polygon.
  tree[1].polygon = {};
  EXPECT_EQ(CheckRegionTree(tree, {1}).error().field, "c001");
}

}  // namespace
}  // namespace civicgrid
