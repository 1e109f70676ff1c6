// The event closed loop over REST: create, read, list, act, history (SPEC §7).
#include "api/encoders.h"
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "api/json/request_decoders.h"
#include "api/query.h"
#include "core/audit/audit_service.h"
#include "core/common/text.h"
#include "core/events/event_service.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 500;
constexpr std::size_t kMaxIdempotencyKey = 200;
constexpr std::size_t kMaxQueryText = 200;  // code points

HttpResponse NoSuchEvent() {
  return ErrorResponse(ErrorCode::kNotFound, "no such event", "", "not_found");
}

// The view an event is shown with to this caller; holds the snapshot alive.
struct ViewContext {
  std::shared_ptr<const ReferenceData> reference;
  bool full_contact = false;

  EventView View(const ApiEnv& env) const { return {reference.get(), full_contact, NowMs(env)}; }
};

ViewContext ViewFor(const ApiEnv& env, const Actor& actor) {
  ViewContext v;
  if (env.services.reference) v.reference = env.services.reference();
  v.full_contact = MaySeeFullContact(actor);
  return v;
}

// Sends `make()` once the full views of reporters' phones in `events` are in the audit log
// (issue 4: each full view is recorded); at once when nothing is shown in full.
template <typename Events>
void SendAfterContactViews(const ApiEnv* env, const Actor& actor, const ViewContext& view,
                           const Events& events, const ReplyPtr& reply,
                           std::function<HttpResponse()> make) {
  std::vector<std::string> ids;
  if (view.full_contact && env->services.audit != nullptr) {
    for (const Event& e : events) {
      if (!e.reporter_phone.empty()) ids.push_back(std::to_string(e.id));
    }
  }
  if (ids.empty()) {
    reply->SendLater(std::move(make));  // encode on the I/O strand, also from the writer thread
    return;
  }
  env->services.audit->RecordViews(actor, "event.view_contact", "event", std::move(ids),
                                   [reply, make = std::move(make)](Status s) {
                                     if (!s) {
                                       reply->Send(ErrorResponse(s.error()));
                                       return;
                                     }
                                     reply->SendLater(make);
                                   });
}

