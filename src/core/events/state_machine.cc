#include "core/events/state_machine.h"

#include <algorithm>

#include "core/common/text.h"

namespace civicgrid {

namespace {

using S = EventStatus;
using A = EventAction;

bool HasText(const std::string& s) { return !Trim(s).empty(); }

// The role the actor takes the action as: the first allowed role it holds, in this order of
// preference (so a dispatcher who is also a leader acts as dispatcher).
std::string_view ActingRole(const Actor& actor, RoleSet allowed) {
  for (int i = 0; i < kRoleCount; ++i) {
    const auto r = static_cast<Role>(i);
    if (allowed.Has(r) && actor.roles.Has(r)) return RoleName(r);
  }
  return "";
}

// Handler actions belong to the department the event is assigned to.
bool ActsForAssignedDepartment(const Actor& actor, const Event& e) {
  if (!actor.roles.Has(Role::kHandler)) return true;
  const bool only_handler =
      !actor.roles.Intersects({Role::kDispatcher, Role::kStreetLead, Role::kLeader});
  return !only_handler || (e.department_id != 0 && actor.scope.department_id == e.department_id);
}

void AppendField(std::string& data, std::string_view key, std::int64_t value) {
  data += data.size() > 1 ? "," : "";
  AppendJsonString(data, key);
  data += ':';
  data += std::to_string(value);
}

void AppendField(std::string& data, std::string_view key, std::string_view value) {
  data += data.size() > 1 ? "," : "";
  AppendJsonString(data, key);
  data += ':';
  AppendJsonString(data, value);
}

void AppendAttachments(std::string& data, const std::vector<Attachment>& attachments) {
  data += data.size() > 1 ? "," : "";
  data += "\"attachments\":[";
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    if (i) data += ',';
    data += "{\"type\":";
    AppendJsonString(data, attachments[i].type);
    data += ",\"url\":";
    AppendJsonString(data, attachments[i].url);
    data += '}';
  }
  data += ']';
}

Status CheckAttachments(const std::vector<Attachment>& attachments) {
  if (attachments.size() > 20) {
    return Fail(ErrorCode::kInvalidArgument, "at most 20 attachments", "attachments");
  }
  for (const auto& a : attachments) {
    if (a.type != "photo" && a.type != "video" && a.type != "audio" && a.type != "document") {
      return Fail(ErrorCode::kInvalidArgument,
                  "attachment type must be photo, video, audio or document", "attachments");
    }
    if (!HasText(a.url) || a.url.size() > 2048) {
      return Fail(ErrorCode::kInvalidArgument, "attachment url must be 1..2048 characters",
                  "attachments");
    }
  }
  return Status::Ok();
}

Status RequireNote(const ActionRequest& r, std::string_view what) {
  if (!HasText(r.note)) {
    return Fail(ErrorCode::kMalformed, std::string(what) + " needs a note", "note",
                "missing_field");
  }
  return Status::Ok();
}

}  // namespace

bool IsCameraAlarmAssignee(const Actor& actor, const Event& e) {
  return e.source == EventSource::kCamera && e.status == S::kReported && e.assignee_user_id != 0 &&
         e.assignee_user_id == actor.user_id && actor.roles.Has(Role::kGridWorker);
}

RoleSet RolesAllowed(EventAction action) {
  switch (action) {
    case A::kReport: return {};
    case A::kAccept:
    case A::kReject: return {Role::kDispatcher, Role::kStreetLead};
    case A::kMerge: return {Role::kDispatcher, Role::kStreetLead};
    case A::kSelfResolve: return {Role::kGridWorker};
    case A::kDispatch: return {Role::kDispatcher, Role::kStreetLead, Role::kLeader};
    case A::kClaim:
    case A::kReturn:
    case A::kFeedback: return {Role::kHandler};
    case A::kVerify: return {Role::kDispatcher, Role::kStreetLead, Role::kGridWorker};
    case A::kRate: return {Role::kOperator, Role::kDispatcher, Role::kCitizen};
    case A::kEscalate: return {Role::kDispatcher, Role::kStreetLead, Role::kHandler};
    case A::kSupervise: return {Role::kDispatcher, Role::kLeader, Role::kStreetLead};
    case A::kSuspend:
    case A::kResume:
    case A::kExtend: return {Role::kDispatcher, Role::kLeader};
    case A::kComment:
      return {Role::kCitizen,     Role::kGridWorker, Role::kOperator, Role::kDispatcher,
              Role::kHandler,     Role::kStreetLead, Role::kLeader,   Role::kMediator,
              Role::kPoliceClerk, Role::kAdmin};
  }
  return {};
}

