// Point → grid lookups per second, single-threaded: the R-tree index against a brute-force
// scan, on synthetic jittered tessellations of a city-sized box (~20 vertices per grid).
//   geo_bench [lookups]   (default 2,000,000 per R-tree run)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "geo/brute_force_geo_index.h"
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

void Run(int columns, int rows, std::size_t rtree_lookups, std::size_t brute_lookups) {
  SyntheticGridOptions options;
  options.columns = columns;
  options.rows = rows;
  options.segments_per_edge = 5;  // 20 vertices per grid
  const std::size_t n = static_cast<std::size_t>(columns) * static_cast<std::size_t>(rows);
  std::printf("== %zu grids (%d x %d, 20 vertices each)\n", n, columns, rows);

  std::printf("   building polygons ...\n");
  std::fflush(stdout);
  Clock::time_point t0 = Clock::now();
  const std::vector<Region> grids = MakeSyntheticGrid(options);
  std::printf("   polygons built in %.2f s; building the R-tree ...\n", SecondsSince(t0));
  std::fflush(stdout);
  t0 = Clock::now();
  const auto rtree = MakeRtreeGeoIndex(grids);
  std::printf("   R-tree built in %.2f s; brute force prepared ...\n", SecondsSince(t0));
  std::fflush(stdout);
  const auto brute = MakeBruteForceGeoIndex(grids);

  // Correctness guard on the brute-force sample before timing anything.
  const std::vector<Point> sample = RandomPoints(options, brute_lookups, 7);
  for (const Point& p : sample) {
    if (rtree->Locate(p.lon, p.lat) != brute->Locate(p.lon, p.lat)) {
      std::printf("MISMATCH at %.9f,%.9f\n", p.lon, p.lat);
      std::exit(1);
    }
  }

  std::printf("   timing %zu R-tree lookups ...\n", rtree_lookups);
  std::fflush(stdout);
  const std::vector<Point> points = RandomPoints(options, rtree_lookups, 11);
  std::size_t found = 0;
  const Rate rtree_rate = Measure(*rtree, points, found);
  std::printf("   rtree:       %12.0f lookups/s (CPU time: %.0f/s)  %zu/%zu found\n",
              rtree_rate.wall_per_s, rtree_rate.cpu_per_s, found, points.size());
  std::printf("   timing %zu brute-force lookups ...\n", brute_lookups);
  std::fflush(stdout);
  const Rate brute_rate = Measure(*brute, sample, found);
  std::printf("   brute force: %12.0f lookups/s (CPU time: %.0f/s)  %zu/%zu found\n",
              brute_rate.wall_per_s, brute_rate.cpu_per_s, found, sample.size());
  std::printf("   ratio:       %12.0f x\n", rtree_rate.wall_per_s / brute_rate.wall_per_s);
}

}  // namespace
}  // namespace civicgrid

int main(int argc, char** argv) {
  const std::size_t lookups = argc > 1 ? std::stoul(argv[1]) : 2000000;
  civicgrid::Run(100, 100, lookups, 20000);
  civicgrid::Run(500, 400, lookups, 1000);
  return 0;
}
