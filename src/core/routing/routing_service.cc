#include "core/routing/routing_service.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/audit/audit_record.h"
#include "core/common/text.h"
#include "core/events/transition_write.h"
#include "core/identity/org_admin.h"
#include "core/ports/clock.h"
#include "core/routing/reference_data.h"
#include "core/territory/territory.h"

namespace civicgrid {

namespace {

constexpr std::size_t kMaxCoHandlers = 10;
constexpr std::size_t kMaxSummoned = 20;
constexpr int kMaxRespondMinutes = 7 * 24 * 60;
constexpr int kMaxTimeLimit = 2600;

// The system itself, for automatic dispatch and supervision (audit actor 0, "system").
Actor SystemActor() {
  Actor a;
  a.user_id = 0;
  a.username = "system";
  a.roles = RoleSet{Role::kDispatcher, Role::kLeader};
  return a;
}

std::string Ids(const std::vector<DepartmentId>& ids) {
  std::string s = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(ids[i]);
  }
  return s + "]";
}

std::string RuleJson(const ResponsibilityRule& r) {
  std::string s = "{\"category\":";
  AppendJsonString(s, r.category);
  s += ",\"region_level\":";
  AppendJsonString(s, RegionLevelName(r.region_level));
  s += ",\"version\":" + std::to_string(r.version);
  s += ",\"department\":" + std::to_string(r.department_id);
  s += ",\"co_handlers\":" + Ids(r.co_handlers);
  s += ",\"time_limit\":" + std::to_string(r.time_limit);
  s += ",\"time_unit\":";
  AppendJsonString(s, TimeUnitName(r.time_unit));
  s += ",\"verification\":";
  AppendJsonString(s, VerificationName(r.verification));
  return s + "}";
}

std::string EventStateJson(const Event& e) {
  std::string s = "{\"status\":";
  AppendJsonString(s, StatusName(e.status));
  s += ",\"department\":" + std::to_string(e.department_id);
  s += ",\"deadline\":" + (e.deadline ? std::to_string(*e.deadline) : std::string("null"));
  s += ",\"supervision_level\":" + std::to_string(e.supervision_level);
  return s + "}";
}

Status Audit(WriteTx& tx, const Crypto& crypto, const Actor& actor, TimeMs now, std::string action,
             std::string type, std::string id, std::string before, std::string after) {
  AuditRecord r = AuditOf(actor, now, std::move(action), std::move(type), std::move(id));
  r.before = std::move(before);
  r.after = std::move(after);
  return AppendAuditRecord(tx, crypto, std::move(r));
}

// Adds `fields` (a JSON object's members, no braces) to a history row's data.
void AddData(HistoryEntry& h, const std::string& fields) {
  if (h.data.empty()) {
    h.data = "{" + fields + "}";
  } else {
    h.data.pop_back();
    h.data += "," + fields + "}";
  }
}

Result<Event> FindVisible(WriteTx& tx, const Visibility& v, EventId id) {
  auto found = tx.FindEvent(id);
  if (!found) return found.error();
  if (!found->has_value() || !EventService::IsVisible(v, **found)) {
    return Fail(ErrorCode::kNotFound, "event " + std::to_string(id) + " not found", "id");
  }
  return std::move(**found);
}

RegionLevel OwnerLevel(const Territory& territory, const Event& e) {
  const Region* r = territory.Find(e.owner_region_id);
  return r == nullptr ? RegionLevel::kCity : r->level;
}

Status CheckDepartments(const ReferenceData& ref, const std::vector<DepartmentId>& ids,
                        const char* field, std::size_t max) {
  if (ids.size() > max) {
    return Fail(ErrorCode::kInvalidArgument, "at most " + std::to_string(max) + " departments",
                field);
  }
  std::set<DepartmentId> seen;
  for (DepartmentId d : ids) {
    if (!ref.Dispatchable(d)) {
      return Fail(ErrorCode::kInvalidArgument, "unknown department " + std::to_string(d), field);
    }
    if (!seen.insert(d).second) {
      return Fail(ErrorCode::kInvalidArgument, "department " + std::to_string(d) + " is repeated",
                  field);
    }
  }
  return Status::Ok();
}

Status CheckDraft(const ReferenceData& ref, const RuleDraft& d) {
  if (ref.FindCategory(d.category) == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "unknown category '" + d.category + "'", "category");
  }
  if (!d.region_level || *d.region_level == RegionLevel::kGrid) {
    return Fail(ErrorCode::kInvalidArgument,
                "region_level must be city, district, street or community", "region_level");
  }
  if (!ref.Dispatchable(d.department_id)) {
    return Fail(ErrorCode::kInvalidArgument, "unknown department", "department");
  }
  if (auto s = CheckDepartments(ref, d.co_handlers, "co_handlers", kMaxCoHandlers); !s) return s;
  if (std::find(d.co_handlers.begin(), d.co_handlers.end(), d.department_id) !=
      d.co_handlers.end()) {
    return Fail(ErrorCode::kInvalidArgument, "the responsible department cannot co-handle",
                "co_handlers");
  }
  if (d.time_limit < 0 || d.time_limit > kMaxTimeLimit) {
    return Fail(ErrorCode::kInvalidArgument,
                "time_limit must be 0 to " + std::to_string(kMaxTimeLimit), "time_limit");
  }
  return Status::Ok();
}

ResponsibilityRule RuleOf(const RuleDraft& d, int version, const Actor& actor, TimeMs now) {
  ResponsibilityRule r;
  r.category = d.category;
  r.region_level = *d.region_level;
  r.version = version;
  r.department_id = d.department_id;
  r.co_handlers = d.co_handlers;
  r.time_limit = d.time_limit;
  r.time_unit = d.time_unit;
  r.verification = d.verification;
  r.created_at = now;
  r.created_by = actor.user_id;
  return r;
}

