#include "core/events/state_machine.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>

namespace civicgrid {
namespace {

using S = EventStatus;
using A = EventAction;

constexpr TimeMs kNow = 1'780'000'000'000;
constexpr DepartmentId kDept = 5;

Event EventIn(S status) {
  Event e;
  e.id = 42;
  e.status = status;
  e.version = 3;
  e.department_id = kDept;
  e.owner_region_id = 9;
  e.deadline = kNow + kMsPerDay;
  e.reporter_user_id = 77;
  return e;
}

// An actor holding the first role allowed for the action (a handler of kDept).
Actor AllowedActor(A action) {
  Actor a;
  a.user_id = 1;
  a.username = "u";
  for (int i = 0; i < kRoleCount; ++i) {
    if (RolesAllowed(action).Has(static_cast<Role>(i))) {
      a.roles.Add(static_cast<Role>(i));
      break;
    }
  }
  a.scope.department_id = kDept;
  return a;
}

ActionRequest CompleteRequest(A action, std::int64_t version = 3) {
  ActionRequest r;
  r.action = action;
  r.expected_version = version;
  r.note = "理由";
  r.department = kDept;
  r.target = 99;
  r.passed = true;
  r.rating = 5;
  r.level = 1;
  r.deadline = kNow + 3 * kMsPerDay;
  return r;
}

TransitionContext Context() {
  TransitionContext c;
  c.now = kNow;
  c.dispatch_deadline = kNow + 2 * kMsPerDay;
  c.parent_region_id = 3;
  c.department_exists = true;
  c.target_mergeable = true;
  c.actor_is_reporter = true;
  return c;
}

// The whole table: for each action, the states it may be taken in and the state it leads to.
// Every other (state, action) pair must be refused with kFailedPrecondition.
const std::map<A, std::map<S, S>>& Table() {
  static const std::map<A, std::map<S, S>> table = {
      {A::kAccept, {{S::kReported, S::kAccepted}}},
      {A::kReject, {{S::kReported, S::kRejected}}},
      {A::kMerge, {{S::kReported, S::kMerged}, {S::kAccepted, S::kMerged}}},
      {A::kSelfResolve, {{S::kReported, S::kClosed}}},
      {A::kDispatch, {{S::kAccepted, S::kDispatched}}},
      {A::kClaim, {{S::kDispatched, S::kInProgress}}},
      {A::kReturn, {{S::kDispatched, S::kAccepted}, {S::kInProgress, S::kAccepted}}},
      {A::kFeedback, {{S::kInProgress, S::kHandled}}},
      {A::kVerify, {{S::kHandled, S::kClosed}}},
      {A::kRate, {{S::kClosed, S::kEvaluated}}},
      {A::kEscalate,
       {{S::kReported, S::kReported},
        {S::kAccepted, S::kAccepted},
        {S::kDispatched, S::kAccepted},
        {S::kInProgress, S::kAccepted}}},
      {A::kSupervise,
       {{S::kReported, S::kReported},
        {S::kAccepted, S::kAccepted},
        {S::kDispatched, S::kDispatched},
        {S::kInProgress, S::kInProgress},
        {S::kHandled, S::kHandled}}},
      {A::kSuspend,
       {{S::kReported, S::kReported},
        {S::kAccepted, S::kAccepted},
        {S::kDispatched, S::kDispatched},
        {S::kInProgress, S::kInProgress},
        {S::kHandled, S::kHandled}}},
      // resume needs a suspended event: covered by its own test below.
      {A::kResume, {}},
      {A::kExtend,
       {{S::kReported, S::kReported},
        {S::kAccepted, S::kAccepted},
        {S::kDispatched, S::kDispatched},
        {S::kInProgress, S::kInProgress},
        {S::kHandled, S::kHandled}}},
      {A::kComment,
       {{S::kReported, S::kReported},
        {S::kAccepted, S::kAccepted},
        {S::kRejected, S::kRejected},
        {S::kMerged, S::kMerged},
        {S::kDispatched, S::kDispatched},
        {S::kInProgress, S::kInProgress},
        {S::kHandled, S::kHandled},
        {S::kClosed, S::kClosed},
        {S::kEvaluated, S::kEvaluated}}},
  };
  return table;
}

TEST(StateMachineTest, EveryStateActionPairIsAllowedOrRefused) {
  int allowed = 0, refused = 0;
  for (int ai = 1; ai < kEventActionCount; ++ai) {  // 0 is report: not an action
    const auto action = static_cast<A>(ai);
    ASSERT_TRUE(Table().count(action)) << ActionName(action);
    const auto& row = Table().at(action);
    for (int si = 0; si < kEventStatusCount; ++si) {
      const auto status = static_cast<S>(si);
      SCOPED_TRACE(std::string(ActionName(action)) + " in " + std::string(StatusName(status)));
      const Event before = EventIn(status);
      auto t = ApplyAction(before, CompleteRequest(action), AllowedActor(action), Context());
      auto it = row.find(status);
      if (it == row.end()) {
        ASSERT_FALSE(t.has_value());
        EXPECT_EQ(t.error().code, ErrorCode::kFailedPrecondition);
        EXPECT_EQ(before.status, status);
        ++refused;
        continue;
      }
      ASSERT_TRUE(t.has_value()) << t.error().message;
      EXPECT_EQ(t->after.status, it->second);
      EXPECT_EQ(t->after.version, before.version + 1);
      EXPECT_EQ(t->after.updated_at, kNow);
      EXPECT_EQ(t->entry.action, action);
      EXPECT_EQ(t->entry.from_status, status);
      EXPECT_EQ(t->entry.to_status, it->second);
      EXPECT_EQ(t->entry.at, kNow);
      EXPECT_EQ(t->entry.event_id, before.id);
      EXPECT_FALSE(t->entry.actor_role.empty());
      ++allowed;
    }
  }
  EXPECT_EQ(allowed + refused, (kEventActionCount - 1) * kEventStatusCount);
  EXPECT_EQ(allowed, 40);  // the entries of Table()
}

TEST(StateMachineTest, EachActionRefusesRolesNotAllowed) {
  for (int ai = 1; ai < kEventActionCount; ++ai) {
    const auto action = static_cast<A>(ai);
    for (int ri = 0; ri < kRoleCount; ++ri) {
      const auto role = static_cast<Role>(ri);
      if (RolesAllowed(action).Has(role)) continue;
      Actor a;
      a.user_id = 1;
      a.roles.Add(role);
      a.scope.department_id = kDept;
      // Pick a state the action is allowed in, so only the role can refuse it.
      S status = S::kReported;
      for (const auto& [s, to] : Table().at(action)) status = s;
      auto t = ApplyAction(EventIn(status), CompleteRequest(action), a, Context());
      ASSERT_FALSE(t.has_value()) << ActionName(action) << " as " << RoleName(role);
      EXPECT_EQ(t.error().code, ErrorCode::kPermissionDenied);
    }
  }
}

TEST(StateMachineTest, StaleVersionIsAborted) {
  auto t = ApplyAction(EventIn(S::kReported), CompleteRequest(A::kAccept, 2),
                       AllowedActor(A::kAccept), Context());
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::kAborted);
  EXPECT_EQ(t.error().reason, "stale_version");
}

struct RequirementCase {
  A action;
  S status;
  void (*mutate)(ActionRequest&);
  ErrorCode code;
  const char* field;
};

TEST(StateMachineTest, RequiredFieldsAndRanges) {
  const RequirementCase cases[] = {
      {A::kReject, S::kReported, [](ActionRequest& r) { r.note = "  "; }, ErrorCode::kMalformed,
       "note"},
      {A::kReturn, S::kInProgress, [](ActionRequest& r) { r.note.clear(); }, ErrorCode::kMalformed,
       "note"},
      {A::kFeedback, S::kInProgress, [](ActionRequest& r) { r.note.clear(); },
       ErrorCode::kMalformed, "note"},
      {A::kSelfResolve, S::kReported, [](ActionRequest& r) { r.note.clear(); },
       ErrorCode::kMalformed, "note"},
      {A::kEscalate, S::kAccepted, [](ActionRequest& r) { r.note.clear(); }, ErrorCode::kMalformed,
       "note"},
      {A::kSuspend, S::kAccepted, [](ActionRequest& r) { r.note.clear(); }, ErrorCode::kMalformed,
       "note"},
      {A::kComment, S::kClosed, [](ActionRequest& r) { r.note.clear(); }, ErrorCode::kMalformed,
       "note"},
      {A::kDispatch, S::kAccepted, [](ActionRequest& r) { r.department = 0; },
       ErrorCode::kMalformed, "department"},
      {A::kMerge, S::kReported, [](ActionRequest& r) { r.target = 0; }, ErrorCode::kMalformed,
       "target"},
      {A::kMerge, S::kReported, [](ActionRequest& r) { r.target = 42; },
       ErrorCode::kInvalidArgument, "target"},
      {A::kVerify, S::kHandled, [](ActionRequest& r) { r.passed.reset(); }, ErrorCode::kMalformed,
       "passed"},
      {A::kVerify, S::kHandled,
       [](ActionRequest& r) {
         r.passed = false;
         r.note.clear();
       },
       ErrorCode::kMalformed, "note"},
      {A::kRate, S::kClosed, [](ActionRequest& r) { r.rating = 0; }, ErrorCode::kInvalidArgument,
       "rating"},
      {A::kRate, S::kClosed, [](ActionRequest& r) { r.rating = 7; }, ErrorCode::kInvalidArgument,
       "rating"},
      {A::kSupervise, S::kAccepted, [](ActionRequest& r) { r.level = 4; },
       ErrorCode::kInvalidArgument, "level"},
      {A::kExtend, S::kAccepted, [](ActionRequest& r) { r.deadline.reset(); },
       ErrorCode::kMalformed, "deadline"},
      {A::kExtend, S::kAccepted, [](ActionRequest& r) { r.deadline = kNow + 1; },
       ErrorCode::kInvalidArgument, "deadline"},
      {A::kFeedback, S::kInProgress,
       [](ActionRequest& r) {
         r.attachments = {{"exe", "http://x/y"}};
       },
       ErrorCode::kInvalidArgument, "attachments"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(ActionName(c.action)) + " field " + c.field);
    ActionRequest r = CompleteRequest(c.action);
    c.mutate(r);
    auto t = ApplyAction(EventIn(c.status), r, AllowedActor(c.action), Context());
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, c.code);
    EXPECT_EQ(t.error().field, c.field);
  }
}

