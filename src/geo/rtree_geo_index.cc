#include "geo/rtree_geo_index.h"

// clang-format off
#include <utility>  // before any Boost header: Boost 1.74 with g++ 12 in C++20 mode needs it
// clang-format on

// Boost 1.74's rtree includes one of Boost's own deprecated headers; hush that note.
#ifndef BOOST_ALLOW_DEPRECATED_HEADERS
#define BOOST_ALLOW_DEPRECATED_HEADERS
#endif

#include <boost/geometry/algorithms/disjoint.hpp>  // point-in-box, for the queries
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>
#include <cmath>
#include <limits>

#include "geo/polygon_set.h"

namespace civicgrid {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

// Boxes in float halve the tree's memory and cache traffic; they are rounded outwards, and
// a query point rounds monotonically, so a box that holds the exact point holds its float.
using FloatPoint = bg::model::point<float, 2, bg::cs::cartesian>;
using FloatBox = bg::model::box<FloatPoint>;

float RoundDown(double d) {
  const float f = static_cast<float>(d);
  return static_cast<double>(f) > d ? std::nextafter(f, -std::numeric_limits<float>::infinity())
                                    : f;
}

float RoundUp(double d) {
  const float f = static_cast<float>(d);
  return static_cast<double>(f) < d ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}

class RtreeGeoIndex : public GeoIndex {
 public:
  explicit RtreeGeoIndex(const std::vector<Region>& regions) {
    std::vector<Entry> entries;
    for (std::size_t position = 0; position < regions.size(); ++position) {
      const Polygon& polygon = regions[position].polygon;
      if (polygon.rings.empty() || polygon.rings.front().empty()) continue;
      const std::uint32_t index = polygons_.Add(polygon);
      positions_.push_back(position);
      const geo::BoundingBox b = polygons_.Bounds(index);
      entries.emplace_back(FloatBox(FloatPoint(RoundDown(b.min_lon), RoundDown(b.min_lat)),
                                    FloatPoint(RoundUp(b.max_lon), RoundUp(b.max_lat))),
                           index);
    }
    tree_ = Tree(entries);  // the packing (bulk-loading) constructor
  }

  std::optional<std::size_t> Locate(double lon, double lat) const override {
    if (!std::isfinite(lon) || !std::isfinite(lat)) return std::nullopt;
    const FloatPoint point(static_cast<float>(lon), static_cast<float>(lat));
    // Polygon indexes grow with positions, so the lowest covering index is the lowest
    // covering position: every candidate box is visited, the exact test runs only on those
    // that could still win.
    std::uint32_t best = kNone;
    tree_.query(bgi::intersects(point), boost::make_function_output_iterator([&](const Entry& e) {
                  if (e.second < best && polygons_.Covers(e.second, lon, lat)) best = e.second;
                }));
    if (best == kNone) return std::nullopt;
    return positions_[best];
  }

 private:
  using Entry = std::pair<FloatBox, std::uint32_t>;  // (bounding box, index in polygons_)
  using Tree = bgi::rtree<Entry, bgi::quadratic<8>>;
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  geo::PolygonSet polygons_;
  std::vector<std::size_t> positions_;  // index in polygons_ → position in the regions
  Tree tree_;
};

}  // namespace

std::unique_ptr<GeoIndex> MakeRtreeGeoIndex(const std::vector<Region>& regions) {
  return std::make_unique<RtreeGeoIndex>(regions);
}

}  // namespace civicgrid
