// Use cases of routing (SPEC §3, issue 5): the responsibility list, the dispatch modes (法定拍
// statutory, 商定拍 negotiated, 指定拍 designated), whistle-and-report (吹哨报到), automatic
// supervision (督办), duplicates, queues and the organisation's calendar settings. Every write
// appends an audit record in its unit; roles and scope are checked here.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/common/result.h"
#include "core/events/event_service.h"
#include "core/routing/deadline_policy.h"
#include "core/routing/event_routing.h"
#include "core/routing/responsibility_rule.h"

namespace civicgrid {

class Clock;
class Crypto;
class ReferenceData;
class Territory;

struct RuleDraft {
  std::string category;
  std::optional<RegionLevel> region_level;
  DepartmentId department_id = 0;
  std::vector<DepartmentId> co_handlers;
  int time_limit = 0;
  TimeUnit time_unit = TimeUnit::kWorkingDays;
  Verification verification = Verification::kCentre;
};

// What statutory dispatch decides for an event: the rule, and the deadline counted from now.
struct RoutingDecision {
  const ResponsibilityRule* rule = nullptr;
  std::optional<TimeMs> deadline;
  TimeMs limit_ms = 0;
  bool wall_clock = false;
};

// The rule for the event's owner level, if the list has one (pure; the routing bench runs it).
std::optional<RoutingDecision> DecideStatutory(const ResponsibilityList& list,
                                               const WorkingCalendar& calendar,
                                               const Territory& territory, const Event& e,
                                               TimeMs now);

struct DuplicatePolicy {
  double distance_m = 100;              // a report this close ...
  TimeMs window_ms = 72LL * 3'600'000;  // ... of an open event reported this recently
};

// kToConfirm (issue 5, camera alarms): a grid worker's alarms awaiting their confirmation; for
// the centre every camera alarm of its region still awaiting one.
enum class QueueKind : std::uint8_t {
  kToAccept,
  kInProgress,
  kDueSoon,
  kOverdue,
  kSupervised,
  kToConfirm
};
std::optional<QueueKind> QueueKindFromName(std::string_view name);

struct WhistleView {
  Whistle whistle;
  std::vector<bool> late;  // per call: reported after respond_by, or not yet and now past it
};

class RoutingService {
 public:
  using ReferenceSource = std::function<std::shared_ptr<const ReferenceData>()>;
  template <typename T>
  using Done = std::function<void(Result<T>)>;

  RoutingService(Store& store, const Clock& clock, const Crypto& crypto, ReferenceSource reference,
                 DuplicatePolicy duplicates = {});

  // Loads the current rules; call before serving.
  Status Load();
  std::shared_ptr<const ResponsibilityList> rules() const;
  // The hooks that join the event loop (statutory dispatch on accept and escalation, routing
  // records of manual dispatches, duplicate proposals, the deadline watcher's updates).
  EventHooks Hooks();
  // Called after every committed change of an event (the deadline watcher listens).
  void SetChangeListener(std::function<void(const Event&)> listener) {
    changed_ = std::move(listener);
  }
  // Called after the calendar settings changed (the application rebuilds the reference data).
  void SetCalendarListener(std::function<void()> listener) {
    calendar_changed_ = std::move(listener);
  }

  // The responsibility list.
  Result<std::vector<ResponsibilityRule>> ListRules(const Actor& actor, bool all_versions);
  // create: a new (category, level) (409 if it has a rule); otherwise the next version of one.
  void SaveRule(const Actor& actor, RuleDraft draft, bool create, Done<ResponsibilityRule> done);

  // Dispatch modes and collaboration.
  void DispatchNegotiated(const Actor& actor, EventId id, std::int64_t expected_version,
                          DepartmentId lead, std::vector<DepartmentId> co_handlers,
                          std::string note, Done<Event> done);
  void ReportCoHandlerPart(const Actor& actor, EventId id, std::string note, Done<Event> done);
  // add_rule: also add the category at the event's level to the list with this department.
  void Designate(const Actor& actor, EventId id, std::int64_t expected_version,
                 DepartmentId department, std::optional<RuleDraft> add_rule, std::string note,
                 Done<Event> done);
  void BlowWhistle(const Actor& actor, EventId id, std::vector<DepartmentId> departments,
                   int respond_within_minutes, std::string note, Done<Whistle> done);
  void ReportToWhistle(const Actor& actor, std::int64_t whistle_id, Done<Whistle> done);
  Result<std::vector<WhistleView>> Whistles(const Actor& actor, EventId id);
  Result<std::optional<EventRouting>> Routing(const Actor& actor, EventId id);
  Result<std::vector<SupervisionNotice>> Notices(const Actor& actor, EventId id);

  // Duplicates.
  Result<std::vector<DuplicateProposal>> Duplicates(const Actor& actor, EventId id);
  // merge: the event is merged into the candidate; otherwise the two are kept apart.
  void ResolveDuplicate(const Actor& actor, EventId id, EventId candidate, bool merge,
                        Done<Event> done);

  // The caller's queue: its department's when it has one, else its region's.
  Result<EventPage> Queue(const Actor& actor, QueueKind kind, int limit, EventId before_id);

  // Automatic supervision: writes every level due now that the event has not had (once each),
  // and answers the event as written (or unchanged) with when its next level falls due.
  struct Supervised {
    Event event;
    std::optional<TimeMs> next_due;
  };
  void SuperviseDue(EventId id, Done<Supervised> done);
  // When the event's next supervision level falls due (nullopt: closed, suspended, no deadline
  // or at the top level).
  std::optional<TimeMs> NextSupervisionAt(const Event& e) const;
  std::optional<TimeMs> NextSupervisionAt(const Event& e, const EventRouting* routing) const;
  DeadlineClock ClockOf(const Event& e, const EventRouting* routing) const;

  // The organisation's calendar.
  Result<CalendarSettings> GetCalendarSettings(const Actor& actor);
  void PutCalendarSettings(const Actor& actor, CalendarSettings settings,
                           Done<CalendarSettings> done);

 private:
  Status AfterAction(WriteTx& tx, const Actor& actor, const ActionRequest& request,
                     const Event& before, Event& after, TimeMs now);
  Status ProposeDuplicates(WriteTx& tx, const Event& created);
  Status ApplyVerificationRule(WriteTx& tx, const Actor& actor, const ActionRequest& request,
                               Event& after, TimeMs now);
  void Changed(const Event& e);

  Store& store_;
  const Clock& clock_;
  const Crypto& crypto_;
  ReferenceSource reference_;
  DuplicatePolicy duplicates_;
  mutable std::mutex rules_mu_;
  std::shared_ptr<const ResponsibilityList> rules_;  // guarded by rules_mu_
  std::function<void(const Event&)> changed_;
  std::function<void()> calendar_changed_;
};

}  // namespace civicgrid