TEST(StateMachineTest, UnknownDepartmentAndUnmergeableTargetAreInvalid) {
  TransitionContext ctx = Context();
  ctx.department_exists = false;
  auto t = ApplyAction(EventIn(S::kAccepted), CompleteRequest(A::kDispatch),
                       AllowedActor(A::kDispatch), ctx);
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
  ctx = Context();
  ctx.target_mergeable = false;
  t = ApplyAction(EventIn(S::kReported), CompleteRequest(A::kMerge), AllowedActor(A::kMerge), ctx);
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
}

TEST(StateMachineTest, DispatchSetsDepartmentAndDeadline) {
  Event e = EventIn(S::kAccepted);
  e.department_id = 0;
  e.deadline.reset();
  auto t = ApplyAction(e, CompleteRequest(A::kDispatch), AllowedActor(A::kDispatch), Context());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.department_id, kDept);
  EXPECT_EQ(t->after.deadline, kNow + 2 * kMsPerDay);
  EXPECT_NE(t->entry.data.find("\"department\":5"), std::string::npos);
}

TEST(StateMachineTest, VerifyFailReopensAndPassCloses) {
  ActionRequest r = CompleteRequest(A::kVerify);
  r.passed = false;
  auto t = ApplyAction(EventIn(S::kHandled), r, AllowedActor(A::kVerify), Context());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.status, S::kInProgress);
  EXPECT_FALSE(t->after.closed_at.has_value());
  r.passed = true;
  t = ApplyAction(EventIn(S::kHandled), r, AllowedActor(A::kVerify), Context());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.status, S::kClosed);
  EXPECT_EQ(t->after.closed_at, kNow);
}

