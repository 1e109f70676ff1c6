// Working time on the official Chinese calendar (SPEC §3 "Working time"): office hours on
// working days in Asia/Shanghai; public holidays off, make-up working days (调休) on.
#pragma once

#include <set>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "core/common/time.h"
#include "core/routing/catalog.h"

namespace civicgrid {

// A span of office hours within a day, minutes since local midnight, [start, end).
struct OfficePeriod {
  int start_minute = 0;
  int end_minute = 0;
};

class WorkingCalendar {
 public:
  // Office hours 08:30–12:00 and 13:30–17:30, Monday–Friday, no holidays loaded.
  WorkingCalendar();

  // Reads one year's file ("date,kind,name" rows, kind = holiday | workday, '#' comments).
  // Fails with kInvalidArgument naming the line on a malformed row.
  Status LoadCsv(std::string_view csv_text);
  void AddHoliday(CivilDate d);  // a local day off
  void AddWorkday(CivilDate d);  // a make-up working day
  // Fails unless the periods are ordered, non-empty, non-overlapping and within a day.
  Status SetOfficeHours(std::vector<OfficePeriod> periods);

  bool IsWorkingDay(CivilDate d) const;
  // The deadline for `amount` of `unit` counted from `start`:
  //  hours: wall clock; working_hours: only office hours count (an amount that ends exactly
  //  at a period's end answers that end); working_days: the close of office hours on the
  //  Nth working day after the day of `start` (Shanghai date).
  // Amount 0 answers `start` for hours and working_hours, and for working_days the close of
  // the start day if it is a working day (else of the next working day), even if that close
  // is already past. `amount` must be >= 0 (asserted; treated as 0 when asserts are off).
  TimeMs Deadline(TimeMs start, int amount, TimeUnit unit) const;
  // The instant after `ms` of office time from `start` (the working-hours arithmetic in ms;
  // suspensions and supervision levels use it). ms <= 0 answers `start`.
  TimeMs AddWorkingMs(TimeMs start, TimeMs ms) const;
  // Office time in one working day (8 h with the default hours).
  TimeMs OfficeMsPerWorkingDay() const;
  // Office time (ms) between two instants; 0 when b <= a.
  TimeMs WorkingMsBetween(TimeMs a, TimeMs b) const;

 private:
  std::set<std::int64_t> holidays_;  // days since epoch
  std::set<std::int64_t> workdays_;
  std::vector<OfficePeriod> periods_;
};

}  // namespace civicgrid
