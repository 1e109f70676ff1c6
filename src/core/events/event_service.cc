#include "core/events/event_service.h"

#include "core/audit/audit_record.h"
#include "core/common/text.h"
#include "core/common/text_field.h"
#include "core/events/history_chain.h"
#include "core/ports/clock.h"
#include "core/ports/crypto.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

constexpr std::size_t kMaxTitleChars = 200;
constexpr std::size_t kMaxDescriptionChars = 5000;
constexpr std::size_t kMaxAddressChars = 300;
constexpr std::size_t kMaxNameChars = 50;
constexpr std::size_t kMaxIdempotencyKeyBytes = 128;

bool IsPhoneLike(std::string_view phone) {
  if (phone.size() > 20) return false;
  for (char c : phone) {
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ')) return false;
  }
  return true;
}

RegionId TopRegion(const Territory& territory) {
  for (const auto& r : territory.regions()) {
    if (r.parent_id == 0) return r.id;
  }
  return 0;
}

RegionId ParentOf(const Territory& territory, RegionId id) {
  const Region* r = territory.Find(id);
  return r == nullptr ? 0 : r->parent_id;
}

std::optional<TimeMs> DeadlineFor(const ReferenceData& ref, const std::string& category,
                                  TimeMs start) {
  const Category* c = ref.FindCategory(category);
  if (c == nullptr || c->time_limit <= 0) return std::nullopt;
  return ref.calendar().Deadline(start, c->time_limit, c->time_unit);
}

Result<Event> FindVisible(WriteTx& tx, const Visibility& v, EventId id) {
  auto found = tx.FindEvent(id);
  if (!found) return found.error();
  if (!found->has_value() || !EventService::IsVisible(v, **found)) {
    return Fail(ErrorCode::kNotFound, "event " + std::to_string(id) + " not found", "id");
  }
  return std::move(**found);
}

// What the audit log keeps of an event write (the history row keeps the rest).
std::string AuditFields(const Event& e) {
  return "{\"status\":\"" + std::string(StatusName(e.status)) +
         "\",\"version\":" + std::to_string(e.version) +
         ",\"department\":" + std::to_string(e.department_id) + "}";
}

}  // namespace

EventService::EventService(Store& store, const Clock& clock, const Crypto& crypto,
                           ReferenceSource reference)
    : store_(store), clock_(clock), crypto_(crypto), reference_(std::move(reference)) {}

void EventService::AppendHistoryHashInput(std::string& s, const HistoryEntry& h) {
  s.reserve(s.size() + 160 + h.note.size() + h.data.size());
  s += "{\"event\":";
  s += std::to_string(h.event_id);
  s += ",\"seq\":";
  s += std::to_string(h.seq);
  s += ",\"action\":";
  AppendJsonString(s, ActionName(h.action));
  s += ",\"actor\":";
  s += std::to_string(h.actor_id);
  s += ",\"actor_name\":";
  AppendJsonString(s, h.actor_name);
  s += ",\"role\":";
  AppendJsonString(s, h.actor_role);
  s += ",\"at\":";
  s += std::to_string(h.at);
  s += ",\"from\":";
  AppendJsonString(s, StatusName(h.from_status));
  s += ",\"to\":";
  AppendJsonString(s, StatusName(h.to_status));
  s += ",\"note\":";
  AppendJsonString(s, h.note);
  s += ",\"data\":";
  AppendJsonString(s, h.data);
  s += '}';
}

Visibility EventService::VisibilityOf(const Actor& actor, const ReferenceData& reference) {
  Visibility v;
  v.reporter_id = actor.user_id;
  v.department_id = actor.scope.department_id;
  // A grid worker also sees the camera alarms sent to them, wherever the camera is.
  if (actor.roles.Has(Role::kGridWorker)) v.assignee_id = actor.user_id;
  if (actor.scope.region_id != 0) {
    const Region* r = reference.territory().Find(actor.scope.region_id);
    if (r != nullptr && r->level == RegionLevel::kCity) {
      v.all = true;
    } else if (r != nullptr) {
      v.region_id = r->id;
      v.region_level = r->level;
    }
  } else if (actor.scope.department_id == 0 &&
             actor.roles.Intersects({Role::kAdmin, Role::kAuditor})) {
    // Admins and auditors without a region are city-wide.
    v.all = true;
  }
  return v;
}