bool IsPrintableAscii(std::string_view s) {
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

void Create(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  if (Status s = RequireJson(ctx.http); !s.ok()) {
    reply->Send(ErrorResponse(s.error()));
    return;
  }
  auto command = DecodeCreateEvent(ctx.http.body);
  if (!command) {
    reply->Send(ErrorResponse(command.error()));
    return;
  }
  const std::string& key = ctx.http.idempotency_key;
  if (!key.empty() && (key.size() > kMaxIdempotencyKey || !IsPrintableAscii(key))) {
    reply->Send(ErrorResponse(ErrorCode::kInvalidArgument,
                              "Idempotency-Key must be 1 to 200 printable ASCII characters",
                              "Idempotency-Key", "invalid_idempotency_key"));
    return;
  }
  command->idempotency_key = key;
  ViewContext view = ViewFor(*env, *ctx.actor);
  env->services.events->Create(
      *ctx.actor, std::move(*command), [env, reply, view](Result<CreateOutcome> result) {
        // Called after the commit, maybe on the writer thread: encode on the I/O strand.
        reply->SendLater([env, view, result = std::move(result)]() {
          if (!result) return ErrorResponse(result.error());
          const Event& event = result->event;
          HttpResponse response(result->replayed ? 200 : 201, EncodeEvent(event, view.View(*env)));
          response.Header("Location", "/api/v1/events/" + std::to_string(event.id));
          if (result->replayed) response.Header("Idempotent-Replayed", "true");
          return response;
        });
      });
}

void Get(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = ParsePositiveInt(ctx.params.Get("id"));
  if (!id) {
    reply->Send(NoSuchEvent());
    return;
  }
  auto event = env->services.events->Get(*ctx.actor, *id);
  if (!event) {
    reply->Send(ErrorResponse(event.error()));
    return;
  }
  ViewContext view = ViewFor(*env, *ctx.actor);
  // The list first: the lambda below takes the event.
  const std::vector<Event> shown{*event};
  SendAfterContactViews(env, *ctx.actor, view, shown, reply,
                        [env, view, event = std::move(*event)]() {
                          return JsonResponse(200, EncodeEvent(event, view.View(*env)));
                        });
}

Result<EventFilter> ListFilter(const ApiEnv& env, const RequestContext& ctx) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return params.error();
  EventFilter filter;
  filter.limit = kDefaultLimit;
  filter.now = NowMs(env);
  auto invalid = [](std::string message, std::string field) {
    return Fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field),
                "invalid_argument");
  };
  if (auto v = params->Get("status"); v && !v->empty()) {
    std::string_view rest = *v;
    while (true) {
      std::size_t comma = rest.find(',');
      std::string_view name = Trim(rest.substr(0, comma));
      if (!name.empty()) {
        auto status = StatusFromName(name);
        if (!status) return invalid("unknown status \"" + std::string(name) + "\"", "status");
        filter.statuses.push_back(*status);
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (auto v = params->Get("category"); v) filter.category = std::string(Trim(*v));
  if (auto v = params->Get("source"); v && !v->empty()) {
    auto source = SourceFromName(*v);
    if (!source) return invalid("unknown source \"" + std::string(*v) + "\"", "source");
    filter.source = *source;
  }
  if (auto v = params->Get("department"); v && !v->empty()) {
    auto id = ParsePositiveInt(*v);
    if (!id) return invalid("\"department\" must be a department id", "department");
    filter.department_id = *id;
  }
  if (auto v = params->Get("grid"); v && !v->empty()) {
    auto id = ParsePositiveInt(*v);
    if (!id) return invalid("\"grid\" must be a region id", "grid");
    filter.grid_id = *id;
  }
  if (auto v = params->Get("region"); v && !v->empty()) {
    auto id = ParsePositiveInt(*v);
    auto reference = CurrentReference(env);
    if (!reference) return reference.error();
    const Region* region = id ? (*reference)->territory().Find(*id) : nullptr;
    if (region == nullptr) return invalid("\"region\" must be the id of a region", "region");
    filter.region_id = region->id;
    filter.region_level = region->level;
  }
  struct TimeParam {
    const char* name;
    std::optional<TimeMs>* out;
  };
  const TimeParam times[] = {{"from", &filter.created_from},
                             {"to", &filter.created_to},
                             {"updated_from", &filter.updated_from},
                             {"updated_to", &filter.updated_to}};
  for (const auto& t : times) {
    if (auto v = params->Get(t.name); v && !v->empty()) {
      auto parsed = ParseIso(*v);
      if (!parsed) {
        return invalid("\"" + std::string(t.name) + "\" must be an ISO 8601 date or date-time",
                       t.name);
      }
      *t.out = *parsed;
    }
  }
  if (auto v = params->Get("overdue"); v && !v->empty()) {
    if (*v == "true" || *v == "1") {
      filter.overdue = true;
    } else if (*v == "false" || *v == "0") {
      filter.overdue = false;
    } else {
      return invalid("\"overdue\" must be true or false", "overdue");
    }
  }
  if (auto v = params->Get("q"); v) {
    std::string_view text = Trim(*v);
    if (Utf8Length(text) > kMaxQueryText) return invalid("\"q\" is too long", "q");
    filter.text = std::string(text);
  }
  if (auto v = params->Get("cursor"); v && !v->empty()) {
    auto before = DecodeCursor(*v);
    if (!before) return invalid("\"cursor\" is not a cursor this server gave", "cursor");
    filter.before_id = *before;
  }
  if (auto v = params->Get("limit"); v && !v->empty()) {
    auto limit = ParsePositiveInt(*v);
    if (!limit || *limit > kMaxLimit) {
      return invalid("\"limit\" must be an integer from 1 to " + std::to_string(kMaxLimit),
                     "limit");
    }
    filter.limit = static_cast<int>(*limit);
  }
  return filter;
}

void List(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto filter = ListFilter(*env, ctx);
  if (!filter) {
    reply->Send(ErrorResponse(filter.error()));
    return;
  }
  auto page = env->services.events->List(*ctx.actor, std::move(*filter));
  if (!page) {
    reply->Send(ErrorResponse(page.error()));
    return;
  }
  ViewContext view = ViewFor(*env, *ctx.actor);
  auto shared = std::make_shared<EventPage>(std::move(*page));
  SendAfterContactViews(env, *ctx.actor, view, shared->items, reply, [env, view, shared]() {
    return JsonResponse(200, EncodeEventPage(*shared, view.View(*env)));
  });
}

void Act(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = ParsePositiveInt(ctx.params.Get("id"));
  if (!id) {
    reply->Send(NoSuchEvent());
    return;
  }
  if (Status s = RequireJson(ctx.http); !s.ok()) {
    reply->Send(ErrorResponse(s.error()));
    return;
  }
  auto request = DecodeActionRequest(ctx.http.body);
  if (!request) {
    reply->Send(ErrorResponse(request.error()));
    return;
  }
  ViewContext view = ViewFor(*env, *ctx.actor);
  // The answer shows the event as the caller may see it: a full phone number is a recorded view.
  env->services.events->Act(*ctx.actor, *id, std::move(*request),
                            [env, reply, view, actor = *ctx.actor](Result<Event> result) {
                              if (!result) {
                                reply->Send(ErrorResponse(result.error()));
                                return;
                              }
                              auto event = std::make_shared<const Event>(std::move(*result));
                              SendAfterContactViews(
                                  env, actor, view, std::vector<Event>{*event}, reply,
                                  [env, view, event]() {
                                    return JsonResponse(200, EncodeEvent(*event, view.View(*env)));
                                  });
                            });
}

void History(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = ParsePositiveInt(ctx.params.Get("id"));
  if (!id) {
    reply->Send(NoSuchEvent());
    return;
  }
  auto history = env->services.events->History(*ctx.actor, *id);
  if (!history) {
    reply->Send(ErrorResponse(history.error()));
    return;
  }
  reply->Send(JsonResponse(200, EncodeHistory(*history)));
}

}  // namespace

void AddEventRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  auto route = [&](const char* method, const char* pattern,
                   void (*fn)(const ApiEnv*, RequestContext&, const ReplyPtr&)) {
    router.Add(method, pattern, Access::kAuthenticated,
               [e, fn](RequestContext& ctx, ReplyPtr reply) { fn(e, ctx, reply); });
  };
  route("POST", "/api/v1/events", &Create);
  route("GET", "/api/v1/events", &List);
  route("GET", "/api/v1/events/{id}", &Get);
  route("POST", "/api/v1/events/{id}/actions", &Act);
  route("GET", "/api/v1/events/{id}/history", &History);
}

}  // namespace civicgrid
