// The routing records of one event (SPEC §3): how it was dispatched (mode, rule version, lead and
// co-handlers), the clock its deadline colour is measured on, whistle summons, automatic
// supervision notices and duplicate proposals. Kept beside the event row, not in it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/time.h"
#include "core/events/event.h"
#include "core/routing/responsibility_rule.h"

namespace civicgrid {

// 法定拍 statutory (automatic from the list), 商定拍 negotiated (lead + co-handlers chosen by the
// dispatcher), 指定拍 designated (a leader's choice where the list is silent), manual (a plain
// dispatch action).
enum class DispatchMode : std::uint8_t { kStatutory, kNegotiated, kDesignated, kManual };
std::string_view DispatchModeName(DispatchMode m);

struct CoHandler {
  DepartmentId department_id = 0;
  std::optional<TimeMs> reported_at;  // when it reported its part
  std::string note;
};

struct EventRouting {
  EventId event_id = 0;
  DispatchMode mode = DispatchMode::kManual;
  std::int64_t rule_id = 0;  // the rule version row it was dispatched under (0: none)
  int rule_version = 0;
  DepartmentId lead_department_id = 0;
  TimeMs clock_start = 0;   // when the current time limit started (dispatch)
  TimeMs limit_ms = 0;      // the limit measured on the clock below (0: no deadline)
  bool wall_clock = false;  // the limit is in plain hours, not working time
  // Who verifies the handler's result (from the rule; the centre when there is none).
  Verification verification = Verification::kCentre;
  std::vector<CoHandler> co_handlers;
};

// 吹哨报到: a street or community summons departments to an event; each must report in time.
struct WhistleCall {
  DepartmentId department_id = 0;
  std::optional<TimeMs> reported_at;
};

struct Whistle {
  std::int64_t id = 0;
  EventId event_id = 0;
  RegionId region_id = 0;  // the street or community that blew it
  UserId summoned_by = 0;
  std::string note;
  TimeMs created_at = 0;
  TimeMs respond_by = 0;
  std::vector<WhistleCall> calls;
};

// 督办: one per event and level, to the department (and its leaders through their queue).
struct SupervisionNotice {
  EventId event_id = 0;
  int level = 0;
  DepartmentId department_id = 0;
  TimeMs at = 0;
  bool automatic = true;
};

enum class DuplicateState : std::uint8_t { kProposed, kMerged, kKept };
std::string_view DuplicateStateName(DuplicateState s);

// A new report that looks like an open event: same category, near, recent.
struct DuplicateProposal {
  EventId event_id = 0;      // the new report
  EventId candidate_id = 0;  // the open event it may repeat
  double distance_m = 0;
  DuplicateState state = DuplicateState::kProposed;
  TimeMs at = 0;
};

// An open event with a deadline, as the deadline watcher loads it.
struct OpenDeadline {
  EventId event_id = 0;
  TimeMs deadline = 0;
  TimeMs limit_ms = 0;
  bool wall_clock = false;
  int supervision_level = 0;
  bool suspended = false;
};

}  // namespace civicgrid