double DistanceM(double lon1, double lat1, double lon2, double lat2) {
  constexpr double kEarthM = 6371000.0;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthM * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace

std::optional<QueueKind> QueueKindFromName(std::string_view name) {
  if (name == "to_accept") return QueueKind::kToAccept;
  if (name == "in_progress") return QueueKind::kInProgress;
  if (name == "due_soon") return QueueKind::kDueSoon;
  if (name == "overdue") return QueueKind::kOverdue;
  if (name == "supervised") return QueueKind::kSupervised;
  if (name == "to_confirm") return QueueKind::kToConfirm;
  return std::nullopt;
}

std::optional<RoutingDecision> DecideStatutory(const ResponsibilityList& list,
                                               const WorkingCalendar& calendar,
                                               const Territory& territory, const Event& e,
                                               TimeMs now) {
  const ResponsibilityRule* rule = list.Find(e.category, OwnerLevel(territory, e));
  if (rule == nullptr) return std::nullopt;
  RoutingDecision d;
  d.rule = rule;
  if (rule->time_limit > 0) {
    d.deadline = calendar.Deadline(now, rule->time_limit, rule->time_unit);
    d.limit_ms = LimitMs(calendar, rule->time_limit, rule->time_unit);
    d.wall_clock = rule->time_unit == TimeUnit::kHours;
  }
  return d;
}

RoutingService::RoutingService(Store& store, const Clock& clock, const Crypto& crypto,
                               ReferenceSource reference, DuplicatePolicy duplicates)
    : store_(store),
      clock_(clock),
      crypto_(crypto),
      reference_(std::move(reference)),
      duplicates_(duplicates),
      rules_(std::make_shared<const ResponsibilityList>()) {}

Status RoutingService::Load() {
  auto rules = store_.LoadRules(true);
  if (!rules) return rules.error();
  auto list = std::make_shared<const ResponsibilityList>(std::move(*rules));
  std::lock_guard lock(rules_mu_);
  rules_ = std::move(list);
  return Status::Ok();
}

std::shared_ptr<const ResponsibilityList> RoutingService::rules() const {
  std::lock_guard lock(rules_mu_);
  return rules_;
}

void RoutingService::Changed(const Event& e) {
  if (changed_) changed_(e);
}

EventHooks RoutingService::Hooks() {
  EventHooks hooks;
  hooks.after_create = [this](WriteTx& tx, const Event& created) {
    return ProposeDuplicates(tx, created);
  };
  hooks.after_action = [this](WriteTx& tx, const Actor& actor, const ActionRequest& request,
                              const Event& before, Event& after) {
    return AfterAction(tx, actor, request, before, after, after.updated_at);
  };
  hooks.changed = [this](const Event& e) { Changed(e); };
  return hooks;
}

DeadlineClock RoutingService::ClockOf(const Event& e, const EventRouting* routing) const {
  DeadlineClock c;
  c.deadline = e.deadline.value_or(0);
  if (routing != nullptr && routing->limit_ms > 0) {
    c.limit_ms = routing->limit_ms;
    c.wall_clock = routing->wall_clock;
    return c;
  }
  // Events dispatched before routing records existed: the category's limit.
  auto ref = reference_();
  if (const Category* cat = ref->FindCategory(e.category); cat != nullptr) {
    c.limit_ms = LimitMs(ref->calendar(), cat->time_limit, cat->time_unit);
    c.wall_clock = cat->time_unit == TimeUnit::kHours;
  }
  return c;
}

std::optional<TimeMs> RoutingService::NextSupervisionAt(const Event& e) const {
  if (!IsOpen(e.status) || e.suspended || !e.deadline ||
      e.supervision_level >= kMaxSupervisionLevel) {
    return std::nullopt;
  }
  auto routing = store_.FindEventRouting(e.id);
  return NextSupervisionAt(e, routing && routing->has_value() ? &**routing : nullptr);
}

std::optional<TimeMs> RoutingService::NextSupervisionAt(const Event& e,
                                                        const EventRouting* routing) const {
  if (!IsOpen(e.status) || e.suspended || !e.deadline ||
      e.supervision_level >= kMaxSupervisionLevel) {
    return std::nullopt;
  }
  auto ref = reference_();
  return SupervisionDueAt(ref->calendar(), ClockOf(e, routing), e.supervision_level + 1);
}

// --- Statutory dispatch and the routing records of the event loop's own actions ---

Status RoutingService::AfterAction(WriteTx& tx, const Actor& actor, const ActionRequest& request,
                                   const Event& before, Event& after, TimeMs now) {
  (void)before;
  auto ref = reference_();
  if (request.action == EventAction::kVerify || request.action == EventAction::kFeedback) {
    return ApplyVerificationRule(tx, actor, request, after, now);
  }
  if (request.action == EventAction::kDispatch) {
    EventRouting routing;
    routing.event_id = after.id;
    routing.mode = DispatchMode::kManual;
    routing.lead_department_id = after.department_id;
    routing.clock_start = now;
    if (const Category* cat = ref->FindCategory(after.category); cat && cat->time_limit > 0) {
      routing.limit_ms = LimitMs(ref->calendar(), cat->time_limit, cat->time_unit);
      routing.wall_clock = cat->time_unit == TimeUnit::kHours;
    }
    return tx.PutEventRouting(routing);
  }
  const bool routable =
      request.action == EventAction::kAccept || request.action == EventAction::kEscalate;
  if (!routable || after.status != EventStatus::kAccepted) return Status::Ok();
  auto decision = DecideStatutory(*rules(), ref->calendar(), ref->territory(), after, now);
  if (!decision) return Status::Ok();  // the list is silent: a dispatcher or leader decides
  const ResponsibilityRule& rule = *decision->rule;
  // A rule naming a disabled department does not route: the event stays accepted for a person.
  if (!ref->Dispatchable(rule.department_id)) return Status::Ok();

  ActionRequest dispatch;
  dispatch.action = EventAction::kDispatch;
  dispatch.expected_version = after.version;
  dispatch.department = rule.department_id;
  dispatch.note = "法定拍：按权责清单自动派遣";
  TransitionContext ctx;
  ctx.now = now;
  ctx.department_exists = ref->Dispatchable(rule.department_id);
  ctx.dispatch_deadline = decision->deadline;
  const Actor system = SystemActor();
  auto transition = ApplyAction(after, dispatch, system, ctx);
  if (!transition) return transition.error();
  if (!decision->deadline) transition->after.deadline.reset();  // the rule sets no limit
  AddData(transition->entry, "\"mode\":\"statutory\",\"rule\":" + std::to_string(rule.id) +
                                 ",\"rule_version\":" + std::to_string(rule.version));
  auto written = WriteTransition(tx, crypto_, after, std::move(*transition));
  if (!written) return written.error();

  EventRouting routing;
  routing.event_id = after.id;
  routing.mode = DispatchMode::kStatutory;
  routing.rule_id = rule.id;
  routing.rule_version = rule.version;
  routing.lead_department_id = rule.department_id;
  routing.clock_start = now;
  routing.limit_ms = decision->limit_ms;
  routing.wall_clock = decision->wall_clock;
  routing.verification = rule.verification;
  for (DepartmentId d : rule.co_handlers) routing.co_handlers.push_back(CoHandler{d, {}, {}});
  if (auto s = tx.PutEventRouting(routing); !s) return s;
  if (auto s = Audit(tx, crypto_, system, now, "event.dispatch.statutory", "event",
                     std::to_string(after.id), EventStateJson(after), EventStateJson(*written));
      !s) {
    return s;
  }
  (void)actor;
  after = std::move(*written);
  return Status::Ok();
}

// The rule's verification: who may verify, and "none" closes the event on the lead's report.
Status RoutingService::ApplyVerificationRule(WriteTx& tx, const Actor& actor,
                                             const ActionRequest& request, Event& after,
                                             TimeMs now) {
  auto routing = tx.FindEventRouting(after.id);
  if (!routing) return routing.error();
  // Dispatched without a rule: the state machine's roles apply.
  if (!routing->has_value() || (*routing)->rule_id == 0) return Status::Ok();
  const Verification rule = (*routing)->verification;
  if (request.action == EventAction::kVerify) {
    if (rule == Verification::kReporter && !actor.roles.Has(Role::kGridWorker)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "the rule has the reporting grid worker verify this event", "action");
    }
    if (rule == Verification::kCentre &&
        !actor.roles.Intersects({Role::kDispatcher, Role::kStreetLead})) {
      return Fail(ErrorCode::kPermissionDenied, "the rule has the centre verify this event",
                  "action");
    }
    return Status::Ok();
  }
  if (rule != Verification::kNone || after.status != EventStatus::kHandled) return Status::Ok();
  ActionRequest close;
  close.action = EventAction::kVerify;
  close.expected_version = after.version;
  close.passed = true;
  close.note = "权责清单规定无需核查，办结即结案";
  TransitionContext ctx;
  ctx.now = now;
  Actor system = SystemActor();
  system.roles.Add(Role::kDispatcher);
  auto t = ApplyAction(after, close, system, ctx);
  if (!t) return t.error();
  AddData(t->entry, "\"verification\":\"none\"");
  auto written = WriteTransition(tx, crypto_, after, std::move(*t));
  if (!written) return written.error();
  if (auto s = Audit(tx, crypto_, system, now, "event.verify.auto", "event",
                     std::to_string(after.id), EventStateJson(after), EventStateJson(*written));
      !s) {
    return s;
  }
  after = std::move(*written);
  return Status::Ok();
}

