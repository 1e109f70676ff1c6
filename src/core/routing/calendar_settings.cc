#include "core/routing/calendar_settings.h"

namespace civicgrid {

Result<WorkingCalendar> ApplyCalendarSettings(WorkingCalendar base, const CalendarSettings& s) {
  if (!s.office_hours.empty()) {
    if (auto st = base.SetOfficeHours(s.office_hours); !st) return st.error();
  }
  for (const LocalDay& d : s.days) {
    if (d.working) {
      base.AddWorkday(d.date);
    } else {
      base.AddHoliday(d.date);
    }
  }
  return base;
}

}  // namespace civicgrid
