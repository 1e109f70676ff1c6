// Patrol check-ins, daily logs (民情日志) and coverage over REST (issue 3).
#include "api/handlers/base_data_common.h"
#include "api/json/body_reader.h"
#include "core/people/patrol_service.h"

namespace civicgrid {

namespace {

void WriteCheckIn(JsonWriter& w, const PatrolCheckIn& p) {
  w.StartObject().Field("id", p.id).Field("user_id", p.user_id);
  w.Field("at", FormatIsoShanghai(p.at)).Field("lon", p.lon).Field("lat", p.lat);
  WritePath(w, p.path);
  w.Field("in_grid", p.path.grid_id != 0).Field("note", p.note).EndObject();
}

void WriteLog(JsonWriter& w, const PatrolLog& l) {
  w.StartObject().Field("id", l.id).Field("user_id", l.user_id).Field("day", l.day);
  WritePath(w, l.path);
  w.Field("content", l.content).Field("created_at", FormatIsoShanghai(l.created_at)).EndObject();
}

Result<BodyReader> JsonBody(RequestContext& ctx) {
  if (Status s = RequireJson(ctx.http); !s) return s.error();
  return BodyReader::Parse(ctx.http.body);
}

void CheckIn(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  std::optional<double> lon, lat;
  std::string note;
  if (!body->Double("lon", lon, true) || !body->Double("lat", lat, true) ||
      !body->String("note", note)) {
    return reply->Send(ErrorResponse(body->error()));
  }
  env->services.patrols->CheckIn(*ctx.actor, lon, lat, std::move(note),
                                 AnswerWith<PatrolCheckIn>(reply, 201, [](const PatrolCheckIn& p) {
                                   JsonWriter w;
                                   WriteCheckIn(w, p);
                                   return w.Take();
                                 }));
}

void CreateLog(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  std::string day, content;
  if (!body->String("day", day) || !body->String("content", content, true)) {
    return reply->Send(ErrorResponse(body->error()));
  }
  env->services.patrols->WriteLog(*ctx.actor, std::move(day), std::move(content),
                                  AnswerWith<PatrolLog>(reply, 201, [](const PatrolLog& l) {
                                    JsonWriter w;
                                    WriteLog(w, l);
                                    return w.Take();
                                  }));
}

struct PeriodQuery {
  ListOptions options;
  UserId user_id = 0;
  std::optional<TimeMs> from, to;
};

Result<PeriodQuery> PeriodOf(RequestContext& ctx) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return params.error();
  PeriodQuery q;
  auto options = ListOptionsOf(*params);
  if (!options) return options.error();
  q.options = *options;
  if (auto v = params->Get("user_id"); v && !v->empty()) {
    auto id = ParsePositiveInt(*v);
    if (!id) return Fail(ErrorCode::kInvalidArgument, "user_id must be an id", "user_id");
    q.user_id = *id;
  }
  auto from = TimeParam(*params, "from");
  if (!from) return from.error();
  auto to = TimeParam(*params, "to");
  if (!to) return to.error();
  q.from = *from;
  q.to = *to;
  return q;
}

void ListCheckIns(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto q = PeriodOf(ctx);
  if (!q) return reply->Send(ErrorResponse(q.error()));
  auto rows =
      env->services.patrols->ListCheckIns(*ctx.actor, q->options, q->user_id, q->from, q->to);
  if (!rows) return reply->Send(ErrorResponse(rows.error()));
  reply->Send(JsonResponse(200, EncodeList<PatrolCheckIn>(*rows, q->options.limit, WriteCheckIn)));
}

void ListLogs(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto q = PeriodOf(ctx);
  if (!q) return reply->Send(ErrorResponse(q.error()));
  auto rows = env->services.patrols->ListLogs(*ctx.actor, q->options, q->user_id, q->from, q->to);
  if (!rows) return reply->Send(ErrorResponse(rows.error()));
  reply->Send(JsonResponse(200, EncodeList<PatrolLog>(*rows, q->options.limit, WriteLog)));
}

void Coverage(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto q = PeriodOf(ctx);
  if (!q) return reply->Send(ErrorResponse(q.error()));
  auto report = env->services.patrols->Coverage(*ctx.actor, q->options.region_id, q->from, q->to);
  if (!report) return reply->Send(ErrorResponse(report.error()));
  JsonWriter w;
  w.StartObject().Field("from", FormatIsoShanghai(report->from));
  w.Field("to", FormatIsoShanghai(report->to));
  w.Field("grid_count", static_cast<std::int64_t>(report->grids.size()));
  w.Field("covered_grids", report->covered_grids);
  w.Key("grids").StartArray();
  for (const GridCoverage& g : report->grids) {
    w.StartObject().Field("grid_id", g.grid_id).Field("code", g.code).Field("name", g.name);
    w.Field("check_ins", g.check_ins).Field("workers", g.workers);
    w.Field("covered", g.check_ins > 0).EndObject();
  }
  w.EndArray().Key("not_patrolled").StartArray();
  for (const IdleWorker& u : report->not_patrolled) {
    w.StartObject().Field("user_id", u.user_id).Field("username", u.username);
    w.Field("display_name", u.display_name).Field("grid_id", u.grid_id).EndObject();
  }
  w.EndArray().EndObject();
  reply->Send(JsonResponse(200, w.Take()));
}

}  // namespace

void AddPatrolRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  auto route = [&](const char* method, const char* pattern,
                   void (*handler)(const ApiEnv*, RequestContext&, const ReplyPtr&)) {
    router.Add(
        method, pattern, Access::kAuthenticated, [e, handler](RequestContext& ctx, ReplyPtr reply) {
          if (e->services.patrols == nullptr) {
            return reply->Send(ErrorResponse(ErrorCode::kUnavailable, "patrols are not available"));
          }
          handler(e, ctx, reply);
        });
  };
  route("POST", "/api/v1/patrols/check-ins", &CheckIn);
  route("GET", "/api/v1/patrols/check-ins", &ListCheckIns);
  route("POST", "/api/v1/patrols/logs", &CreateLog);
  route("GET", "/api/v1/patrols/logs", &ListLogs);
  route("GET", "/api/v1/patrols/coverage", &Coverage);
}

}  // namespace civicgrid