// --- The responsibility list ---

Result<std::vector<ResponsibilityRule>> RoutingService::ListRules(const Actor& actor,
                                                                  bool all_versions) {
  if (!actor.roles.Intersects({Role::kAdmin, Role::kDispatcher, Role::kLeader, Role::kStreetLead,
                               Role::kAuditor, Role::kHandler})) {
    return Fail(ErrorCode::kPermissionDenied, "your role may not read the responsibility list");
  }
  if (!all_versions) return rules()->rules();
  return store_.LoadRules(false);
}

void RoutingService::SaveRule(const Actor& actor, RuleDraft draft, bool create,
                              Done<ResponsibilityRule> done) {
  // The list applies city-wide: an admin scoped to a district or street may not change it.
  if (!IsCityWideAdmin(actor)) {
    return done(Fail(ErrorCode::kPermissionDenied, "only a city-wide admin may edit the list"));
  }
  auto ref = reference_();
  if (auto s = CheckDraft(*ref, draft); !s) return done(s.error());
  const TimeMs now = clock_.Now();
  auto saved = std::make_shared<ResponsibilityRule>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [=, this, &crypto](WriteTx& tx) -> Status {
        auto current = tx.FindCurrentRule(draft.category, *draft.region_level);
        if (!current) return current.error();
        if (create && current->has_value()) {
          return Fail(ErrorCode::kAlreadyExists,
                      "the list already has a rule for this category and level; PUT a new version",
                      "category");
        }
        if (!create && !current->has_value()) {
          return Fail(ErrorCode::kNotFound, "no rule for this category and level", "category");
        }
        ResponsibilityRule rule =
            RuleOf(draft, current->has_value() ? (*current)->version + 1 : 1, actor, now);
        if (auto s = tx.InsertRule(rule); !s) return s;
        if (auto s = Audit(tx, crypto, actor, now, create ? "rule.create" : "rule.update", "rule",
                           draft.category + "|" + std::string(RegionLevelName(rule.region_level)),
                           current->has_value() ? RuleJson(**current) : "", RuleJson(rule));
            !s) {
          return s;
        }
        *saved = std::move(rule);
        return Status::Ok();
      },
      [this, saved, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        // Swap the snapshot: the new version replaces the old one of its key.
        std::vector<ResponsibilityRule> rules;
        {
          std::lock_guard lock(rules_mu_);
          rules = rules_->rules();
        }
        auto same = [&](const ResponsibilityRule& r) {
          return r.category == saved->category && r.region_level == saved->region_level;
        };
        rules.erase(std::remove_if(rules.begin(), rules.end(), same), rules.end());
        rules.push_back(*saved);
        auto list = std::make_shared<const ResponsibilityList>(std::move(rules));
        {
          std::lock_guard lock(rules_mu_);
          rules_ = std::move(list);
        }
        done(*saved);
      });
}

