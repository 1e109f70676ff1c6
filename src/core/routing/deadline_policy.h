// Deadline colours and automatic supervision levels (SPEC §3, docs/ROUTING.md):
//  green until 80% of the time limit has passed, yellow from 80%, red from 100% (the deadline);
//  automatic supervision (督办) level 1 at 100%, level 2 at 150%, level 3 at 200% of the limit.
// Shares of the limit count on the limit's own clock: office time for working units (so nights,
// weekends and holidays do not turn an event yellow), wall time for plain hours.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "core/common/time.h"
#include "core/events/event.h"
#include "core/routing/working_calendar.h"

namespace civicgrid {

enum class DeadlineColour : std::uint8_t { kNone, kGreen, kYellow, kRed };
std::string_view DeadlineColourName(DeadlineColour c);  // "none", "green", "yellow", "red"

inline constexpr int kYellowPercent = 80;
inline constexpr int kMaxSupervisionLevel = 3;
// The share of the limit (percent) at which each automatic supervision level fires.
inline constexpr std::array<int, kMaxSupervisionLevel> kSupervisionPercents = {100, 150, 200};

// An event's deadline and the length of its limit on the limit's clock.
struct DeadlineClock {
  TimeMs deadline = 0;
  TimeMs limit_ms = 0;  // 0: unknown (colour from the deadline alone, levels fire at it)
  bool wall_clock = false;
};

// The length of `amount` `unit` on the calendar's clock (office ms for working units).
TimeMs LimitMs(const WorkingCalendar& calendar, int amount, TimeUnit unit);

DeadlineColour ColourAt(const WorkingCalendar& calendar, const DeadlineClock& clock, TimeMs now);

// The colour the event shows: "none" when closed or without a deadline; a suspended event keeps
// the colour it had when its clock stopped. The limit is the category's (the event JSON's
// "deadline_state"; the routing record's exact limit is in GET /events/{id}/routing).
DeadlineColour EventDeadlineColour(const Event& e, const class ReferenceData& reference,
                                   TimeMs now);

// When supervision level `level` (1..3) falls due.
TimeMs SupervisionDueAt(const WorkingCalendar& calendar, const DeadlineClock& clock, int level);
// The highest level due at `now` (0 before the deadline).
int SupervisionLevelAt(const WorkingCalendar& calendar, const DeadlineClock& clock, TimeMs now);

}  // namespace civicgrid
