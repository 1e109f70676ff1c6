#include "geo/brute_force_geo_index.h"

// clang-format off
#include <utility>  // before any Boost header: Boost 1.74 with g++ 12 in C++20 mode needs it
// clang-format on

// Boost 1.74's geometry includes one of Boost's own deprecated headers; hush that note.
#ifndef BOOST_ALLOW_DEPRECATED_HEADERS
#define BOOST_ALLOW_DEPRECATED_HEADERS
#endif

#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <cmath>

namespace civicgrid {
namespace {

// Boost.Geometry's own point-in-polygon, deliberately independent of the R-tree index's
// test so that each checks the other. Longitude and latitude are taken as plane coordinates.
namespace bg = boost::geometry;
using BgPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BgPolygon = bg::model::polygon<BgPoint>;  // clockwise, closed
using BgBox = bg::model::box<BgPoint>;

struct PreparedPolygon {
  BgPolygon polygon;
  BgBox box;
  std::size_t position = 0;
};

void CopyRing(const std::vector<GeoPoint>& from, BgPolygon::ring_type& to) {
  to.reserve(from.size() + 1);
  for (const GeoPoint& p : from) to.emplace_back(p.lon, p.lat);
}

class BruteForceGeoIndex : public GeoIndex {
 public:
  explicit BruteForceGeoIndex(const std::vector<Region>& regions) {
    for (std::size_t i = 0; i < regions.size(); ++i) {
      const Polygon& polygon = regions[i].polygon;
      if (polygon.rings.empty() || polygon.rings.front().empty()) continue;
      PreparedPolygon& p = polygons_.emplace_back();
      p.position = i;
      CopyRing(polygon.rings.front(), p.polygon.outer());
      for (std::size_t r = 1; r < polygon.rings.size(); ++r) {
        if (!polygon.rings[r].empty())
          CopyRing(polygon.rings[r], p.polygon.inners().emplace_back());
      }
      bg::correct(p.polygon);  // orientation and closure as the model wants them
      bg::envelope(p.polygon, p.box);
    }
  }

  std::optional<std::size_t> Locate(double lon, double lat) const override {
    if (!std::isfinite(lon) || !std::isfinite(lat)) return std::nullopt;
    const BgPoint point(lon, lat);
    for (const PreparedPolygon& p : polygons_) {  // in position order: the first hit wins
      if (bg::covered_by(point, p.box) && bg::covered_by(point, p.polygon)) return p.position;
    }
    return std::nullopt;
  }

 private:
  std::vector<PreparedPolygon> polygons_;
};

}  // namespace

std::unique_ptr<GeoIndex> MakeBruteForceGeoIndex(const std::vector<Region>& regions) {
  return std::make_unique<BruteForceGeoIndex>(regions);
}

}  // namespace civicgrid
