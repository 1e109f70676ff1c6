// Routing throughput on one core (issue 5): for each event, locate its grid in the demo city's
// R-tree, walk up to its street, find the responsibility list's rule for (category, street) and
// compute the deadline on the official calendar: what statutory dispatch does per event.
// References in the same run: the grid lookup alone, and a rule-map lookup alone.
//   routing_bench [events]   (default 1,000,000)
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "app/application.h"
#include "app/demo/demo_city.h"
#include "core/routing/reference_data.h"
#include "core/routing/routing_service.h"
#include "core/territory/territory.h"
#include "crypto/sodium_crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid {
namespace {

using Steady = std::chrono::steady_clock;

struct Rate {
  double wall_per_s;
  double cpu_per_s;
};

template <typename Body>
Rate Measure(std::size_t n, Body&& body) {
  const std::clock_t cpu0 = std::clock();
  const auto t0 = Steady::now();
  body();
  const double wall = std::chrono::duration<double>(Steady::now() - t0).count();
  const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  return {static_cast<double>(n) / wall, static_cast<double>(n) / cpu};
}

int Run(std::size_t events) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("routing_bench_" + std::to_string(::getpid()) + ".db"))
                               .string();
  {
    auto store = SqliteStore::Open(path);
    if (!store) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 1;
    auto calendar = LoadCalendar("");
    const SodiumCrypto crypto(SodiumCrypto::kOpsLimitMin, SodiumCrypto::kMemLimitMin);
    DemoOptions options;
    options.events = 0;
    options.password = "bench-pass-1";
    auto demo = GenerateDemoCity(**store, crypto, *calendar, options);
    if (!demo) return std::fprintf(stderr, "%s\n", demo.error().message.c_str()), 1;
    (void)(*store)->Close();
  }
  AppOptions app_options;
  app_options.db_path = path;
  auto app = Application::Open(app_options);
  if (!app) return std::fprintf(stderr, "%s\n", app.error().message.c_str()), 1;
  auto ref = (*app)->reference();
  auto rules = (*app)->routing().rules();
  const Territory& territory = ref->territory();

  // Points inside the city's grids (the bounding box of all grid polygons) and listed categories.
  double min_lon = 1e9, min_lat = 1e9, max_lon = -1e9, max_lat = -1e9;
  std::size_t grids = 0;
  for (const Region& r : territory.regions()) {
    if (r.level != RegionLevel::kGrid || r.polygon.rings.empty()) continue;
    ++grids;
    for (const GeoPoint& p : r.polygon.rings[0]) {
      min_lon = std::min(min_lon, p.lon);
      max_lon = std::max(max_lon, p.lon);
      min_lat = std::min(min_lat, p.lat);
      max_lat = std::max(max_lat, p.lat);
    }
  }
  std::vector<std::string> categories;
  for (const ResponsibilityRule& r : rules->rules()) {
    if (r.region_level == RegionLevel::kStreet) categories.push_back(r.category);
  }
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> lon(min_lon, max_lon), lat(min_lat, max_lat);
  struct Input {
    double lon, lat;
    const std::string* category;
    TimeMs at;
  };
  std::vector<Input> inputs(events);
  const TimeMs start = *ParseIso("2026-01-05T08:00:00+08:00");
  for (Input& in : inputs) {
    in = {lon(rng), lat(rng), &categories[rng() % categories.size()],
          start + static_cast<TimeMs>(rng() % (300LL * 86'400'000))};
  }
  std::printf("routing_bench: %zu events, %zu grids, %zu street rules, one thread\n", events, grids,
              categories.size());

  std::size_t routed = 0, located = 0, matched = 0;
  TimeMs checksum = 0;
  const Rate full = Measure(events, [&] {
    for (const Input& in : inputs) {
      Event e;
      e.category = *in.category;
      const Region* grid = territory.LocateGrid(in.lon, in.lat);
      if (grid == nullptr) continue;
      const RegionPath p = territory.PathOf(grid->id);
      e.owner_region_id = p.street_id;
      auto decision = DecideStatutory(*rules, ref->calendar(), territory, e, in.at);
      if (decision && decision->deadline) {
        ++routed;
        checksum += *decision->deadline;
      }
    }
  });
  const Rate locate = Measure(events, [&] {
    for (const Input& in : inputs) located += territory.LocateGrid(in.lon, in.lat) != nullptr;
  });
  const Rate match = Measure(events, [&] {
    for (const Input& in : inputs) {
      matched += rules->Find(*in.category, RegionLevel::kStreet) != nullptr;
    }
  });
  std::printf(
      "  locate + rule + deadline : %10.0f events/s wall, %10.0f events/s CPU (%zu routed)\n",
      full.wall_per_s, full.cpu_per_s, routed);
  std::printf(
      "  reference: locate only   : %10.0f events/s wall, %10.0f events/s CPU (%zu in a grid)\n",
      locate.wall_per_s, locate.cpu_per_s, located);
  std::printf("  reference: rule map only : %10.0f events/s wall, %10.0f events/s CPU (%zu)\n",
              match.wall_per_s, match.cpu_per_s, matched);
  std::printf("  (checksum %lld)\n", static_cast<long long>(checksum % 1000));
  app->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return full.cpu_per_s >= 200'000 ? 0 : 2;
}

}  // namespace
}  // namespace civicgrid

int main(int argc, char** argv) {
  const std::size_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  return civicgrid::Run(events);
}
