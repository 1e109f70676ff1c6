#include "core/routing/working_calendar.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace civicgrid {
namespace {

using DaySet = std::set<std::int64_t>;

constexpr int kMinutesPerDay = 24 * 60;
constexpr std::int64_t kFarAway = std::numeric_limits<std::int64_t>::max();

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The Shanghai day of an instant and the ms since that day's local midnight.
struct LocalTime {
  std::int64_t day = 0;
  TimeMs ms_of_day = 0;
};

LocalTime ToLocal(TimeMs t) {
  const TimeMs local = t + kShanghaiOffsetMs;
  const std::int64_t day = FloorDiv(local, kMsPerDay);
  return {day, local - day * kMsPerDay};
}

TimeMs FromLocal(std::int64_t day, TimeMs ms_of_day) {
  return day * kMsPerDay + ms_of_day - kShanghaiOffsetMs;
}

bool IsWeekday(std::int64_t day) { return WeekdayFromDays(day) < 5; }

// The first day >= `day` present in either set, or kFarAway.
std::int64_t NextException(const DaySet& a, const DaySet& b, std::int64_t day) {
  const auto ia = a.lower_bound(day);
  const auto ib = b.lower_bound(day);
  return std::min(ia == a.end() ? kFarAway : *ia, ib == b.end() ? kFarAway : *ib);
}

TimeMs PeriodStartMs(const OfficePeriod& p) { return p.start_minute * kMsPerMinute; }
TimeMs PeriodEndMs(const OfficePeriod& p) { return p.end_minute * kMsPerMinute; }

TimeMs OfficeMsPerDay(const std::vector<OfficePeriod>& periods) {
  TimeMs total = 0;
  for (const OfficePeriod& p : periods) total += PeriodEndMs(p) - PeriodStartMs(p);
  return total;
}

// Office time of one working day before `ms_of_day`.
TimeMs OfficeMsBefore(const std::vector<OfficePeriod>& periods, TimeMs ms_of_day) {
  TimeMs total = 0;
  for (const OfficePeriod& p : periods) {
    if (ms_of_day <= PeriodStartMs(p)) break;
    total += std::min(ms_of_day, PeriodEndMs(p)) - PeriodStartMs(p);
  }
  return total;
}

// The time of day at which `office_ms` (0 < office_ms <= a full day) of office time has
// elapsed since the day's opening; exactly a period's worth answers that period's end.
TimeMs TimeOfDayAfterOfficeMs(const std::vector<OfficePeriod>& periods, TimeMs office_ms) {
  for (const OfficePeriod& p : periods) {
    const TimeMs length = PeriodEndMs(p) - PeriodStartMs(p);
    if (office_ms <= length) return PeriodStartMs(p) + office_ms;
    office_ms -= length;
  }
  assert(false && "office_ms exceeds a working day");
  return PeriodEndMs(periods.back());
}

Status LineError(int line_number, const std::string& what) {
  return Fail(ErrorCode::kInvalidArgument,
              "calendar csv line " + std::to_string(line_number) + ": " + what, "csv");
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

WorkingCalendar::WorkingCalendar()
    : periods_{{8 * 60 + 30, 12 * 60}, {13 * 60 + 30, 17 * 60 + 30}} {}

Status WorkingCalendar::LoadCsv(std::string_view csv_text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (csv_text.substr(0, kBom.size()) == kBom) csv_text.remove_prefix(kBom.size());

  // Parse everything first so that a malformed file changes nothing.
  std::vector<std::pair<CivilDate, bool>> rows;  // (date, is_holiday)
  int line_number = 0;
  bool seen_header = false;
  while (!csv_text.empty()) {
    const std::size_t eol = csv_text.find('\n');
    const std::string_view line = Trim(csv_text.substr(0, eol));
    csv_text.remove_prefix(eol == std::string_view::npos ? csv_text.size() : eol + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (!seen_header && line == "date,kind,name") {
      seen_header = true;
      continue;
    }
    const std::size_t c1 = line.find(',');
    const std::size_t c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string_view::npos) {
      return LineError(line_number, "expected date,kind,name");
    }
    const std::string_view date_text = Trim(line.substr(0, c1));
    const std::string_view kind = Trim(line.substr(c1 + 1, c2 - c1 - 1));
    const std::optional<CivilDate> date = ParseDate(date_text);
    if (!date) return LineError(line_number, "bad date '" + std::string(date_text) + "'");
    if (kind != "holiday" && kind != "workday") {
      return LineError(line_number,
                       "kind must be holiday or workday, not '" + std::string(kind) + "'");
    }
    rows.emplace_back(*date, kind == "holiday");
  }
  for (const auto& [date, is_holiday] : rows) {
    if (is_holiday) {
      AddHoliday(date);
    } else {
      AddWorkday(date);
    }
  }
  return Status::Ok();
}

// The two sets stay disjoint: the later call about a day wins.
void WorkingCalendar::AddHoliday(CivilDate d) {
  const std::int64_t day = DaysFromCivil(d);
  workdays_.erase(day);
  holidays_.insert(day);
}

void WorkingCalendar::AddWorkday(CivilDate d) {
  const std::int64_t day = DaysFromCivil(d);
  holidays_.erase(day);
  workdays_.insert(day);
}

Status WorkingCalendar::SetOfficeHours(std::vector<OfficePeriod> periods) {
  if (periods.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "at least one office period is needed",
                "office_hours");
  }
  int previous_end = 0;
  for (const OfficePeriod& p : periods) {
    if (p.start_minute < previous_end || p.start_minute >= p.end_minute ||
        p.end_minute > kMinutesPerDay) {
      return Fail(ErrorCode::kInvalidArgument,
                  "office periods must be ordered, non-empty, non-overlapping and within a day",
                  "office_hours");
    }
    previous_end = p.end_minute;
  }
  periods_ = std::move(periods);
  return Status::Ok();
}

bool WorkingCalendar::IsWorkingDay(CivilDate d) const {
  const std::int64_t day = DaysFromCivil(d);
  if (workdays_.count(day) != 0) return true;
  if (holidays_.count(day) != 0) return false;
  return IsWeekday(day);
}

namespace {

bool IsWorkingDayNumber(const DaySet& holidays, const DaySet& workdays, std::int64_t day) {
  if (workdays.count(day) != 0) return true;
  if (holidays.count(day) != 0) return false;
  return IsWeekday(day);
}

// The n-th working day (n >= 1) counting from `day` inclusive. Stretches without calendar
// exceptions are skipped a week (five working days) at a time, so the cost grows with the
// number of holidays crossed, not with n.
std::int64_t NthWorkingDayFrom(const DaySet& holidays, const DaySet& workdays, std::int64_t day,
                               std::int64_t n) {
  assert(n >= 1);
  std::int64_t next_exception = NextException(holidays, workdays, day);
  for (;;) {
    if (day > next_exception) next_exception = NextException(holidays, workdays, day);
    const std::int64_t clear_days = next_exception == kFarAway ? kFarAway : next_exception - day;
    const std::int64_t weeks = std::min((n - 1) / 5, clear_days / 7);
    if (weeks > 0) {
      day += weeks * 7;
      n -= weeks * 5;
      continue;
    }
    if (IsWorkingDayNumber(holidays, workdays, day) && --n == 0) return day;
    ++day;
  }
}

// Working days in [first, last).
std::int64_t CountWorkingDays(const DaySet& holidays, const DaySet& workdays, std::int64_t first,
                              std::int64_t last) {
  if (last <= first) return 0;
  const std::int64_t span = last - first;
  std::int64_t count = span / 7 * 5;
  for (std::int64_t day = first + span / 7 * 7; day < last; ++day) count += IsWeekday(day) ? 1 : 0;
  for (auto it = holidays.lower_bound(first); it != holidays.end() && *it < last; ++it) {
    count -= IsWeekday(*it) ? 1 : 0;
  }
  for (auto it = workdays.lower_bound(first); it != workdays.end() && *it < last; ++it) {
    count += IsWeekday(*it) ? 0 : 1;
  }
  return count;
}

}  // namespace

TimeMs WorkingCalendar::Deadline(TimeMs start, int amount, TimeUnit unit) const {
  assert(amount >= 0 && "the API validates amounts");
  const std::int64_t n = std::max(amount, 0);
  switch (unit) {
    case TimeUnit::kHours: return start + n * kMsPerHour;

    case TimeUnit::kWorkingDays: {
      const LocalTime local = ToLocal(start);
      // Amount 0: the close of the start day if it is a working day, else of the next one.
      const std::int64_t day = n == 0 ? NthWorkingDayFrom(holidays_, workdays_, local.day, 1)
                                      : NthWorkingDayFrom(holidays_, workdays_, local.day + 1, n);
      return FromLocal(day, PeriodEndMs(periods_.back()));
    }

    case TimeUnit::kWorkingHours: return AddWorkingMs(start, n * kMsPerHour);
  }
  assert(false && "unknown TimeUnit");
  return start;
}

TimeMs WorkingCalendar::AddWorkingMs(TimeMs start, TimeMs ms) const {
  TimeMs need = std::max<TimeMs>(ms, 0);
  if (need == 0) return start;
  const LocalTime local = ToLocal(start);
  std::int64_t day = local.day;
  if (IsWorkingDayNumber(holidays_, workdays_, day)) {
    const TimeMs done = OfficeMsBefore(periods_, local.ms_of_day);
    const TimeMs left_today = OfficeMsPerDay(periods_) - done;
    if (need <= left_today) return FromLocal(day, TimeOfDayAfterOfficeMs(periods_, done + need));
    need -= left_today;
  }
  // `need` > 0 now spreads over whole working days after the start day.
  const TimeMs per_day = OfficeMsPerDay(periods_);
  const std::int64_t full_days = (need - 1) / per_day;
  need -= full_days * per_day;
  day = NthWorkingDayFrom(holidays_, workdays_, day + 1, full_days + 1);
  return FromLocal(day, TimeOfDayAfterOfficeMs(periods_, need));
}

TimeMs WorkingCalendar::OfficeMsPerWorkingDay() const { return OfficeMsPerDay(periods_); }

TimeMs WorkingCalendar::WorkingMsBetween(TimeMs a, TimeMs b) const {
  if (b <= a) return 0;
  const LocalTime la = ToLocal(a);
  const LocalTime lb = ToLocal(b);
  const bool a_working = IsWorkingDayNumber(holidays_, workdays_, la.day);
  const bool b_working = IsWorkingDayNumber(holidays_, workdays_, lb.day);
  const TimeMs before_a = a_working ? OfficeMsBefore(periods_, la.ms_of_day) : 0;
  const TimeMs before_b = b_working ? OfficeMsBefore(periods_, lb.ms_of_day) : 0;
  if (la.day == lb.day) return before_b - before_a;
  const TimeMs per_day = OfficeMsPerDay(periods_);
  const TimeMs rest_of_a = a_working ? per_day - before_a : 0;
  return rest_of_a + CountWorkingDays(holidays_, workdays_, la.day + 1, lb.day) * per_day +
         before_b;
}

}  // namespace civicgrid