bool EventService::IsVisible(const Visibility& v, const Event& e) {
  if (v.all) return true;
  if (v.reporter_id != 0 && e.reporter_user_id == v.reporter_id) return true;
  if (v.department_id != 0 && e.department_id == v.department_id) return true;
  if (v.assignee_id != 0 && e.assignee_user_id == v.assignee_id) return true;
  if (v.region_id != 0) {
    switch (v.region_level) {
      case RegionLevel::kCity: return true;
      case RegionLevel::kDistrict: return e.district_id == v.region_id;
      case RegionLevel::kStreet: return e.street_id == v.region_id;
      case RegionLevel::kCommunity: return e.community_id == v.region_id;
      case RegionLevel::kGrid: return e.grid_id == v.region_id;
    }
  }
  return false;
}

void EventService::Create(const Actor& actor, CreateEventCommand cmd, CreateDone done) {
  if (actor.roles.empty() || (actor.roles.Has(Role::kAuditor) &&
                              !actor.roles.Intersects(RolesAllowed(EventAction::kComment)))) {
    return done(Fail(ErrorCode::kPermissionDenied, "your role may not report events"));
  }
  for (const auto& check :
       {CheckTextField(cmd.title, kMaxTitleChars, "title", true),
        CheckTextField(cmd.description, kMaxDescriptionChars, "description", false),
        CheckTextField(cmd.address, kMaxAddressChars, "address", false),
        CheckTextField(cmd.reporter_name, kMaxNameChars, "reporter.name", false)}) {
    if (!check) return done(check.error());
  }
  if (!IsPhoneLike(cmd.reporter_phone)) {
    return done(Fail(ErrorCode::kInvalidArgument, "phone may hold digits, +, - and spaces only",
                     "reporter.phone"));
  }
  if (cmd.idempotency_key.size() > kMaxIdempotencyKeyBytes || !IsValidUtf8(cmd.idempotency_key)) {
    return done(Fail(ErrorCode::kInvalidArgument, "Idempotency-Key must be at most 128 bytes",
                     "Idempotency-Key"));
  }
  if (!cmd.lon || !cmd.lat) {
    return done(
        Fail(ErrorCode::kMalformed, "location needs lon and lat", "location", "missing_field"));
  }
  if (!IsValidLonLat(*cmd.lon, *cmd.lat)) {
    return done(Fail(ErrorCode::kInvalidArgument,
                     "location must have lon in [-180, 180] and lat in [-90, 90]", "location",
                     "invalid_location"));
  }
  if (cmd.priority < 0 || cmd.priority > 3) {
    return done(
        Fail(ErrorCode::kInvalidArgument, "priority must be 1 (urgent) to 3 (low)", "priority"));
  }

  auto ref = reference_();
  const Category* category = ref->FindCategory(cmd.category);
  if (category == nullptr) {
    return done(Fail(ErrorCode::kInvalidArgument, "unknown category '" + cmd.category + "'",
                     "category", "unknown_category"));
  }

  const TimeMs now = clock_.Now();
  auto event = std::make_shared<Event>();
  Event& e = *event;
  e.source = cmd.source;
  e.category = category->code;
  e.title = std::string(Trim(cmd.title));
  e.description = std::move(cmd.description);
  e.lon = *cmd.lon;
  e.lat = *cmd.lat;
  e.address = std::move(cmd.address);
  e.reporter_name = std::move(cmd.reporter_name);
  e.reporter_phone = std::move(cmd.reporter_phone);
  e.reporter_user_id = actor.user_id;
  e.priority = cmd.priority == 0 ? category->priority : cmd.priority;
  e.attachments = std::move(cmd.attachments);
  e.assignee_user_id = cmd.assignee_user_id;
  e.created_at = now;
  e.updated_at = now;
  const Territory& territory = ref->territory();
  if (const Region* grid = territory.LocateGrid(e.lon, e.lat); grid != nullptr) {
    const RegionPath path = territory.PathOf(grid->id);
    e.grid_id = path.grid_id;
    e.community_id = path.community_id;
    e.street_id = path.street_id;
    e.district_id = path.district_id;
  }
  e.owner_region_id = e.street_id != 0     ? e.street_id
                      : e.district_id != 0 ? e.district_id
                                           : TopRegion(territory);

  auto history = std::make_shared<HistoryEntry>();
  history->action = EventAction::kReport;
  history->actor_id = actor.user_id;
  history->actor_name = actor.username;
  for (Role r :
       {Role::kOperator, Role::kGridWorker, Role::kDispatcher, Role::kStreetLead, Role::kCitizen}) {
    if (actor.roles.Has(r)) {
      history->actor_role = std::string(RoleName(r));
      break;
    }
  }
  history->at = now;
  history->data = "{\"source\":\"" + std::string(SourceName(e.source)) + "\"";
  if (e.assignee_user_id != 0)
    history->data += ",\"assignee\":" + std::to_string(e.assignee_user_id);
  history->data += '}';

  auto replayed = std::make_shared<bool>(false);
  const UserId user = actor.user_id;
  std::string key = std::move(cmd.idempotency_key);
  const Crypto& crypto = crypto_;
  const AuditRecord audit = AuditOf(actor, now, "event.create", "event", "");
  const EventHooks* hooks = &hooks_;
  auto find_earlier = std::move(cmd.find_earlier);
  auto also_write = std::move(cmd.also_write);
  const Event draft = e;

  store_.Submit(
      [event, history, replayed, user, key, audit, &crypto, hooks, find_earlier, also_write,
       draft](WriteTx& tx) -> Status {
        // A re-run starts from the draft again (the earlier run may have replaced it).
        *event = draft;
        *replayed = false;
        if (find_earlier) {
          auto earlier = find_earlier(tx);
          if (!earlier) return earlier.error();
          if (earlier->has_value()) {
            auto original = tx.FindEvent(**earlier);
            if (!original) return original.error();
            if (!original->has_value()) {
              return Fail(ErrorCode::kInternal, "an earlier alarm points to a missing event");
            }
            *event = std::move(**original);
            *replayed = true;
            return Status::Ok();
          }
        }
        if (!key.empty()) {
          auto existing = tx.FindIdempotentEvent(user, key);
          if (!existing) return existing.error();
          if (existing->has_value()) {
            auto original = tx.FindEvent(**existing);
            if (!original) return original.error();
            if (!original->has_value()) {
              return Fail(ErrorCode::kInternal, "idempotency key points to a missing event");
            }
            *event = std::move(**original);
            *replayed = true;
            return Status::Ok();
          }
        }
        Event& ev = *event;
        const std::string day = EventNumberDay(ev.created_at);
        auto seq = tx.NextDailySequence(day);
        if (!seq) return seq.error();
        auto id = tx.NextEventId();
        if (!id) return id.error();
        ev.id = *id;
        ev.number = EventNumber(day, *seq);
        HistoryEntry& h = *history;
        h.event_id = ev.id;
        h.seq = 1;
        h.prev_hash = GenesisHash();
        h.hash = HistoryRowHash(crypto, h);
        ev.last_hash = h.hash;
        ev.history_count = 1;
        if (auto s = tx.InsertEvent(ev); !s) return s;
        if (auto s = tx.AppendHistory(h); !s) return s;
        if (!key.empty()) {
          if (auto s = tx.PutIdempotencyKey(user, key, ev.id, ev.created_at); !s) return s;
        }
        AuditRecord record = audit;
        record.object_id = std::to_string(ev.id);
        record.after = AuditFields(ev);
        if (auto s = AppendAuditRecord(tx, crypto, record); !s) return s;
        if (also_write) {
          if (auto s = also_write(tx, ev); !s) return s;
        }
        if (hooks->after_create) return hooks->after_create(tx, ev);
        return Status::Ok();
      },
      [event, replayed, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        done(CreateOutcome{std::move(*event), *replayed});
      });
}

