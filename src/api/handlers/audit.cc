// GET /api/v1/audit: the audit log for auditors and admins, newest first, filtered by user,
// object and time, with an opaque keyset cursor (issue 4).
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "api/json/json_writer.h"
#include "api/query.h"
#include "core/audit/audit_service.h"
#include "core/common/text.h"

namespace civicgrid {

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 500;
constexpr std::size_t kMaxFilterBytes = 128;

std::string EncodeAuditPage(const AuditPage& page) {
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const AuditRecord& r : page.items) {
    w.StartObject();
    w.Field("seq", r.seq);
    w.Field("at", FormatIsoShanghai(r.at));
    w.Key("actor").StartObject();
    w.IdOrNull("id", r.actor_id);
    w.Field("username", r.actor_name);
    w.EndObject();
    w.StringOrNull("remote_address", r.remote_address);
    w.Field("action", r.action);
    w.Field("object_type", r.object_type);
    w.Field("object_id", r.object_id);
    // before/after are JSON this server wrote (core/audit).
    w.Key("before");
    if (r.before.empty()) {
      w.Null();
    } else {
      w.Raw(r.before);
    }
    w.Key("after");
    if (r.after.empty()) {
      w.Null();
    } else {
      w.Raw(r.after);
    }
    w.Field("prev_hash", r.prev_hash);
    w.Field("hash", r.hash);
    w.EndObject();
  }
  w.EndArray();
  w.Key("next_cursor");
  if (page.has_more && !page.items.empty()) {
    w.String(EncodeCursor(page.items.back().seq));
  } else {
    w.Null();
  }
  w.EndObject();
  return w.Take();
}

Result<AuditQuery> QueryOf(const RequestContext& ctx) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return params.error();
  auto invalid = [](std::string message, std::string field) {
    return Fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field),
                "invalid_argument");
  };
  AuditQuery q;
  q.limit = kDefaultLimit;
  if (auto v = params->Get("user_id"); v && !v->empty()) {
    auto id = ParsePositiveInt(*v);
    if (!id) return invalid("\"user_id\" must be a user id", "user_id");
    q.actor_id = *id;
  }
  for (auto [name, out] :
       {std::pair{"object_type", &q.object_type}, std::pair{"object_id", &q.object_id}}) {
    if (auto v = params->Get(name); v && !v->empty()) {
      if (v->size() > kMaxFilterBytes) return invalid(std::string(name) + " is too long", name);
      *out = std::string(*v);
    }
  }
  struct TimeParam {
    const char* name;
    std::optional<TimeMs>* out;
  };
  for (const TimeParam& t : {TimeParam{"from", &q.from}, TimeParam{"to", &q.to}}) {
    if (auto v = params->Get(t.name); v && !v->empty()) {
      auto parsed = ParseIso(*v);
      if (!parsed) {
        return invalid("\"" + std::string(t.name) + "\" must be an ISO 8601 date or date-time",
                       t.name);
      }
      *t.out = *parsed;
    }
  }
  if (auto v = params->Get("cursor"); v && !v->empty()) {
    auto before = DecodeCursor(*v);
    if (!before) return invalid("\"cursor\" is not a cursor this server gave", "cursor");
    q.before_seq = *before;
  }
  if (auto v = params->Get("limit"); v && !v->empty()) {
    auto limit = ParsePositiveInt(*v);
    if (!limit || *limit > kMaxLimit) {
      return invalid("\"limit\" must be an integer from 1 to 500", "limit");
    }
    q.limit = static_cast<int>(*limit);
  }
  return q;
}

void List(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto query = QueryOf(ctx);
  if (!query) {
    reply->Send(ErrorResponse(query.error()));
    return;
  }
  auto page = env->services.audit->List(*ctx.actor, std::move(*query));
  if (!page) {
    reply->Send(ErrorResponse(page.error()));
    return;
  }
  reply->Send(JsonResponse(200, EncodeAuditPage(*page)));
}

}  // namespace

void AddAuditRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  router.Add("GET", "/api/v1/audit", Access::kAuthenticated,
             [e](RequestContext& ctx, ReplyPtr reply) { List(e, ctx, reply); });
}

}  // namespace civicgrid
