// User administration (admin role; issue 4): GET/POST /api/v1/users, GET/PATCH
// /api/v1/users/{id}, POST /api/v1/users/{id}/disable, /enable and /password.
#include "api/blocking_pool.h"
#include "api/encoders.h"
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "api/json/request_decoders.h"
#include "api/query.h"
#include "core/identity/user_admin.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 500;

HttpResponse NoSuchUser() {
  return ErrorResponse(ErrorCode::kNotFound, "no such user", "", "not_found");
}

std::shared_ptr<const ReferenceData> Reference(const ApiEnv& env) {
  return env.services.reference ? env.services.reference() : nullptr;
}

UserAdminService::UserDone SendUser(const ApiEnv* env, const ReplyPtr& reply, int status) {
  return [env, reply, status](Result<User> result) {
    reply->SendLater([env, status, result = std::move(result)]() {
      if (!result) return ErrorResponse(result.error());
      auto reference = Reference(*env);
      HttpResponse response(status, EncodeUser(UserViewOf(*result), reference.get()));
      if (status == 201) response.Header("Location", "/api/v1/users/" + std::to_string(result->id));
      return response;
    });
  };
}

// Runs `job` (argon2id inside) on the blocking pool, or answers 429.
void OnBlockingPool(const ApiEnv* env, const ReplyPtr& reply, std::function<void()> job) {
  if (!env->blocking->TrySubmit(std::move(job))) {
    reply->Send(ErrorResponse(ErrorCode::kResourceExhausted,
                              "too many password operations in progress; try again shortly", "",
                              "rate_limited"));
  }
}

void List(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) {
    reply->Send(ErrorResponse(params.error()));
    return;
  }
  UserQuery query;
  query.limit = kDefaultLimit;
  if (auto v = params->Get("cursor"); v && !v->empty()) {
    auto before = DecodeCursor(*v);
    if (!before) {
      reply->Send(ErrorResponse(ErrorCode::kInvalidArgument,
                                "\"cursor\" is not a cursor this server gave", "cursor"));
      return;
    }
    query.before_id = *before;
  }
  if (auto v = params->Get("limit"); v && !v->empty()) {
    auto limit = ParsePositiveInt(*v);
    if (!limit || *limit > kMaxLimit) {
      reply->Send(ErrorResponse(ErrorCode::kInvalidArgument,
                                "\"limit\" must be an integer from 1 to 500", "limit"));
      return;
    }
    query.limit = static_cast<int>(*limit);
  }
  auto page = env->services.users->List(*ctx.actor, query);
  if (!page) {
    reply->Send(ErrorResponse(page.error()));
    return;
  }
  reply->Send(JsonResponse(200, EncodeUserPage(*page, Reference(*env).get())));
}

void Get(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = ParsePositiveInt(ctx.params.Get("id"));
  if (!id) {
    reply->Send(NoSuchUser());
    return;
  }
  auto user = env->services.users->Get(*ctx.actor, *id);
  if (!user) {
    reply->Send(ErrorResponse(user.error()));
    return;
  }
  reply->Send(JsonResponse(200, EncodeUser(UserViewOf(*user), Reference(*env).get())));
}

void Create(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  if (Status s = RequireJson(ctx.http); !s.ok()) {
    reply->Send(ErrorResponse(s.error()));
    return;
  }
  auto user = DecodeNewUser(ctx.http.body);
  if (!user) {
    reply->Send(ErrorResponse(user.error()));
    return;
  }
  OnBlockingPool(env, reply, [env, reply, actor = *ctx.actor, user = std::move(*user)]() mutable {
    env->services.users->Create(actor, std::move(user), SendUser(env, reply, 201));
  });
}

void Update(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = ParsePositiveInt(ctx.params.Get("id"));
  if (!id) {
    reply->Send(NoSuchUser());
    return;
  }
  if (Status s = RequireJson(ctx.http); !s.ok()) {
    reply->Send(ErrorResponse(s.error()));
    return;
  }
  auto change = DecodeUserChange(ctx.http.body);
  if (!change) {
    reply->Send(ErrorResponse(change.error()));
    return;
  }
  env->services.users->Update(*ctx.actor, *id, std::move(*change), SendUser(env, reply, 200));
}

void SetDisabledTo(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply, bool disabled) {
  auto id = ParsePositiveInt(ctx.params.Get("id"));
  if (!id) {
    reply->Send(NoSuchUser());
    return;
  }
  env->services.users->SetDisabled(*ctx.actor, *id, disabled, SendUser(env, reply, 200));
}

void Disable(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  SetDisabledTo(env, ctx, reply, true);
}

void Enable(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  SetDisabledTo(env, ctx, reply, false);
}

void ResetPassword(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = ParsePositiveInt(ctx.params.Get("id"));
  if (!id) {
    reply->Send(NoSuchUser());
    return;
  }
  if (Status s = RequireJson(ctx.http); !s.ok()) {
    reply->Send(ErrorResponse(s.error()));
    return;
  }
  auto password = DecodePasswordReset(ctx.http.body);
  if (!password) {
    reply->Send(ErrorResponse(password.error()));
    return;
  }
  OnBlockingPool(
      env, reply, [env, reply, actor = *ctx.actor, id = *id, password = std::move(*password)]() {
        env->services.users->ResetPassword(actor, id, password, SendUser(env, reply, 200));
      });
}

}  // namespace

void AddUserRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  auto route = [&](const char* method, const char* pattern,
                   void (*fn)(const ApiEnv*, RequestContext&, const ReplyPtr&)) {
    router.Add(method, pattern, Access::kAuthenticated,
               [e, fn](RequestContext& ctx, ReplyPtr reply) { fn(e, ctx, reply); });
  };
  route("GET", "/api/v1/users", &List);
  route("POST", "/api/v1/users", &Create);
  route("GET", "/api/v1/users/{id}", &Get);
  route("PATCH", "/api/v1/users/{id}", &Update);
  route("POST", "/api/v1/users/{id}/disable", &Disable);
  route("POST", "/api/v1/users/{id}/enable", &Enable);
  route("POST", "/api/v1/users/{id}/password", &ResetPassword);
}

}  // namespace civicgrid
