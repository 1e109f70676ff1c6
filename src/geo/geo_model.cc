#include "geo/geo_model.h"

#include <boost/geometry/algorithms/correct.hpp>
#include <boost/geometry/algorithms/envelope.hpp>
#include <cassert>
#include <limits>

namespace civicgrid::geo {
namespace {

template <typename Ring>
void CopyRing(const std::vector<GeoPoint>& from, Ring& to) {
  to.reserve(from.size() + 1);
  for (const GeoPoint& p : from) to.emplace_back(p.lon, p.lat);
}

}  // namespace

std::vector<PreparedPolygon> PreparePolygons(const std::vector<Region>& regions) {
  assert(regions.size() <= std::numeric_limits<std::uint32_t>::max());
  std::vector<PreparedPolygon> out;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const Polygon& polygon = regions[i].polygon;
    if (polygon.rings.empty() || polygon.rings.front().empty()) continue;
    PreparedPolygon& p = out.emplace_back();
    p.position = static_cast<std::uint32_t>(i);
    CopyRing(polygon.rings.front(), p.polygon.outer());
    for (std::size_t r = 1; r < polygon.rings.size(); ++r) {
      if (polygon.rings[r].empty()) continue;
      CopyRing(polygon.rings[r], p.polygon.inners().emplace_back());
    }
    boost::geometry::correct(p.polygon);
    boost::geometry::envelope(p.polygon, p.box);
  }
  return out;
}

}  // namespace civicgrid::geo
