// Internal to src/geo: the Boost.Geometry model the geo indexes are built on. Other layers
// include rtree_geo_index.h / brute_force_geo_index.h, never this file.
#pragma once

// clang-format off
#include <utility>  // before any Boost header: Boost 1.74 with g++ 12 in C++20 mode needs it
// clang-format on

// Boost 1.74's geometry includes one of Boost's own deprecated headers; hush that note.
#ifndef BOOST_ALLOW_DEPRECATED_HEADERS
#define BOOST_ALLOW_DEPRECATED_HEADERS
#endif

#include <boost/geometry/algorithms/covered_by.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/territory/region.h"

namespace civicgrid::geo {

// Longitude and latitude taken as plane coordinates: grids are small enough for that.
using BgPoint = boost::geometry::model::point<double, 2, boost::geometry::cs::cartesian>;
using BgPolygon = boost::geometry::model::polygon<BgPoint>;  // clockwise, closed
using BgBox = boost::geometry::model::box<BgPoint>;

struct PreparedPolygon {
  BgPolygon polygon;
  BgBox box;
  std::uint32_t position = 0;  // in the vector of regions given to the factory
};

// The regions with a non-empty polygon, converted once (orientation and closure corrected),
// in increasing position.
std::vector<PreparedPolygon> PreparePolygons(const std::vector<Region>& regions);

inline bool Covers(const PreparedPolygon& p, const BgPoint& point) {
  return boost::geometry::covered_by(point, p.box) && boost::geometry::covered_by(point, p.polygon);
}

}  // namespace civicgrid::geo
