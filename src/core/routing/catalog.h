// Reference data the event loop runs on: departments and event categories with their
// responsible department and handling time limit (the responsibility list, minimal form).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/identity/actor.h"

namespace civicgrid {

enum class TimeUnit : std::uint8_t { kHours, kWorkingHours, kWorkingDays };
std::string_view TimeUnitName(TimeUnit u);
std::optional<TimeUnit> TimeUnitFromName(std::string_view name);

struct Department {
  DepartmentId id = 0;
  std::string code;
  std::string name;
  std::string name_en;
  RegionId region_id = 0;  // the level it serves (district departments serve the district)
  bool disabled = false;   // kept for history and accounts, but nothing is dispatched to it
};

struct Category {
  std::string code;
  std::string name;
  std::string name_en;
  std::string parent_code;         // empty for a top-level class
  DepartmentId department_id = 0;  // responsible department (0: the list is silent)
  int time_limit = 0;              // 0: no deadline
  TimeUnit time_unit = TimeUnit::kWorkingDays;
  int priority = 2;
};

}  // namespace civicgrid