// --- Dispatch modes ---

void RoutingService::DispatchNegotiated(const Actor& actor, EventId id,
                                        std::int64_t expected_version, DepartmentId lead,
                                        std::vector<DepartmentId> co_handlers, std::string note,
                                        Done<Event> done) {
  if (!actor.roles.Intersects({Role::kDispatcher, Role::kStreetLead})) {
    return done(Fail(ErrorCode::kPermissionDenied, "only a dispatcher may negotiate a dispatch"));
  }
  auto ref = reference_();
  if (lead == 0) {
    return done(
        Fail(ErrorCode::kMalformed, "a lead department is needed", "lead", "missing_field"));
  }
  if (!ref->Dispatchable(lead)) {
    return done(Fail(ErrorCode::kInvalidArgument, "unknown department", "lead"));
  }
  if (co_handlers.empty()) {
    return done(Fail(ErrorCode::kMalformed, "negotiated dispatch needs co-handlers", "co_handlers",
                     "missing_field"));
  }
  if (auto s = CheckDepartments(*ref, co_handlers, "co_handlers", kMaxCoHandlers); !s) {
    return done(s.error());
  }
  if (std::find(co_handlers.begin(), co_handlers.end(), lead) != co_handlers.end()) {
    return done(Fail(ErrorCode::kInvalidArgument, "the lead cannot also co-handle", "co_handlers"));
  }
  const Visibility v = EventService::VisibilityOf(actor, *ref);
  const TimeMs now = clock_.Now();
  auto result = std::make_shared<Event>();
  const Crypto& crypto = crypto_;
  auto list = rules();
  store_.Submit(
      [=, this, &crypto](WriteTx& tx) -> Status {
        auto before = FindVisible(tx, v, id);
        if (!before) return before.error();
        // The deadline: the list's rule for the event's level if any, else the category's.
        auto decision = DecideStatutory(*list, ref->calendar(), ref->territory(), *before, now);
        EventRouting routing;
        routing.event_id = id;
        routing.mode = DispatchMode::kNegotiated;
        routing.lead_department_id = lead;
        routing.clock_start = now;
        TransitionContext ctx;
        ctx.now = now;
        ctx.department_exists = true;
        const Category* cat = ref->FindCategory(before->category);
        if (decision) {
          ctx.dispatch_deadline = decision->deadline;
          routing.rule_id = decision->rule->id;
          routing.rule_version = decision->rule->version;
          routing.limit_ms = decision->limit_ms;
          routing.wall_clock = decision->wall_clock;
          routing.verification = decision->rule->verification;
        } else if (cat != nullptr && cat->time_limit > 0) {
          ctx.dispatch_deadline = ref->calendar().Deadline(now, cat->time_limit, cat->time_unit);
          routing.limit_ms = LimitMs(ref->calendar(), cat->time_limit, cat->time_unit);
          routing.wall_clock = cat->time_unit == TimeUnit::kHours;
        }
        for (DepartmentId d : co_handlers) routing.co_handlers.push_back(CoHandler{d, {}, {}});
        ActionRequest request;
        request.action = EventAction::kDispatch;
        request.expected_version = expected_version;
        request.department = lead;
        request.note = note;
        auto t = ApplyAction(*before, request, actor, ctx);
        if (!t) return t.error();
        AddData(t->entry, "\"mode\":\"negotiated\",\"co_handlers\":" + Ids(co_handlers));
        auto written = WriteTransition(tx, crypto, *before, std::move(*t));
        if (!written) return written.error();
        if (auto s = tx.PutEventRouting(routing); !s) return s;
        if (auto s = Audit(tx, crypto, actor, now, "event.dispatch.negotiated", "event",
                           std::to_string(id), EventStateJson(*before), EventStateJson(*written));
            !s) {
          return s;
        }
        *result = std::move(*written);
        return Status::Ok();
      },
      [this, result, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        Changed(*result);
        done(*result);
      });
}

void RoutingService::ReportCoHandlerPart(const Actor& actor, EventId id, std::string note,
                                         Done<Event> done) {
  if (!actor.roles.Has(Role::kHandler) || actor.scope.department_id == 0) {
    return done(Fail(ErrorCode::kPermissionDenied, "only a co-handling department may report"));
  }
  if (Trim(note).empty()) {
    return done(Fail(ErrorCode::kMalformed, "the report needs a note", "note", "missing_field"));
  }
  auto ref = reference_();
  const TimeMs now = clock_.Now();
  auto result = std::make_shared<Event>();
  const Crypto& crypto = crypto_;
  const DepartmentId dept = actor.scope.department_id;
  store_.Submit(
      [=, this, &crypto](WriteTx& tx) -> Status {
        auto found = tx.FindEvent(id);
        if (!found) return found.error();
        auto routing = tx.FindEventRouting(id);
        if (!routing) return routing.error();
        CoHandler* mine = nullptr;
        if (found->has_value() && routing->has_value()) {
          for (CoHandler& c : (*routing)->co_handlers) {
            if (c.department_id == dept) mine = &c;
          }
        }
        if (mine == nullptr) {
          return Fail(ErrorCode::kNotFound,
                      "event " + std::to_string(id) + " has no part for your department", "id");
        }
        const Event& before = **found;
        if (!IsOpen(before.status) || before.status == EventStatus::kAccepted) {
          return Fail(ErrorCode::kFailedPrecondition, "the event is not being handled", "action");
        }
        if (mine->reported_at) {
          return Fail(ErrorCode::kFailedPrecondition, "your department has already reported",
                      "action", "already_reported");
        }
        mine->reported_at = now;
        mine->note = note;
        ActionRequest request;
        request.action = EventAction::kComment;
        request.expected_version = before.version;
        request.note = note;
        TransitionContext ctx;
        ctx.now = now;
        auto t = ApplyAction(before, request, actor, ctx);
        if (!t) return t.error();
        AddData(t->entry, "\"co_handler_report\":" + std::to_string(dept));
        auto written = WriteTransition(tx, crypto, before, std::move(*t));
        if (!written) return written.error();
        if (auto s = tx.PutEventRouting(**routing); !s) return s;
        if (auto s = Audit(tx, crypto, actor, now, "event.co_handler.report", "event",
                           std::to_string(id), "", "{\"department\":" + std::to_string(dept) + "}");
            !s) {
          return s;
        }
        *result = std::move(*written);
        return Status::Ok();
      },
      [result, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        done(*result);
      });
}

