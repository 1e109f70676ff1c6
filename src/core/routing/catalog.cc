#include "core/routing/catalog.h"

namespace civicgrid {

std::string_view TimeUnitName(TimeUnit u) {
  switch (u) {
    case TimeUnit::kHours: return "hours";
    case TimeUnit::kWorkingHours: return "working_hours";
    case TimeUnit::kWorkingDays: return "working_days";
  }
  return "working_days";
}

std::optional<TimeUnit> TimeUnitFromName(std::string_view name) {
  if (name == "hours") return TimeUnit::kHours;
  if (name == "working_hours") return TimeUnit::kWorkingHours;
  if (name == "working_days") return TimeUnit::kWorkingDays;
  return std::nullopt;
}

}  // namespace civicgrid