TEST(StateMachineTest, HandlerOfAnotherDepartmentIsRefused) {
  Actor a = AllowedActor(A::kClaim);
  a.scope.department_id = kDept + 1;
  auto t = ApplyAction(EventIn(S::kDispatched), CompleteRequest(A::kClaim), a, Context());
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::kPermissionDenied);
}

TEST(StateMachineTest, ClaimRecordsTheHandlerAndReturnClearsTheDepartment) {
  auto t = ApplyAction(EventIn(S::kDispatched), CompleteRequest(A::kClaim), AllowedActor(A::kClaim),
                       Context());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.assignee_user_id, 1);
  t = ApplyAction(t->after, CompleteRequest(A::kReturn, 4), AllowedActor(A::kReturn), Context());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.status, S::kAccepted);
  EXPECT_EQ(t->after.department_id, 0);
  EXPECT_EQ(t->after.assignee_user_id, 0);
}

TEST(StateMachineTest, SuspensionPausesTheClockAndBlocksWork) {
  Event e = EventIn(S::kInProgress);
  auto t = ApplyAction(e, CompleteRequest(A::kSuspend), AllowedActor(A::kSuspend), Context());
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(t->after.suspended);
  Event suspended = t->after;

  auto blocked = ApplyAction(suspended, CompleteRequest(A::kFeedback, 4),
                             AllowedActor(A::kFeedback), Context());
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().reason, "event_suspended");
  auto again =
      ApplyAction(suspended, CompleteRequest(A::kSuspend, 4), AllowedActor(A::kSuspend), Context());
  ASSERT_FALSE(again.has_value());
  auto comment =
      ApplyAction(suspended, CompleteRequest(A::kComment, 4), AllowedActor(A::kComment), Context());
  EXPECT_TRUE(comment.has_value());

  TransitionContext later = Context();
  later.now = kNow + 5 * kMsPerHour;
  auto resumed =
      ApplyAction(suspended, CompleteRequest(A::kResume, 4), AllowedActor(A::kResume), later);
  ASSERT_TRUE(resumed.has_value());
  EXPECT_FALSE(resumed->after.suspended);
  EXPECT_EQ(resumed->after.deadline, *e.deadline + 5 * kMsPerHour);
  EXPECT_EQ(resumed->after.status, S::kInProgress);
}