void RoutingService::Designate(const Actor& actor, EventId id, std::int64_t expected_version,
                               DepartmentId department, std::optional<RuleDraft> add_rule,
                               std::string note, Done<Event> done) {
  if (!actor.roles.Has(Role::kLeader)) {
    return done(Fail(ErrorCode::kPermissionDenied, "only a leader may designate a department"));
  }
  auto ref = reference_();
  if (department == 0) {
    return done(
        Fail(ErrorCode::kMalformed, "designate needs a department", "department", "missing_field"));
  }
  if (!ref->Dispatchable(department)) {
    return done(Fail(ErrorCode::kInvalidArgument, "unknown department", "department"));
  }
  const Visibility v = EventService::VisibilityOf(actor, *ref);
  const TimeMs now = clock_.Now();
  auto result = std::make_shared<Event>();
  auto added = std::make_shared<std::optional<ResponsibilityRule>>();
  const Crypto& crypto = crypto_;
  auto list = rules();
  store_.Submit(
      [=, this, &crypto](WriteTx& tx) -> Status {
        added->reset();
        auto before = FindVisible(tx, v, id);
        if (!before) return before.error();
        const RegionLevel level = OwnerLevel(ref->territory(), *before);
        if (list->Find(before->category, level) != nullptr) {
          return Fail(ErrorCode::kFailedPrecondition,
                      "the list has a rule for this category: statutory dispatch applies",
                      "department", "rule_exists");
        }
        EventRouting routing;
        routing.event_id = id;
        routing.mode = DispatchMode::kDesignated;
        routing.lead_department_id = department;
        routing.clock_start = now;
        TransitionContext ctx;
        ctx.now = now;
        ctx.department_exists = true;
        int limit = 0;
        TimeUnit unit = TimeUnit::kWorkingDays;
        if (add_rule && add_rule->time_limit > 0) {
          limit = add_rule->time_limit;
          unit = add_rule->time_unit;
        } else if (const Category* cat = ref->FindCategory(before->category); cat != nullptr) {
          limit = cat->time_limit;
          unit = cat->time_unit;
        }
        if (limit > 0) {
          ctx.dispatch_deadline = ref->calendar().Deadline(now, limit, unit);
          routing.limit_ms = LimitMs(ref->calendar(), limit, unit);
          routing.wall_clock = unit == TimeUnit::kHours;
        }
        ActionRequest request;
        request.action = EventAction::kDispatch;
        request.expected_version = expected_version;
        request.department = department;
        request.note = note;
        auto t = ApplyAction(*before, request, actor, ctx);
        if (!t) return t.error();
        if (add_rule) {
          RuleDraft draft = *add_rule;
          draft.category = before->category;
          draft.region_level = level;
          draft.department_id = department;
          if (auto s = CheckDraft(*ref, draft); !s) return s;
          ResponsibilityRule rule = RuleOf(draft, 1, actor, now);
          if (auto s = tx.InsertRule(rule); !s) return s;
          if (auto s = Audit(tx, crypto, actor, now, "rule.create", "rule",
                             draft.category + "|" + std::string(RegionLevelName(level)), "",
                             RuleJson(rule));
              !s) {
            return s;
          }
          routing.rule_id = rule.id;
          routing.rule_version = rule.version;
          routing.verification = rule.verification;
          *added = rule;
        }
        AddData(t->entry, std::string("\"mode\":\"designated\",\"added_to_list\":") +
                              (add_rule ? "true" : "false"));
        auto written = WriteTransition(tx, crypto, *before, std::move(*t));
        if (!written) return written.error();
        if (auto s = tx.PutEventRouting(routing); !s) return s;
        if (auto s = Audit(tx, crypto, actor, now, "event.dispatch.designated", "event",
                           std::to_string(id), EventStateJson(*before), EventStateJson(*written));
            !s) {
          return s;
        }
        *result = std::move(*written);
        return Status::Ok();
      },
      [this, result, added, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        if (added->has_value()) {
          std::lock_guard lock(rules_mu_);
          std::vector<ResponsibilityRule> rules = rules_->rules();
          rules.push_back(**added);
          rules_ = std::make_shared<const ResponsibilityList>(std::move(rules));
        }
        Changed(*result);
        done(*result);
      });
}

// --- Whistle and report (吹哨报到) ---