bool ActionAllowedIn(EventAction action, EventStatus s) {
  switch (action) {
    case A::kReport: return false;
    case A::kAccept:
    case A::kReject:
    case A::kSelfResolve: return s == S::kReported;
    case A::kMerge: return s == S::kReported || s == S::kAccepted;
    case A::kDispatch: return s == S::kAccepted;
    case A::kClaim: return s == S::kDispatched;
    case A::kReturn: return s == S::kDispatched || s == S::kInProgress;
    case A::kFeedback: return s == S::kInProgress;
    case A::kVerify: return s == S::kHandled;
    case A::kRate: return s == S::kClosed;
    case A::kEscalate:
      return s == S::kReported || s == S::kAccepted || s == S::kDispatched || s == S::kInProgress;
    case A::kSupervise:
    case A::kSuspend:
    case A::kResume:
    case A::kExtend: return IsOpen(s);
    case A::kComment: return true;
  }
  return false;
}

Result<Transition> ApplyAction(const Event& before, const ActionRequest& r, const Actor& actor,
                               const TransitionContext& ctx) {
  RoleSet allowed = RolesAllowed(r.action);
  // Camera alarms (issue 5): the grid worker the alarm was sent to confirms it on the spot
  // (accept: it goes on to dispatch) or dismisses it as a false alarm (reject with a reason).
  const bool camera_decision = (r.action == A::kAccept || r.action == A::kReject) &&
                               IsCameraAlarmAssignee(actor, before) &&
                               !allowed.Intersects(actor.roles);
  if (camera_decision) allowed = {Role::kGridWorker};
  if (!allowed.Intersects(actor.roles)) {
    return Fail(ErrorCode::kPermissionDenied,
                "your role may not " + std::string(ActionName(r.action)) + " events", "action");
  }
  if (r.expected_version != before.version) {
    return Fail(ErrorCode::kAborted,
                "the event has changed (version " + std::to_string(before.version) + ", you sent " +
                    std::to_string(r.expected_version) + "); reload and retry",
                "expected_version");
  }
  if (!ActionAllowedIn(r.action, before.status)) {
    return Fail(ErrorCode::kFailedPrecondition,
                "cannot " + std::string(ActionName(r.action)) + " an event that is " +
                    std::string(StatusName(before.status)),
                "action");
  }
  const bool clock_action =
      r.action == A::kResume || r.action == A::kComment || r.action == A::kSupervise;
  if (before.suspended && !clock_action) {
    return Fail(ErrorCode::kFailedPrecondition, "the event is suspended; resume it first", "action",
                "event_suspended");
  }
  if ((r.action == A::kClaim || r.action == A::kReturn || r.action == A::kFeedback ||
       r.action == A::kEscalate) &&
      !ActsForAssignedDepartment(actor, before)) {
    return Fail(ErrorCode::kPermissionDenied, "the event is assigned to another department",
                "action");
  }

  Transition t;
  Event& e = t.after;
  e = before;
  std::string data = "{";

  switch (r.action) {
    case A::kReport: break;  // unreachable: refused by ActionAllowedIn
    case A::kAccept: e.status = S::kAccepted; break;
    case A::kReject:
      if (auto s = RequireNote(r, "reject"); !s) return s.error();
      e.status = S::kRejected;
      e.closed_at = ctx.now;
      break;
    case A::kMerge:
      if (r.target == 0) {
        return Fail(ErrorCode::kMalformed, "merge needs the target event", "target",
                    "missing_field");
      }
      if (r.target == before.id || !ctx.target_mergeable) {
        return Fail(ErrorCode::kInvalidArgument,
                    "the target must be another open event you can see", "target");
      }
      e.status = S::kMerged;
      e.merged_into = r.target;
      e.closed_at = ctx.now;
      AppendField(data, "target", r.target);
      break;
    case A::kSelfResolve:
      if (auto s = RequireNote(r, "self_resolve"); !s) return s.error();
      if (auto s = CheckAttachments(r.attachments); !s) return s.error();
      e.status = S::kClosed;
      e.closed_at = ctx.now;
      e.attachments.insert(e.attachments.end(), r.attachments.begin(), r.attachments.end());
      if (!r.attachments.empty()) AppendAttachments(data, r.attachments);
      break;
    case A::kDispatch:
      if (r.department == 0) {
        return Fail(ErrorCode::kMalformed, "dispatch needs a department", "department",
                    "missing_field");
      }
      if (!ctx.department_exists) {
        return Fail(ErrorCode::kInvalidArgument, "unknown department", "department");
      }
      e.status = S::kDispatched;
      e.department_id = r.department;
      e.assignee_user_id = 0;
      if (ctx.dispatch_deadline) e.deadline = ctx.dispatch_deadline;
      AppendField(data, "department", r.department);
      if (e.deadline) AppendField(data, "deadline", FormatIsoShanghai(*e.deadline));
      break;
    case A::kClaim:
      e.status = S::kInProgress;
      e.assignee_user_id = actor.user_id;
      break;
    case A::kReturn:
      if (auto s = RequireNote(r, "return"); !s) return s.error();
      e.status = S::kAccepted;
      AppendField(data, "department", e.department_id);
      e.department_id = 0;
      e.assignee_user_id = 0;
      break;
    case A::kFeedback:
      if (auto s = RequireNote(r, "feedback"); !s) return s.error();
      if (auto s = CheckAttachments(r.attachments); !s) return s.error();
      e.status = S::kHandled;
      e.attachments.insert(e.attachments.end(), r.attachments.begin(), r.attachments.end());
      if (!r.attachments.empty()) AppendAttachments(data, r.attachments);
      break;
    case A::kVerify:
      if (!r.passed) {
        return Fail(ErrorCode::kMalformed, "verify needs passed: true or false", "passed",
                    "missing_field");
      }
      if (*r.passed) {
        e.status = S::kClosed;
        e.closed_at = ctx.now;
      } else {
        if (auto s = RequireNote(r, "a failed verification"); !s) return s.error();
        e.status = S::kInProgress;
      }
      data += std::string("\"passed\":") + (*r.passed ? "true" : "false");
      break;
    case A::kRate:
      if (r.rating < 1 || r.rating > 5) {
        return Fail(ErrorCode::kInvalidArgument, "rating must be 1 to 5", "rating");
      }
      if (!actor.roles.Intersects({Role::kOperator, Role::kDispatcher}) && !ctx.actor_is_reporter) {
        return Fail(ErrorCode::kPermissionDenied, "only the reporter may rate this event",
                    "action");
      }
      e.status = S::kEvaluated;
      e.rating = r.rating;
      AppendField(data, "rating", r.rating);
      break;
    case A::kEscalate:
      if (auto s = RequireNote(r, "escalate"); !s) return s.error();
      if (ctx.parent_region_id == 0) {
        return Fail(ErrorCode::kFailedPrecondition, "the event is already at the top level",
                    "action", "no_parent_level");
      }
      AppendField(data, "from_region", e.owner_region_id);
      AppendField(data, "to_region", ctx.parent_region_id);
      e.owner_region_id = ctx.parent_region_id;
      e.escalation_level += 1;
      if (e.status != S::kReported) {
        e.status = S::kAccepted;
        e.department_id = 0;
        e.assignee_user_id = 0;
      }
      break;
    case A::kSupervise: {
      const int level = r.level == 0 ? std::min(3, before.supervision_level + 1) : r.level;
      if (level < 1 || level > 3) {
        return Fail(ErrorCode::kInvalidArgument, "supervision level must be 1 to 3", "level");
      }
      e.supervision_level = std::max(before.supervision_level, level);
      AppendField(data, "level", level);
      break;
    }
    case A::kSuspend:
      if (auto s = RequireNote(r, "suspend"); !s) return s.error();
      e.suspended = true;
      e.suspended_at = ctx.now;
      break;
    case A::kResume:
      if (!before.suspended) {
        return Fail(ErrorCode::kFailedPrecondition, "the event is not suspended", "action");
      }
      e.suspended = false;
      if (e.deadline) {
        // The clock was paused: the deadline moves by the time spent suspended.
        e.deadline = ctx.resumed_deadline ? *ctx.resumed_deadline
                                          : *e.deadline + (ctx.now - before.suspended_at);
        AppendField(data, "deadline", FormatIsoShanghai(*e.deadline));
      }
      AppendField(data, "paused_ms", ctx.now - before.suspended_at);
      e.suspended_at = 0;
      break;
    case A::kExtend:
      if (auto s = RequireNote(r, "extend"); !s) return s.error();
      if (!r.deadline) {
        return Fail(ErrorCode::kMalformed, "extend needs the new deadline", "deadline",
                    "missing_field");
      }
      if (before.deadline && *r.deadline <= *before.deadline) {
        return Fail(ErrorCode::kInvalidArgument, "the new deadline must be later than the old",
                    "deadline");
      }
      if (*r.deadline <= ctx.now) {
        return Fail(ErrorCode::kInvalidArgument, "the new deadline is in the past", "deadline");
      }
      e.deadline = r.deadline;
      AppendField(data, "deadline", FormatIsoShanghai(*e.deadline));
      break;
    case A::kComment:
      if (auto s = RequireNote(r, "comment"); !s) return s.error();
      break;
  }
  if (camera_decision) {
    AppendField(data, "camera_alarm", r.action == A::kAccept ? "confirmed" : "dismissed");
  }
  data += '}';

  e.version = before.version + 1;
  e.updated_at = ctx.now;

  HistoryEntry& h = t.entry;
  h.event_id = before.id;
  h.action = r.action;
  h.actor_id = actor.user_id;
  h.actor_name = actor.username;
  h.actor_role = std::string(ActingRole(actor, allowed));
  h.at = ctx.now;
  h.from_status = before.status;
  h.to_status = e.status;
  h.note = r.note;
  h.data = data == "{}" ? std::string() : data;
  return t;
}

}  // namespace civicgrid
