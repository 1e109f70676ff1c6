// The first page of GET /api/v1/events with each single filter, through the use case and the
// store (what a handler adds on top is encoding the page), on an existing database:
//   build/list_query_bench --db var/demo-1m.db [--runs 30]
// Prints the median and the worst of `runs` calls per filter, in milliseconds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "app/application.h"
#include "app/cli_args.h"

using namespace civicgrid;  // a benchmark's main, not a header

int main(int argc, char** argv) {
  auto args = CliArgs::Parse(std::vector<std::string>(argv + 1, argv + argc), {});
  if (!args || args->Get("db").empty()) {
    std::fprintf(stderr, "usage: list_query_bench --db PATH [--runs N]\n");
    return 2;
  }
  const int runs = static_cast<int>(args->GetInt("runs", 30, 1, 10000).value());
  AppOptions options;
  options.db_path = args->Get("db");
  auto app = Application::Open(options);
  if (!app) {
    std::fprintf(stderr, "%s\n", app.error().message.c_str());
    return 1;
  }
  auto ref = (*app)->reference();
  const Region* street = nullptr;
  const Region* grid = nullptr;
  for (const auto& r : ref->territory().regions()) {
    if (!street && r.level == RegionLevel::kStreet) street = &r;
    if (!grid && r.level == RegionLevel::kGrid) grid = &r;
  }
  Actor dispatcher;  // city-wide, as a centre dispatcher
  dispatcher.user_id = 1;
  dispatcher.roles.Add(Role::kAdmin);
  const TimeMs now = (*app)->clock().Now();

  struct Case {
    std::string name;
    std::function<void(EventFilter&)> set;
  };
  const std::string category = ref->categories().empty() ? "" : ref->categories()[0].code;
  const DepartmentId department = ref->departments().empty() ? 0 : ref->departments()[0].id;
  std::vector<Case> cases = {
      {"no filter", [](EventFilter&) {}},
      {"status=in_progress", [](EventFilter& f) { f.statuses = {EventStatus::kInProgress}; }},
      {"status=reported", [](EventFilter& f) { f.statuses = {EventStatus::kReported}; }},
      {"category=" + category, [&](EventFilter& f) { f.category = category; }},
      {"source=hotline", [](EventFilter& f) { f.source = EventSource::kHotline; }},
      {"department", [&](EventFilter& f) { f.department_id = department; }},
      {"region=street",
       [&](EventFilter& f) {
         f.region_id = street ? street->id : 0;
         f.region_level = RegionLevel::kStreet;
       }},
      {"grid", [&](EventFilter& f) { f.grid_id = grid ? grid->id : 0; }},
      {"from=7 days ago", [&](EventFilter& f) { f.created_from = now - 7 * kMsPerDay; }},
      {"to=300 days ago", [&](EventFilter& f) { f.created_to = now - 300 * kMsPerDay; }},
      {"updated_from=1 day ago", [&](EventFilter& f) { f.updated_from = now - kMsPerDay; }},
      {"overdue=true", [](EventFilter& f) { f.overdue = true; }},
      {"q=井盖", [](EventFilter& f) { f.text = "井盖"; }},
      {"q=噪音扰民", [](EventFilter& f) { f.text = "噪音扰民"; }},
      {"q=no match", [](EventFilter& f) { f.text = "火星基地"; }},
  };
  std::printf("%-26s %10s %10s %8s\n", "filter (first page, 50)", "median ms", "max ms", "rows");
  for (const auto& c : cases) {
    std::vector<double> ms;
    std::size_t rows = 0;
    for (int i = 0; i < runs; ++i) {
      EventFilter f;
      f.limit = 50;
      c.set(f);
      const auto t0 = std::chrono::steady_clock::now();
      auto page = (*app)->events().List(dispatcher, f);
      const auto t1 = std::chrono::steady_clock::now();
      if (!page) {
        std::fprintf(stderr, "%s: %s\n", c.name.c_str(), page.error().message.c_str());
        return 1;
      }
      rows = page->items.size();
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%-26s %10.2f %10.2f %8zu\n", c.name.c_str(), ms[ms.size() / 2], ms.back(), rows);
  }
  return 0;
}
