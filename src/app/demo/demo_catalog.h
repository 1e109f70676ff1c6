// The demo city's departments and event categories (the responsibility list), compiled in so
// the binary works from any directory. Category codes keep the standards' codes behind a
// letter for their table, since the tables reuse the same numbers:
//   U… urban-management matters (GB/T 47678.5-2026, data/codes/urban-management.csv),
//   P… urban-management components (部件, CJ/T 214 classes; subcodes are local),
//   D… disputes (GB/T 31000-2015 矛盾纠纷, data/codes/dispute-types.csv),
//   H… common hotline matters (local additions, time limits after data/codes/time-limits.csv).
// Codes ending in 9x are local additions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/routing/catalog.h"

namespace civicgrid {

struct DemoDepartmentSpec {
  std::string_view code;  // also the suffix of its handlers' usernames: handler_<code>
  std::string_view name;
  std::string_view name_en;
};

// Which channels report a category, and when in the year.
enum DemoCategoryFlag : std::uint32_t {
  kDemoCamera = 1u << 0,       // video analytics detects it
  kDemoPetition = 1u << 1,     // brought as a petition (信访) or a dispute
  kDemoSelfResolve = 1u << 2,  // a grid worker may settle it on the spot
  kDemoHeating = 1u << 3,      // only in the cold (heating) season, November to March
  kDemoSummer = 1u << 4,       // more from May to September
  kDemoWinter = 1u << 5,       // more from December to February (snow; wages before the New Year)
};

struct DemoCategorySpec {
  std::string_view code;
  std::string_view parent;  // empty for a class
  std::string_view name;
  std::string_view name_en;
  std::string_view department;  // a DemoDepartmentSpec code
  int time_limit = 0;
  TimeUnit time_unit = TimeUnit::kWorkingDays;
  int priority = 2;
  double weight = 0;  // relative frequency; 0 for classes
  std::uint32_t flags = 0;
  // '|'-separated templates. {X} a residential compound, {R} a road, {S} a crossing road,
  // {N} a house number ("27号"), {L} a building ("7号楼"), {U} a unit ("2单元"),
  // {D} a duration ("近一周").
  std::string_view titles;
  std::string_view details;
  std::string_view results;  // what the handler reports back
};

std::span<const DemoDepartmentSpec> DemoDepartments();
// Classes first, then their categories.
std::span<const DemoCategorySpec> DemoCategories();
// The department whose handler is the demo's "handler" login (城市管理局).
inline constexpr std::string_view kDemoMainDepartment = "urban";

}  // namespace civicgrid
