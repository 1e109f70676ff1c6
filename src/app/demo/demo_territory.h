// The demo city's territory: 北辰市 (2101) → 和平区 (210102) → 8 streets → 4–7 communities each
// → grids, as a jittered tessellation of the district's box. Grid polygons share their
// vertices with their neighbours, communities and streets are rectangular blocks of grids whose
// outlines follow the grid edges exactly, so every level tiles its parent.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "app/demo/demo_random.h"
#include "core/territory/region.h"

namespace civicgrid {

struct DemoGrid {
  std::size_t region = 0;           // index into DemoTerritory::regions
  std::size_t community = 0;        // index into DemoTerritory::communities
  std::size_t street = 0;           // index into DemoTerritory::streets
  std::array<GeoPoint, 4> corners;  // south-west, south-east, north-east, north-west
  std::array<int, 4> roads{};       // indices into DemoTerritory::roads: west, east, south, north
  std::array<std::string, 2> compounds;  // residential compounds (小区) in the grid
  double weight = 1;                     // how many events it sees, relative
};

struct DemoTerritory {
  // In insertion order (parents first); ids are 0 until stored. parent[i] is the index of
  // regions[i]'s parent, or -1 for the root.
  std::vector<Region> regions;
  std::vector<int> parent;
  std::size_t city = 0;
  std::size_t district = 0;
  std::vector<std::size_t> streets;      // region indices
  std::vector<std::size_t> communities;  // region indices
  std::vector<DemoGrid> grids;
  std::vector<std::string> roads;  // the lattice lines' names: 经街 (north-south), 纬路 (east-west)
};

// Deterministic for a given seed.
DemoTerritory BuildDemoTerritory(std::uint64_t seed);

// Crossing-number test against a closed ring (points on an edge may answer either way).
bool PointInRing(const std::vector<GeoPoint>& ring, double lon, double lat);
// A point strictly inside the grid's polygon, rounded to 6 decimals like the vertices.
GeoPoint SamplePointInGrid(const DemoGrid& grid, const Region& region, DemoRng& rng);

}  // namespace civicgrid
