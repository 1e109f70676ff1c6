// Point → grid lookups per second, single-threaded: the cell index (production) and the R-tree
// index it replaced, against a brute-force scan, on synthetic jittered tessellations of a
// city-sized box (~20 vertices per grid). Each index is timed `runs` times, interleaved.
//   geo_bench [lookups] [runs]   (default 2,000,000 lookups per run, 5 runs)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "geo/brute_force_geo_index.h"
#include "geo/cell_geo_index.h"
#include "geo/rtree_geo_index.h"
#include "geo/synthetic_grid.h"

namespace civicgrid {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Point {
  double lon;
  double lat;
};

std::vector<Point> RandomPoints(const SyntheticGridOptions& box, std::size_t n,
                                std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> lon(box.min_lon, box.max_lon);
  std::uniform_real_distribution<double> lat(box.min_lat, box.max_lat);
  std::vector<Point> points(n);
  for (Point& p : points) p = {lon(rng), lat(rng)};
  return points;
}

struct Rate {
  double wall_per_s;  // what a user sees
  double cpu_per_s;   // this thread's CPU time only: steadier on a shared machine
};

// `found` counts hits so that the loop cannot be optimised away.
Rate Measure(const GeoIndex& index, const std::vector<Point>& points, std::size_t& found) {
  found = 0;
  const std::clock_t cpu0 = std::clock();
  const Clock::time_point t0 = Clock::now();
  for (const Point& p : points) found += index.Locate(p.lon, p.lat).has_value() ? 1 : 0;
  const double wall_s = SecondsSince(t0);
  const double cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  const double n = static_cast<double>(points.size());
  return {n / wall_s, n / cpu_s};
}

void Print(const char* name, std::vector<Rate> rates) {
  std::string wall;
  std::string cpu;
  for (const Rate& r : rates) {
    wall += " " + std::to_string(static_cast<long>(r.wall_per_s / 1000)) + "k";
    cpu += " " + std::to_string(static_cast<long>(r.cpu_per_s / 1000)) + "k";
  }
  auto median = [&rates](double Rate::*field) {
    std::vector<double> v;
    for (const Rate& r : rates) v.push_back(r.*field);
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::printf("   %-12s median %10.0f lookups/s wall, %10.0f CPU   (runs wall:%s; CPU:%s)\n", name,
              median(&Rate::wall_per_s), median(&Rate::cpu_per_s), wall.c_str(), cpu.c_str());
}

void Run(int columns, int rows, std::size_t lookups, std::size_t brute_lookups, int runs) {
  SyntheticGridOptions options;
  options.columns = columns;
  options.rows = rows;
  options.segments_per_edge = 5;  // 20 vertices per grid
  const std::size_t n = static_cast<std::size_t>(columns) * static_cast<std::size_t>(rows);
  std::printf("== %zu grids (%d x %d, 20 vertices each)\n", n, columns, rows);
  std::fflush(stdout);
  Clock::time_point t0 = Clock::now();
  const std::vector<Region> grids = MakeSyntheticGrid(options);
  std::printf("   polygons built in %.2f s\n", SecondsSince(t0));
  t0 = Clock::now();
  const auto rtree = MakeRtreeGeoIndex(grids);
  std::printf("   R-tree built in %.2f s\n", SecondsSince(t0));
  t0 = Clock::now();
  const auto cell = MakeCellGeoIndex(grids);
  std::printf("   cell index built in %.2f s\n", SecondsSince(t0));
  std::fflush(stdout);
  const auto brute = MakeBruteForceGeoIndex(grids);

  // Correctness guard on the brute-force sample and the timed points before timing anything.
  const std::vector<Point> sample = RandomPoints(options, brute_lookups, 7);
  for (const Point& p : sample) {
    const auto expected = brute->Locate(p.lon, p.lat);
    if (rtree->Locate(p.lon, p.lat) != expected || cell->Locate(p.lon, p.lat) != expected) {
      std::printf("MISMATCH at %.9f,%.9f\n", p.lon, p.lat);
      std::exit(1);
    }
  }
  const std::vector<Point> points = RandomPoints(options, lookups, 11);
  for (const Point& p : points) {
    if (rtree->Locate(p.lon, p.lat) != cell->Locate(p.lon, p.lat)) {
      std::printf("MISMATCH (cell vs R-tree) at %.9f,%.9f\n", p.lon, p.lat);
      std::exit(1);
    }
  }

  std::printf("   timing %d x %zu lookups per index ...\n", runs, lookups);
  std::fflush(stdout);
  std::vector<Rate> cell_rates;
  std::vector<Rate> rtree_rates;
  std::size_t found = 0;
  for (int r = 0; r < runs; ++r) {
    cell_rates.push_back(Measure(*cell, points, found));
    rtree_rates.push_back(Measure(*rtree, points, found));
  }
  Print("cell index:", cell_rates);
  Print("R-tree:", rtree_rates);
  const Rate brute_rate = Measure(*brute, sample, found);
  std::printf("   %-12s        %10.0f lookups/s wall, %10.0f CPU   (%zu lookups)\n",
              "brute force:", brute_rate.wall_per_s, brute_rate.cpu_per_s, sample.size());
  std::printf("   %zu/%zu found; cell index / brute force: %.0f x (CPU)\n", found, sample.size(),
              cell_rates[cell_rates.size() / 2].cpu_per_s / brute_rate.cpu_per_s);
}

}  // namespace
}  // namespace civicgrid

int main(int argc, char** argv) {
  const std::size_t lookups = argc > 1 ? std::stoul(argv[1]) : 2000000;
  const int runs = argc > 2 ? std::stoi(argv[2]) : 5;
  civicgrid::Run(100, 100, lookups, 20000, runs);
  civicgrid::Run(500, 400, lookups, 1000, runs);
  return 0;
}