void RoutingService::BlowWhistle(const Actor& actor, EventId id,
                                 std::vector<DepartmentId> departments, int respond_within_minutes,
                                 std::string note, Done<Whistle> done) {
  const auto level = static_cast<RegionLevel>(actor.scope.region_level);
  if (!actor.roles.Intersects({Role::kStreetLead, Role::kDispatcher}) ||
      actor.scope.region_id == 0 ||
      (level != RegionLevel::kStreet && level != RegionLevel::kCommunity)) {
    return done(
        Fail(ErrorCode::kPermissionDenied, "only a street or community may blow the whistle"));
  }
  auto ref = reference_();
  if (departments.empty()) {
    return done(Fail(ErrorCode::kMalformed, "summon at least one department", "departments",
                     "missing_field"));
  }
  if (auto s = CheckDepartments(*ref, departments, "departments", kMaxSummoned); !s) {
    return done(s.error());
  }
  if (respond_within_minutes < 1 || respond_within_minutes > kMaxRespondMinutes) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "respond_within_minutes must be 1 to " + std::to_string(kMaxRespondMinutes),
                     "respond_within_minutes"));
  }
  if (!IsValidUtf8(note) || Utf8Length(note) > 2000) {
    return done(
        Fail(ErrorCode::kInvalidArgument, "note must be UTF-8, at most 2000 characters", "note"));
  }
  const Visibility v = EventService::VisibilityOf(actor, *ref);
  const TimeMs now = clock_.Now();
  auto result = std::make_shared<Whistle>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [=, this, &crypto](WriteTx& tx) -> Status {
        auto before = FindVisible(tx, v, id);
        if (!before) return before.error();
        if (!IsOpen(before->status)) {
          return Fail(ErrorCode::kFailedPrecondition, "the event is no longer open", "action");
        }
        Whistle w;
        w.event_id = id;
        w.region_id = actor.scope.region_id;
        w.summoned_by = actor.user_id;
        w.note = note;
        w.created_at = now;
        w.respond_by = now + TimeMs{respond_within_minutes} * 60'000;
        for (DepartmentId d : departments) w.calls.push_back(WhistleCall{d, {}});
        if (auto s = tx.InsertWhistle(w); !s) return s;
        ActionRequest request;
        request.action = EventAction::kComment;
        request.expected_version = before->version;
        request.note = note.empty() ? "吹哨报到" : note;
        TransitionContext ctx;
        ctx.now = now;
        auto t = ApplyAction(*before, request, actor, ctx);
        if (!t) return t.error();
        AddData(t->entry, "\"whistle\":" + std::to_string(w.id) +
                              ",\"summoned\":" + Ids(departments) + ",\"respond_by\":\"" +
                              FormatIsoShanghai(w.respond_by) + "\"");
        auto written = WriteTransition(tx, crypto, *before, std::move(*t));
        if (!written) return written.error();
        if (auto s =
                Audit(tx, crypto, actor, now, "whistle.create", "whistle", std::to_string(w.id), "",
                      "{\"event\":" + std::to_string(id) + ",\"departments\":" + Ids(departments) +
                          ",\"respond_by\":" + std::to_string(w.respond_by) + "}");
            !s) {
          return s;
        }
        *result = std::move(w);
        return Status::Ok();
      },
      [result, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        done(*result);
      });
}

void RoutingService::ReportToWhistle(const Actor& actor, std::int64_t whistle_id,
                                     Done<Whistle> done) {
  if (!actor.roles.Has(Role::kHandler) || actor.scope.department_id == 0) {
    return done(Fail(ErrorCode::kPermissionDenied, "only a summoned department may report"));
  }
  const TimeMs now = clock_.Now();
  const DepartmentId dept = actor.scope.department_id;
  auto result = std::make_shared<Whistle>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [=, this, &crypto](WriteTx& tx) -> Status {
        auto found = tx.FindWhistle(whistle_id);
        if (!found) return found.error();
        WhistleCall* call = nullptr;
        if (found->has_value()) {
          for (WhistleCall& c : (*found)->calls) {
            if (c.department_id == dept) call = &c;
          }
        }
        if (call == nullptr) {
          return Fail(ErrorCode::kNotFound,
                      "whistle " + std::to_string(whistle_id) + " did not summon your department",
                      "id");
        }
        if (call->reported_at) {
          return Fail(ErrorCode::kFailedPrecondition, "your department has already reported",
                      "action", "already_reported");
        }
        call->reported_at = now;
        if (auto s = tx.MarkWhistleReport(whistle_id, dept, now); !s) return s;
        const bool late = now > (*found)->respond_by;
        if (auto s = Audit(tx, crypto, actor, now, "whistle.report", "whistle",
                           std::to_string(whistle_id), "",
                           "{\"department\":" + std::to_string(dept) +
                               ",\"late\":" + (late ? "true" : "false") + "}");
            !s) {
          return s;
        }
        *result = std::move(**found);
        return Status::Ok();
      },
      [result, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        done(*result);
      });
}

Result<std::vector<WhistleView>> RoutingService::Whistles(const Actor& actor, EventId id) {
  auto ref = reference_();
  auto event = store_.FindEvent(id);
  if (!event) return event.error();
  const bool summoned_department = actor.scope.department_id != 0;
  if (!event->has_value() ||
      !EventService::IsVisible(EventService::VisibilityOf(actor, *ref), **event)) {
    if (!summoned_department) {
      return Fail(ErrorCode::kNotFound, "event " + std::to_string(id) + " not found", "id");
    }
  }
  auto whistles = store_.EventWhistles(id);
  if (!whistles) return whistles.error();
  const TimeMs now = clock_.Now();
  std::vector<WhistleView> out;
  for (Whistle& w : *whistles) {
    bool mine = false;
    for (const WhistleCall& c : w.calls)
      mine = mine || c.department_id == actor.scope.department_id;
    if (!event->has_value() ||
        (!mine && !EventService::IsVisible(EventService::VisibilityOf(actor, *ref), **event))) {
      continue;
    }
    WhistleView view;
    for (const WhistleCall& c : w.calls) {
      view.late.push_back(c.reported_at ? *c.reported_at > w.respond_by : now > w.respond_by);
    }
    view.whistle = std::move(w);
    out.push_back(std::move(view));
  }
  if (out.empty() && (!event->has_value() ||
                      !EventService::IsVisible(EventService::VisibilityOf(actor, *ref), **event))) {
    return Fail(ErrorCode::kNotFound, "event " + std::to_string(id) + " not found", "id");
  }
  return out;
}

Result<std::optional<EventRouting>> RoutingService::Routing(const Actor& actor, EventId id) {
  auto ref = reference_();
  auto event = store_.FindEvent(id);
  if (!event) return event.error();
  if (!event->has_value() ||
      !EventService::IsVisible(EventService::VisibilityOf(actor, *ref), **event)) {
    return Fail(ErrorCode::kNotFound, "event " + std::to_string(id) + " not found", "id");
  }
  return store_.FindEventRouting(id);
}

