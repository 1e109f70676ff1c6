// Routing endpoints (issue 5, docs/ROUTING.md): the responsibility list, dispatch modes,
// co-handler reports, whistle-and-report, duplicates, supervision notices, queues and the
// organisation's calendar settings.
#include "api/encoders.h"
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "api/json/json_writer.h"
#include "api/json/request_decoders.h"
#include "api/query.h"
#include "core/events/event_service.h"
#include "core/routing/reference_data.h"
#include "core/routing/routing_service.h"

namespace civicgrid {

namespace {

HttpResponse Missing(const char* field) {
  return ErrorResponse(ErrorCode::kMalformed, std::string("\"") + field + "\" is required", field,
                       "missing_field");
}

HttpResponse NotFound(const char* what) {
  return ErrorResponse(ErrorCode::kNotFound, std::string("no such ") + what, "", "not_found");
}

// An event view with the reference snapshot it points into.
struct HeldView {
  std::shared_ptr<const ReferenceData> reference;
  EventView view;
};

HeldView ViewOf(const ApiEnv& env, const Actor& actor) {
  HeldView h;
  h.reference = env.services.reference ? env.services.reference() : nullptr;
  h.view.reference = h.reference.get();
  h.view.full_contact = MaySeeFullContact(actor);
  h.view.now = NowMs(env);
  return h;
}

void WriteTimeOrNull(JsonWriter& w, std::string_view key, std::optional<TimeMs> t) {
  w.Key(key);
  if (t) {
    w.String(FormatIsoShanghai(*t));
  } else {
    w.Null();
  }
}

void WriteIds(JsonWriter& w, std::string_view key, const std::vector<DepartmentId>& ids) {
  w.Key(key).StartArray();
  for (DepartmentId d : ids) w.Int(d);
  w.EndArray();
}

void WriteRule(JsonWriter& w, const ResponsibilityRule& r) {
  w.StartObject();
  w.Field("id", r.id);
  w.Field("category", r.category);
  w.Field("region_level", RegionLevelName(r.region_level));
  w.Field("version", r.version);
  w.Field("department", r.department_id);
  WriteIds(w, "co_handlers", r.co_handlers);
  w.Field("time_limit", r.time_limit);
  w.Field("time_unit", TimeUnitName(r.time_unit));
  w.Field("verification", VerificationName(r.verification));
  w.Field("created_at", FormatIsoShanghai(r.created_at));
  w.IdOrNull("created_by", r.created_by);
  w.EndObject();
}

std::string EncodeWhistle(const Whistle& wh, const std::vector<bool>& late) {
  JsonWriter w;
  w.StartObject();
  w.Field("id", wh.id);
  w.Field("event_id", wh.event_id);
  w.Field("region_id", wh.region_id);
  w.Field("summoned_by", wh.summoned_by);
  w.Field("note", wh.note);
  w.Field("created_at", FormatIsoShanghai(wh.created_at));
  w.Field("respond_by", FormatIsoShanghai(wh.respond_by));
  w.Key("calls").StartArray();
  for (std::size_t i = 0; i < wh.calls.size(); ++i) {
    w.StartObject();
    w.Field("department", wh.calls[i].department_id);
    WriteTimeOrNull(w, "reported_at", wh.calls[i].reported_at);
    w.Field("came", wh.calls[i].reported_at.has_value());
    if (i < late.size()) w.Field("late", static_cast<bool>(late[i]));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

template <typename T>
using Sender = std::function<HttpResponse(const T&)>;

// Answers a write's result on the connection's strand.
template <typename T>
std::function<void(Result<T>)> Later(const ReplyPtr& reply, Sender<T> encode, int status = 200) {
  return [reply, encode = std::move(encode), status](Result<T> result) {
    reply->SendLater([encode, status, result = std::move(result)]() {
      if (!result) return ErrorResponse(result.error());
      HttpResponse response = encode(*result);
      response.status = status;
      return response;
    });
  };
}

Result<RoutingRequest> Body(const RequestContext& ctx) {
  if (Status s = RequireJson(ctx.http); !s.ok()) return s.error();
  return DecodeRoutingRequest(ctx.http.body);
}

RuleDraft DraftOf(const RoutingRequest& r) {
  RuleDraft d;
  d.category = r.category.value_or("");
  d.region_level = r.region_level;
  d.department_id = r.department.value_or(0);
  if (r.co_handlers) d.co_handlers = *r.co_handlers;
  d.time_limit = r.time_limit.value_or(0);
  d.time_unit = r.time_unit.value_or(TimeUnit::kWorkingDays);
  d.verification = r.verification.value_or(Verification::kCentre);
  return d;
}

Sender<Event> EventSender(const ApiEnv* env, const Actor& actor) {
  return [held = ViewOf(*env, actor)](const Event& e) {
    return JsonResponse(200, EncodeEvent(e, held.view));
  };
}

// --- Handlers ---

void ListRules(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return reply->Send(ErrorResponse(params.error()));
  const auto all = params->Get("all_versions");
  auto rules = env->services.routing->ListRules(*ctx.actor, all && *all == "true");
  if (!rules) return reply->Send(ErrorResponse(rules.error()));
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const auto& r : *rules) WriteRule(w, r);
  w.EndArray().EndObject();
  reply->Send(JsonResponse(200, w.Take()));
}

void SaveRule(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply, bool create) {
  auto body = Body(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  if (!create) {
    // PUT /rules/{category}/{level}: the path names the rule.
    body->category = std::string(ctx.params.Get("category"));
    auto level = RegionLevelFromName(ctx.params.Get("level"));
    if (!level) return reply->Send(NotFound("rule"));
    body->region_level = *level;
  }
  if (!body->category) return reply->Send(Missing("category"));
  if (!body->region_level) return reply->Send(Missing("region_level"));
  if (!body->department) return reply->Send(Missing("department"));
  if (!body->time_limit) return reply->Send(Missing("time_limit"));
  if (!body->time_unit) return reply->Send(Missing("time_unit"));
  env->services.routing->SaveRule(*ctx.actor, DraftOf(*body), create,
                                  Later<ResponsibilityRule>(
                                      reply,
                                      [](const ResponsibilityRule& r) {
                                        JsonWriter w;
                                        WriteRule(w, r);
                                        return JsonResponse(200, w.Take());
                                      },
                                      create ? 201 : 200));
}

std::optional<EventId> IdParam(const RequestContext& ctx, const char* name = "id") {
  return ParsePositiveInt(ctx.params.Get(name));
}

void Negotiate(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = IdParam(ctx);
  if (!id) return reply->Send(NotFound("event"));
  auto body = Body(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  if (!body->expected_version) return reply->Send(Missing("expected_version"));
  if (!body->lead) return reply->Send(Missing("lead"));
  if (!body->co_handlers) return reply->Send(Missing("co_handlers"));
  env->services.routing->DispatchNegotiated(*ctx.actor, *id, *body->expected_version, *body->lead,
                                            *body->co_handlers, body->note.value_or(""),
                                            Later<Event>(reply, EventSender(env, *ctx.actor)));
}

void Designate(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = IdParam(ctx);
  if (!id) return reply->Send(NotFound("event"));
  auto body = Body(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  if (!body->expected_version) return reply->Send(Missing("expected_version"));
  if (!body->department) return reply->Send(Missing("department"));
  std::optional<RuleDraft> add;
  if (body->add_to_list.value_or(false)) {
    if (!body->time_limit) return reply->Send(Missing("time_limit"));
    if (!body->time_unit) return reply->Send(Missing("time_unit"));
    add = DraftOf(*body);
  }
  env->services.routing->Designate(*ctx.actor, *id, *body->expected_version, *body->department,
                                   std::move(add), body->note.value_or(""),
                                   Later<Event>(reply, EventSender(env, *ctx.actor)));
}

void CoHandlerReport(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = IdParam(ctx);
  if (!id) return reply->Send(NotFound("event"));
  auto body = Body(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  if (!body->note) return reply->Send(Missing("note"));
  env->services.routing->ReportCoHandlerPart(*ctx.actor, *id, *body->note,
                                             Later<Event>(reply, EventSender(env, *ctx.actor)));
}

void GetRouting(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = IdParam(ctx);
  if (!id) return reply->Send(NotFound("event"));
  auto routing = env->services.routing->Routing(*ctx.actor, *id);
  if (!routing) return reply->Send(ErrorResponse(routing.error()));
  auto notices = env->services.routing->Notices(*ctx.actor, *id);
  if (!notices) return reply->Send(ErrorResponse(notices.error()));
  JsonWriter w;
  w.StartObject();
  w.Key("dispatch");
  if (routing->has_value()) {
    const EventRouting& r = **routing;
    w.StartObject();
    w.Field("mode", DispatchModeName(r.mode));
    w.IdOrNull("rule_id", r.rule_id);
    w.IdOrNull("rule_version", r.rule_version);
    w.IdOrNull("lead", r.lead_department_id);
    w.Field("clock_start", FormatIsoShanghai(r.clock_start));
    w.Field("limit_minutes", r.limit_ms / 60'000);
    w.Field("limit_clock", r.wall_clock ? "wall" : "working");
    w.Key("co_handlers").StartArray();
    for (const CoHandler& c : r.co_handlers) {
      w.StartObject();
      w.Field("department", c.department_id);
      WriteTimeOrNull(w, "reported_at", c.reported_at);
      w.Field("note", c.note);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("supervision_notices").StartArray();
  for (const SupervisionNotice& n : *notices) {
    w.StartObject();
    w.Field("level", n.level);
    w.IdOrNull("department", n.department_id);
    w.Field("at", FormatIsoShanghai(n.at));
    w.Field("automatic", n.automatic);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  reply->Send(JsonResponse(200, w.Take()));
}

void BlowWhistle(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = IdParam(ctx);
  if (!id) return reply->Send(NotFound("event"));
  auto body = Body(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  if (!body->departments) return reply->Send(Missing("departments"));
  if (!body->respond_within_minutes) return reply->Send(Missing("respond_within_minutes"));
  env->services.routing->BlowWhistle(
      *ctx.actor, *id, *body->departments, *body->respond_within_minutes, body->note.value_or(""),
      Later<Whistle>(
          reply,
          [](const Whistle& wh) {
            return JsonResponse(201, EncodeWhistle(wh, std::vector<bool>(wh.calls.size(), false)));
          },
          201));
}

void ReportToWhistle(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = IdParam(ctx);
  if (!id) return reply->Send(NotFound("whistle"));
  env->services.routing->ReportToWhistle(
      *ctx.actor, *id, Later<Whistle>(reply, [](const Whistle& wh) {
        std::vector<bool> late;
        for (const auto& c : wh.calls)
          late.push_back(c.reported_at && *c.reported_at > wh.respond_by);
        return JsonResponse(200, EncodeWhistle(wh, late));
      }));
}

void ListWhistles(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = IdParam(ctx);
  if (!id) return reply->Send(NotFound("event"));
  auto whistles = env->services.routing->Whistles(*ctx.actor, *id);
  if (!whistles) return reply->Send(ErrorResponse(whistles.error()));
  std::string body = "{\"items\":[";
  for (std::size_t i = 0; i < whistles->size(); ++i) {
    if (i) body += ',';
    body += EncodeWhistle((*whistles)[i].whistle, (*whistles)[i].late);
  }
  body += "]}";
  reply->Send(JsonResponse(200, std::move(body)));
}

void ListDuplicates(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = IdParam(ctx);
  if (!id) return reply->Send(NotFound("event"));
  auto items = env->services.routing->Duplicates(*ctx.actor, *id);
  if (!items) return reply->Send(ErrorResponse(items.error()));
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const DuplicateProposal& p : *items) {
    w.StartObject();
    w.Field("event_id", p.event_id);
    w.Field("candidate_id", p.candidate_id);
    w.Field("distance_m", p.distance_m);
    w.Field("state", DuplicateStateName(p.state));
    w.Field("at", FormatIsoShanghai(p.at));
    w.EndObject();
  }
  w.EndArray().EndObject();
  reply->Send(JsonResponse(200, w.Take()));
}

void ResolveDuplicate(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = IdParam(ctx);
  auto candidate = IdParam(ctx, "candidate");
  if (!id || !candidate) return reply->Send(NotFound("event"));
  auto body = Body(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  if (!body->decision) return reply->Send(Missing("decision"));
  if (*body->decision != "merge" && *body->decision != "keep") {
    return reply->Send(ErrorResponse(ErrorCode::kInvalidArgument, "decision must be merge or keep",
                                     "decision", "invalid_argument"));
  }
  env->services.routing->ResolveDuplicate(*ctx.actor, *id, *candidate, *body->decision == "merge",
                                          Later<Event>(reply, EventSender(env, *ctx.actor)));
}

void Queue(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return reply->Send(ErrorResponse(params.error()));
  auto kind_text = params->Get("kind");
  if (!kind_text) return reply->Send(Missing("kind"));
  auto kind = QueueKindFromName(*kind_text);
  if (!kind) {
    return reply->Send(ErrorResponse(
        ErrorCode::kInvalidArgument,
        "kind must be to_accept, in_progress, due_soon, overdue, supervised or to_confirm", "kind",
        "invalid_argument"));
  }
  int limit = 50;
  if (auto v = params->Get("limit"); v && !v->empty()) {
    auto n = ParsePositiveInt(*v);
    if (!n || *n > 500) {
      return reply->Send(ErrorResponse(ErrorCode::kInvalidArgument, "limit must be 1 to 500",
                                       "limit", "invalid_argument"));
    }
    limit = static_cast<int>(*n);
  }
  EventId before = 0;
  if (auto v = params->Get("cursor"); v && !v->empty()) {
    auto c = DecodeCursor(*v);
    if (!c) {
      return reply->Send(ErrorResponse(ErrorCode::kInvalidArgument,
                                       "\"cursor\" is not a cursor this server gave", "cursor",
                                       "invalid_argument"));
    }
    before = *c;
  }
  auto page = env->services.routing->Queue(*ctx.actor, *kind, limit, before);
  if (!page) return reply->Send(ErrorResponse(page.error()));
  reply->Send(JsonResponse(200, EncodeEventPage(*page, ViewOf(*env, *ctx.actor).view)));
}

std::string EncodeSettings(const CalendarSettings& s) {
  JsonWriter w;
  w.StartObject();
  w.Key("office_hours").StartArray();
  char buf[32];
  for (const OfficePeriod& p : s.office_hours) {
    w.StartObject();
    std::snprintf(buf, sizeof buf, "%02d:%02d", p.start_minute / 60, p.start_minute % 60);
    w.Field("start", std::string_view(buf));
    std::snprintf(buf, sizeof buf, "%02d:%02d", p.end_minute / 60, p.end_minute % 60);
    w.Field("end", std::string_view(buf));
    w.EndObject();
  }
  w.EndArray();
  w.Key("days").StartArray();
  for (const LocalDay& d : s.days) {
    w.StartObject();
    w.Field("date", FormatDate(d.date));
    w.Field("working", d.working);
    w.Field("name", d.name);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

void GetCalendarSettings(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto s = env->services.routing->GetCalendarSettings(*ctx.actor);
  if (!s) return reply->Send(ErrorResponse(s.error()));
  reply->Send(JsonResponse(200, EncodeSettings(*s)));
}

void PutCalendarSettings(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto body = Body(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  if (!body->office_hours && !body->days) return reply->Send(Missing("office_hours"));
  CalendarSettings settings;
  if (body->office_hours) settings.office_hours = std::move(*body->office_hours);
  if (body->days) settings.days = std::move(*body->days);
  env->services.routing->PutCalendarSettings(
      *ctx.actor, std::move(settings),
      Later<CalendarSettings>(
          reply, [](const CalendarSettings& s) { return JsonResponse(200, EncodeSettings(s)); }));
}

}  // namespace

void AddRoutingRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  auto route = [&](const char* method, const char* pattern,
                   std::function<void(const ApiEnv*, RequestContext&, const ReplyPtr&)> fn) {
    router.Add(
        method, pattern, Access::kAuthenticated, [e, fn](RequestContext& ctx, ReplyPtr reply) {
          if (e->services.routing == nullptr) {
            return reply->Send(ErrorResponse(ErrorCode::kUnavailable, "routing is not available"));
          }
          fn(e, ctx, reply);
        });
  };
  route("GET", "/api/v1/rules", &ListRules);
  route("POST", "/api/v1/rules", [](const ApiEnv* api, RequestContext& ctx, const ReplyPtr& reply) {
    SaveRule(api, ctx, reply, true);
  });
  route("PUT", "/api/v1/rules/{category}/{level}",
        [](const ApiEnv* api, RequestContext& ctx, const ReplyPtr& reply) {
          SaveRule(api, ctx, reply, false);
        });
  route("POST", "/api/v1/events/{id}/dispatch/negotiated", &Negotiate);
  route("POST", "/api/v1/events/{id}/dispatch/designated", &Designate);
  route("POST", "/api/v1/events/{id}/co-handler-report", &CoHandlerReport);
  route("GET", "/api/v1/events/{id}/routing", &GetRouting);
  route("POST", "/api/v1/events/{id}/whistles", &BlowWhistle);
  route("GET", "/api/v1/events/{id}/whistles", &ListWhistles);
  route("POST", "/api/v1/whistles/{id}/report", &ReportToWhistle);
  route("GET", "/api/v1/events/{id}/duplicates", &ListDuplicates);
  route("POST", "/api/v1/events/{id}/duplicates/{candidate}", &ResolveDuplicate);
  route("GET", "/api/v1/queue", &Queue);
  route("GET", "/api/v1/calendar/settings", &GetCalendarSettings);
  route("PUT", "/api/v1/calendar/settings", &PutCalendarSettings);
}

}  // namespace civicgrid
