#include "core/routing/deadline_policy.h"

#include "core/routing/reference_data.h"

namespace civicgrid {

std::string_view DeadlineColourName(DeadlineColour c) {
  switch (c) {
    case DeadlineColour::kNone: return "none";
    case DeadlineColour::kGreen: return "green";
    case DeadlineColour::kYellow: return "yellow";
    case DeadlineColour::kRed: return "red";
  }
  return "none";
}

TimeMs LimitMs(const WorkingCalendar& calendar, int amount, TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kHours:
    case TimeUnit::kWorkingHours: return TimeMs{amount} * 3'600'000;
    case TimeUnit::kWorkingDays: return TimeMs{amount} * calendar.OfficeMsPerWorkingDay();
  }
  return 0;
}

DeadlineColour ColourAt(const WorkingCalendar& calendar, const DeadlineClock& clock, TimeMs now) {
  if (clock.deadline == 0) return DeadlineColour::kNone;
  if (now >= clock.deadline) return DeadlineColour::kRed;
  const TimeMs left =
      clock.wall_clock ? clock.deadline - now : calendar.WorkingMsBetween(now, clock.deadline);
  // Yellow once at most 20% of the limit is left.
  if (clock.limit_ms > 0 && left * 100 <= clock.limit_ms * (100 - kYellowPercent)) {
    return DeadlineColour::kYellow;
  }
  return DeadlineColour::kGreen;
}

DeadlineColour EventDeadlineColour(const Event& e, const ReferenceData& reference, TimeMs now) {
  if (!IsOpen(e.status) || !e.deadline) return DeadlineColour::kNone;
  DeadlineClock clock;
  clock.deadline = *e.deadline;
  if (const Category* c = reference.FindCategory(e.category); c != nullptr) {
    clock.limit_ms = LimitMs(reference.calendar(), c->time_limit, c->time_unit);
    clock.wall_clock = c->time_unit == TimeUnit::kHours;
  }
  return ColourAt(reference.calendar(), clock, e.suspended ? e.suspended_at : now);
}

TimeMs SupervisionDueAt(const WorkingCalendar& calendar, const DeadlineClock& clock, int level) {
  const int percent = kSupervisionPercents[static_cast<std::size_t>(level - 1)];
  const TimeMs past = clock.limit_ms * (percent - 100) / 100;
  if (past == 0) return clock.deadline;
  return clock.wall_clock ? clock.deadline + past : calendar.AddWorkingMs(clock.deadline, past);
}

int SupervisionLevelAt(const WorkingCalendar& calendar, const DeadlineClock& clock, TimeMs now) {
  int level = 0;
  for (int l = 1; l <= kMaxSupervisionLevel; ++l) {
    if (now >= SupervisionDueAt(calendar, clock, l)) level = l;
  }
  return level;
}

}  // namespace civicgrid