void EventService::Act(const Actor& actor, EventId id, ActionRequest request, ActDone done) {
  if (request.action == EventAction::kReport) {
    return done(
        Fail(ErrorCode::kInvalidArgument, "report is not an action; POST the event", "action"));
  }
  for (const auto& check : {CheckTextField(request.note, kMaxDescriptionChars, "note", false)}) {
    if (!check) return done(check.error());
  }
  auto ref = reference_();
  const Visibility visibility = VisibilityOf(actor, *ref);
  auto result = std::make_shared<Event>();
  const TimeMs now = clock_.Now();
  const Crypto& crypto = crypto_;
  const EventHooks* hooks = &hooks_;

  store_.Submit(
      [=, &crypto, request = std::move(request)](WriteTx& tx) -> Status {
        auto before = FindVisible(tx, visibility, id);
        if (!before) return before.error();

        TransitionContext ctx;
        ctx.now = now;
        ctx.actor_is_reporter =
            before->reporter_user_id != 0 && before->reporter_user_id == actor.user_id;
        switch (request.action) {
          case EventAction::kDispatch:
            ctx.department_exists = ref->Dispatchable(request.department);
            ctx.dispatch_deadline = DeadlineFor(*ref, before->category, now);
            break;
          case EventAction::kEscalate:
            ctx.parent_region_id = ParentOf(ref->territory(), before->owner_region_id);
            break;
          case EventAction::kResume:
            if (before->deadline && before->suspended) {
              // The clock paused: the deadline moves by the office time spent suspended.
              ctx.resumed_deadline = ref->calendar().AddWorkingMs(
                  *before->deadline, ref->calendar().WorkingMsBetween(before->suspended_at, now));
            }
            break;
          case EventAction::kMerge:
            if (request.target != 0 && request.target != id) {
              auto target = FindVisible(tx, visibility, request.target);
              ctx.target_mergeable = target.has_value() && IsOpen(target->status);
            }
            break;
          default: break;
        }

        auto transition = ApplyAction(*before, request, actor, ctx);
        if (!transition) return transition.error();
        HistoryEntry& h = transition->entry;
        Event& after = transition->after;
        h.seq = before->history_count + 1;
        h.prev_hash = before->last_hash;
        h.hash = HistoryRowHash(crypto, h);
        after.last_hash = h.hash;
        after.history_count = h.seq;
        if (auto s = tx.UpdateEvent(after); !s) return s;
        if (auto s = tx.AppendHistory(h); !s) return s;
        AuditRecord record = AuditOf(actor, now, "event." + std::string(ActionName(request.action)),
                                     "event", std::to_string(id));
        record.before = AuditFields(*before);
        record.after = AuditFields(after);
        if (auto s = AppendAuditRecord(tx, crypto, record); !s) return s;
        if (hooks->after_action) {
          if (auto s = hooks->after_action(tx, actor, request, *before, after); !s) return s;
        }
        *result = std::move(after);
        return Status::Ok();
      },
      [result, hooks, done = std::move(done)](Status status) {
        if (!status) return done(status.error());
        if (hooks->changed) hooks->changed(*result);
        done(std::move(*result));
      });
}