TEST(StateMachineTest, ResumeWithoutSuspensionIsRefused) {
  auto t = ApplyAction(EventIn(S::kAccepted), CompleteRequest(A::kResume), AllowedActor(A::kResume),
                       Context());
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::kFailedPrecondition);
}

TEST(StateMachineTest, EscalationMovesOwnershipUpAndStopsAtTheTop) {
  auto t = ApplyAction(EventIn(S::kInProgress), CompleteRequest(A::kEscalate),
                       AllowedActor(A::kEscalate), Context());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.owner_region_id, 3);
  EXPECT_EQ(t->after.escalation_level, 1);
  EXPECT_EQ(t->after.department_id, 0);
  TransitionContext top = Context();
  top.parent_region_id = 0;
  auto refused = ApplyAction(EventIn(S::kAccepted), CompleteRequest(A::kEscalate),
                             AllowedActor(A::kEscalate), top);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().reason, "no_parent_level");
}

TEST(StateMachineTest, SupervisionLevelOnlyRises) {
  Event e = EventIn(S::kDispatched);
  e.supervision_level = 2;
  ActionRequest r = CompleteRequest(A::kSupervise);
  r.level = 1;
  auto t = ApplyAction(e, r, AllowedActor(A::kSupervise), Context());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.supervision_level, 2);
  r.level = 0;  // one above the current
  t = ApplyAction(e, r, AllowedActor(A::kSupervise), Context());
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.supervision_level, 3);
}

TEST(StateMachineTest, OnlyTheReporterOrStaffMayRate) {
  Actor citizen;
  citizen.user_id = 5;
  citizen.roles.Add(Role::kCitizen);
  TransitionContext ctx = Context();
  ctx.actor_is_reporter = false;
  auto t = ApplyAction(EventIn(S::kClosed), CompleteRequest(A::kRate), citizen, ctx);
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().code, ErrorCode::kPermissionDenied);
  ctx.actor_is_reporter = true;
  t = ApplyAction(EventIn(S::kClosed), CompleteRequest(A::kRate), citizen, ctx);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.rating, 5);
}

TEST(StateMachineTest, FeedbackKeepsEvidence) {
  ActionRequest r = CompleteRequest(A::kFeedback);
  r.attachments = {{"photo", "https://files.example/after.jpg"}};
  auto t = ApplyAction(EventIn(S::kInProgress), r, AllowedActor(A::kFeedback), Context());
  ASSERT_TRUE(t.has_value());
  ASSERT_EQ(t->after.attachments.size(), 1u);
  EXPECT_NE(t->entry.data.find("after.jpg"), std::string::npos);
  EXPECT_EQ(t->entry.note, "理由");
}

}  // namespace
}  // namespace civicgrid