Result<std::vector<SupervisionNotice>> RoutingService::Notices(const Actor& actor, EventId id) {
  auto ref = reference_();
  auto event = store_.FindEvent(id);
  if (!event) return event.error();
  if (!event->has_value() ||
      !EventService::IsVisible(EventService::VisibilityOf(actor, *ref), **event)) {
    return Fail(ErrorCode::kNotFound, "event " + std::to_string(id) + " not found", "id");
  }
  return store_.EventSupervisionNotices(id);
}

// --- Duplicates ---

Status RoutingService::ProposeDuplicates(WriteTx& tx, const Event& e) {
  if (duplicates_.distance_m <= 0) return Status::Ok();
  constexpr double kMetresPerDegreeLat = 111'320.0;
  const double dlat = duplicates_.distance_m / kMetresPerDegreeLat;
  const double dlon = dlat / std::max(0.01, std::cos(e.lat * 3.14159265358979323846 / 180.0));
  auto near = tx.FindOpenEventsNear(e.category, e.lon - dlon, e.lat - dlat, e.lon + dlon,
                                    e.lat + dlat, e.created_at - duplicates_.window_ms, 6);
  if (!near) return near.error();
  for (const Event& other : *near) {
    if (other.id == e.id) continue;
    const double d = DistanceM(e.lon, e.lat, other.lon, other.lat);
    if (d > duplicates_.distance_m) continue;
    DuplicateProposal p{e.id, other.id, d, DuplicateState::kProposed, e.created_at};
    if (auto s = tx.PutDuplicateProposal(p); !s) return s;
    if (auto s = Audit(tx, crypto_, SystemActor(), e.created_at, "event.duplicate.propose", "event",
                       std::to_string(e.id), "",
                       "{\"candidate\":" + std::to_string(other.id) +
                           ",\"distance_m\":" + std::to_string(static_cast<int>(d)) + "}");
        !s) {
      return s;
    }
  }
  return Status::Ok();
}

Result<std::vector<DuplicateProposal>> RoutingService::Duplicates(const Actor& actor, EventId id) {
  auto ref = reference_();
  auto event = store_.FindEvent(id);
  if (!event) return event.error();
  if (!event->has_value() ||
      !EventService::IsVisible(EventService::VisibilityOf(actor, *ref), **event)) {
    return Fail(ErrorCode::kNotFound, "event " + std::to_string(id) + " not found", "id");
  }
  return store_.EventDuplicates(id);
}

void RoutingService::ResolveDuplicate(const Actor& actor, EventId id, EventId candidate, bool merge,
                                      Done<Event> done) {
  if (!actor.roles.Intersects({Role::kDispatcher, Role::kStreetLead})) {
    return done(Fail(ErrorCode::kPermissionDenied, "only a dispatcher may resolve duplicates"));
  }
  auto ref = reference_();
  const Visibility v = EventService::VisibilityOf(actor, *ref);
  const TimeMs now = clock_.Now();
  auto result = std::make_shared<Event>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [=, this, &crypto](WriteTx& tx) -> Status {
        auto before = FindVisible(tx, v, id);
        if (!before) return before.error();
        auto target = FindVisible(tx, v, candidate);
        if (!target) return target.error();
        DuplicateProposal p{id, candidate, 0,
                            merge ? DuplicateState::kMerged : DuplicateState::kKept, now};
        if (!merge) {
          if (auto s = tx.PutDuplicateProposal(p); !s) return s;
          *result = *before;
          return Audit(tx, crypto, actor, now, "event.duplicate.keep", "event", std::to_string(id),
                       "", "{\"candidate\":" + std::to_string(candidate) + "}");
        }
        ActionRequest request;
        request.action = EventAction::kMerge;
        request.expected_version = before->version;
        request.target = candidate;
        request.note = "重复事件，合并至 " + target->number;
        TransitionContext ctx;
        ctx.now = now;
        ctx.target_mergeable = IsOpen(target->status);
        auto t = ApplyAction(*before, request, actor, ctx);
        if (!t) return t.error();
        auto written = WriteTransition(tx, crypto, *before, std::move(*t));
        if (!written) return written.error();
        // The target's history records the merge, so its result answers both reporters.
        ActionRequest note;
        note.action = EventAction::kComment;
        note.expected_version = target->version;
        note.note = "合并重复事件 " + before->number;
        auto tt = ApplyAction(*target, note, actor, ctx);
        if (!tt) return tt.error();
        AddData(tt->entry, "\"merged_from\":" + std::to_string(id));
        if (auto w = WriteTransition(tx, crypto, *target, std::move(*tt)); !w) return w.error();
        if (auto s = tx.PutDuplicateProposal(p); !s) return s;
        if (auto s = Audit(tx, crypto, actor, now, "event.duplicate.merge", "event",
                           std::to_string(id), EventStateJson(*before), EventStateJson(*written));
            !s) {
          return s;
        }
        *result = std::move(*written);
        return Status::Ok();
      },
      [this, result, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        Changed(*result);
        done(*result);
      });
}

// --- Queues ---

