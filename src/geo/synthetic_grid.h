// Synthetic grids for tests, benchmarks and demos: a jittered tessellation of a box into
// columns × rows cells whose shared edges are identical, so the cells cover the box exactly
// once (apart from the shared boundaries).
#pragma once

#include <cstdint>
#include <vector>

#include "core/territory/region.h"

namespace civicgrid {

struct SyntheticGridOptions {
  double min_lon = 116.20;  // a city-sized box (about 42 × 33 km around Beijing)
  double min_lat = 39.80;
  double max_lon = 116.70;
  double max_lat = 40.10;
  int columns = 100;
  int rows = 100;
  int segments_per_edge = 5;   // 4 × this many vertices per cell
  double corner_jitter = 0.2;  // of a cell's size, < 0.25 keeps cells simple
  double edge_jitter = 0.05;   // sideways displacement of edge vertices, of a cell's size
  std::uint64_t seed = 1;
};

// Cells row by row from the south-west corner; RegionLevel::kGrid, id = position + 1,
// code "G000001"..., one closed counter-clockwise outer ring each. The outer boundary of
// the tessellation is the box itself (corners on the box edge are not jittered off it).
std::vector<Region> MakeSyntheticGrid(const SyntheticGridOptions& options);

}  // namespace civicgrid