Result<Event> EventService::Get(const Actor& actor, EventId id) {
  auto ref = reference_();
  auto found = store_.FindEvent(id);
  if (!found) return found.error();
  if (!found->has_value() || !IsVisible(VisibilityOf(actor, *ref), **found)) {
    return Fail(ErrorCode::kNotFound, "event " + std::to_string(id) + " not found", "id");
  }
  return std::move(**found);
}

Result<EventPage> EventService::List(const Actor& actor, EventFilter filter) {
  auto ref = reference_();
  if (filter.limit < 1 || filter.limit > 500) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be 1 to 500", "limit");
  }
  filter.visibility = VisibilityOf(actor, *ref);
  filter.now = clock_.Now();
  return store_.ListEvents(filter);
}

Result<std::vector<HistoryEntry>> EventService::History(const Actor& actor, EventId id) {
  auto event = Get(actor, id);
  if (!event) return event.error();
  return store_.EventHistory(id);
}

bool MaySeeFullContact(const Actor& actor) {
  return actor.roles.Intersects({Role::kOperator, Role::kDispatcher, Role::kHandler});
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() >= 7) {
    return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
           std::string(phone.substr(phone.size() - 4));
  }
  if (phone.size() <= 2) return std::string(phone.size(), '*');
  return std::string(phone.size() - 2, '*') + std::string(phone.substr(phone.size() - 2));
}

}  // namespace civicgrid