Result<EventPage> RoutingService::Queue(const Actor& actor, QueueKind kind, int limit,
                                        EventId before_id) {
  const bool grid_worker_queue =
      kind == QueueKind::kToConfirm && actor.roles.Has(Role::kGridWorker);
  if (!grid_worker_queue && !actor.roles.Intersects({Role::kHandler, Role::kLeader,
                                                     Role::kDispatcher, Role::kStreetLead})) {
    return Fail(ErrorCode::kPermissionDenied, "your role has no queue");
  }
  if (limit < 1 || limit > 500) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be 1 to 500", "limit");
  }
  auto ref = reference_();
  EventQuery q;
  q.visibility = EventService::VisibilityOf(actor, *ref);
  if (actor.scope.department_id != 0) q.department_id = actor.scope.department_id;
  q.now = clock_.Now();
  q.limit = limit;
  q.before_id = before_id;
  const std::vector<EventStatus> working = {EventStatus::kDispatched, EventStatus::kInProgress};
  switch (kind) {
    case QueueKind::kToAccept: q.statuses = {EventStatus::kDispatched}; break;
    case QueueKind::kInProgress: q.statuses = {EventStatus::kInProgress}; break;
    case QueueKind::kDueSoon:
      // Not yet overdue, due within the next working day.
      q.statuses = working;
      q.overdue = false;
      q.deadline_before =
          ref->calendar().AddWorkingMs(q.now, ref->calendar().OfficeMsPerWorkingDay());
      break;
    case QueueKind::kOverdue: q.overdue = true; break;
    case QueueKind::kSupervised:
      q.statuses = {EventStatus::kReported, EventStatus::kAccepted, EventStatus::kDispatched,
                    EventStatus::kInProgress, EventStatus::kHandled};
      q.min_supervision_level = 1;
      break;
    case QueueKind::kToConfirm:
      q.statuses = {EventStatus::kReported};
      q.source = EventSource::kCamera;
      q.department_id = 0;
      if (grid_worker_queue) q.assignee_user_id = actor.user_id;
      break;
  }
  return store_.ListEvents(q);
}

// --- Automatic supervision (督办) ---

void RoutingService::SuperviseDue(EventId id, Done<Supervised> done) {
  const TimeMs now = clock_.Now();
  auto ref = reference_();
  auto result = std::make_shared<Supervised>();
  const Crypto& crypto = crypto_;
  store_.Submit(
      [=, this, &crypto](WriteTx& tx) -> Status {
        auto found = tx.FindEvent(id);
        if (!found) return found.error();
        if (!found->has_value()) return Fail(ErrorCode::kNotFound, "no such event", "id");
        Event current = std::move(**found);
        result->next_due.reset();
        if (!IsOpen(current.status) || current.suspended || !current.deadline) {
          result->event = std::move(current);
          return Status::Ok();
        }
        auto routing = tx.FindEventRouting(id);
        if (!routing) return routing.error();
        const DeadlineClock clock = ClockOf(current, routing->has_value() ? &**routing : nullptr);
        const int due = SupervisionLevelAt(ref->calendar(), clock, now);
        const Actor system = SystemActor();
        for (int level = current.supervision_level + 1; level <= due; ++level) {
          SupervisionNotice notice{id, level, current.department_id, now, true};
          auto fresh = tx.InsertSupervisionNotice(notice);
          if (!fresh) return fresh.error();
          if (!*fresh) continue;  // this level was already noticed
          ActionRequest request;
          request.action = EventAction::kSupervise;
          request.expected_version = current.version;
          request.level = level;
          request.note = "自动督办：已超过办理时限 " +
                         std::to_string(kSupervisionPercents[static_cast<std::size_t>(level - 1)]) +
                         "%";
          TransitionContext ctx;
          ctx.now = now;
          auto t = ApplyAction(current, request, system, ctx);
          if (!t) return t.error();
          AddData(t->entry,
                  "\"automatic\":true,\"department\":" + std::to_string(current.department_id));
          auto written = WriteTransition(tx, crypto, current, std::move(*t));
          if (!written) return written.error();
          if (auto s = Audit(tx, crypto, system, now, "event.supervise.auto", "event",
                             std::to_string(id), EventStateJson(current), EventStateJson(*written));
              !s) {
            return s;
          }
          current = std::move(*written);
        }
        result->next_due = NextSupervisionAt(current, routing->has_value() ? &**routing : nullptr);
        result->event = std::move(current);
        return Status::Ok();
      },
      [result, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        done(*result);
      });
}

// --- Calendar settings ---

Result<CalendarSettings> RoutingService::GetCalendarSettings(const Actor& actor) {
  if (actor.roles.empty()) return Fail(ErrorCode::kPermissionDenied, "no role");
  return store_.LoadCalendarSettings();
}

void RoutingService::PutCalendarSettings(const Actor& actor, CalendarSettings settings,
                                         Done<CalendarSettings> done) {
  // The calendar applies city-wide: an admin scoped to a district or street may not change it.
  if (!IsCityWideAdmin(actor)) {
    return done(
        Fail(ErrorCode::kPermissionDenied, "only a city-wide admin may change the calendar"));
  }
  if (auto applied = ApplyCalendarSettings(WorkingCalendar(), settings); !applied) {
    return done(applied.error());
  }
  if (settings.days.size() > 1000) {
    return done(Fail(ErrorCode::kInvalidArgument, "at most 1000 local days", "days"));
  }
  for (const LocalDay& d : settings.days) {
    if (!IsValidUtf8(d.name) || Utf8Length(d.name) > 50) {
      return done(Fail(ErrorCode::kInvalidArgument, "day names are at most 50 characters", "days"));
    }
  }
  const TimeMs now = clock_.Now();
  auto before = std::make_shared<std::string>();
  const Crypto& crypto = crypto_;
  auto saved = std::make_shared<CalendarSettings>(std::move(settings));
  store_.Submit(
      [=, this, &crypto](WriteTx& tx) -> Status {
        if (auto s = tx.PutCalendarSettings(*saved); !s) return s;
        std::string after =
            "{\"office_periods\":" + std::to_string(saved->office_hours.size()) + ",\"days\":[";
        for (std::size_t i = 0; i < saved->days.size(); ++i) {
          if (i) after += ',';
          after += "\"" + FormatDate(saved->days[i].date) +
                   (saved->days[i].working ? ":workday\"" : ":holiday\"");
        }
        after += "]}";
        return Audit(tx, crypto, actor, now, "calendar.update", "calendar", "organisation", "",
                     after);
      },
      [this, saved, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        if (calendar_changed_) calendar_changed_();
        done(*saved);
      });
}

}  // namespace civicgrid
