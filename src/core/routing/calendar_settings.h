// The organisation's own working-time settings (SPEC §3 "Working time"): office hours and local
// days off (or extra working days) on top of the official calendar. Stored; applied to the
// calendar whenever the reference data is rebuilt.
#pragma once

#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/routing/working_calendar.h"

namespace civicgrid {

struct LocalDay {
  CivilDate date;
  bool working = false;  // false: a local day off; true: an extra working day
  std::string name;
};

struct CalendarSettings {
  std::vector<OfficePeriod> office_hours;  // empty: the default 08:30–12:00, 13:30–17:30
  std::vector<LocalDay> days;
};

// `base` (the official calendar) with the settings applied; fails on invalid office hours.
Result<WorkingCalendar> ApplyCalendarSettings(WorkingCalendar base, const CalendarSettings& s);

}  // namespace civicgrid
