// The event state machine of SPEC §3: the only code that changes an event's status.
// Pure: the use case looks up what it needs (deadlines, the parent level, the merge target)
// and passes it in; the machine decides and returns the event after the action plus the
// history row to append (seq and hashes are filled by the service).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/events/event.h"
#include "core/identity/actor.h"

namespace civicgrid {

struct ActionRequest {
  EventAction action = EventAction::kComment;
  std::int64_t expected_version = 0;
  std::string note;
  DepartmentId department = 0;          // dispatch
  EventId target = 0;                   // merge: the event this one is merged into
  std::optional<bool> passed;           // verify
  int rating = 0;                       // rate: 1..5
  int level = 0;                        // supervise: 1..3 (0 = one above the current)
  std::vector<Attachment> attachments;  // feedback, self_resolve: evidence
  std::optional<TimeMs> deadline;       // extend: the new deadline
};

// Facts looked up by the use case before deciding.
struct TransitionContext {
  TimeMs now = 0;
  std::optional<TimeMs> dispatch_deadline;  // dispatch: deadline from the category's limit
  RegionId parent_region_id = 0;            // escalate: the owner's parent level (0 at the top)
  bool department_exists = false;           // dispatch
  bool target_mergeable = false;            // merge: target exists, open, another event
  bool actor_is_reporter = false;           // rate by a citizen
  // resume: the deadline moved by the office time spent suspended (else by the wall time)
  std::optional<TimeMs> resumed_deadline;
};

struct Transition {
  Event after;
  HistoryEntry entry;  // event_id, action, actor, at, statuses, note, data; no seq or hashes
};

// A camera alarm's event (source camera, still reported) sent to this grid worker: they may
// confirm (accept) or dismiss (reject) it, which RolesAllowed alone gives no grid worker.
bool IsCameraAlarmAssignee(const Actor& actor, const Event& e);
// Which roles may take an action at all (403 for the others).
RoleSet RolesAllowed(EventAction action);
// The states an action may be taken in (409 invalid_transition elsewhere).
bool ActionAllowedIn(EventAction action, EventStatus status);

// Decides an action. Checks, in order: the role (kPermissionDenied), the version (kAborted),
// the state (kFailedPrecondition), the required fields (kMalformed when missing,
// kInvalidArgument when out of range).
Result<Transition> ApplyAction(const Event& before, const ActionRequest& request,
                               const Actor& actor, const TransitionContext& context);

}  // namespace civicgrid
