// POST /api/v1/auth/login, /logout, /refresh, /password, GET /api/v1/me.
#include <algorithm>

#include "api/blocking_pool.h"
#include "api/encoders.h"
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "api/json/request_decoders.h"
#include "core/identity/auth_service.h"

namespace civicgrid {

namespace {

void Login(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  if (Status s = RequireJson(ctx.http); !s.ok()) {
    reply->Send(ErrorResponse(s.error()));
    return;
  }
  auto request = DecodeLoginRequest(ctx.http.body);
  if (!request) {
    reply->Send(ErrorResponse(request.error()));
    return;
  }
  if (env->services.auth == nullptr || env->blocking == nullptr) {
    reply->Send(ErrorResponse(ErrorCode::kUnavailable, "login is not available"));
    return;
  }
  // argon2id takes tens of milliseconds: hash on the blocking pool, answer on the I/O strand.
  auto job = [env, reply, request = std::move(*request),
              remote = ctx.http.remote_address]() mutable {
    env->services.auth->Login(
        request.username, request.password, std::move(remote),
        [env, reply, username = request.username](Result<LoginResult> result) {
          reply->SendLater([env, username, result = std::move(result)]() {
            if (!result) {
              HttpResponse error = ErrorResponse(result.error());
              if (result.error().reason == "account_locked") {
                const TimeMs locked = env->services.auth->LockedForMs(username);
                error.Header("Retry-After",
                             std::to_string(std::max<TimeMs>(1, (locked + 999) / 1000)));
              }
              return error;
            }
            auto reference = env->services.reference ? env->services.reference() : nullptr;
            HttpResponse response = JsonResponse(200, EncodeLogin(*result, reference.get()));
            response.Header("Cache-Control", "no-store");
            return response;
          });
        });
  };
  if (!env->blocking->TrySubmit(std::move(job))) {
    reply->Send(ErrorResponse(ErrorCode::kResourceExhausted,
                              "too many logins in progress; try again shortly", "",
                              "rate_limited"));
  }
}

// Answers a new session (refresh, password change) like a login.
AuthService::LoginDone SendSession(const ApiEnv* env, const ReplyPtr& reply) {
  return [env, reply](Result<LoginResult> result) {
    reply->SendLater([env, result = std::move(result)]() {
      if (!result) return ErrorResponse(result.error());
      auto reference = env->services.reference ? env->services.reference() : nullptr;
      HttpResponse response = JsonResponse(200, EncodeLogin(*result, reference.get()));
      response.Header("Cache-Control", "no-store");
      return response;
    });
  };
}

void Refresh(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  env->services.auth->Refresh(*ctx.actor, ctx.bearer_token, SendSession(env, reply));
}

void ChangePassword(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  if (Status s = RequireJson(ctx.http); !s.ok()) {
    reply->Send(ErrorResponse(s.error()));
    return;
  }
  auto request = DecodePasswordChange(ctx.http.body);
  if (!request) {
    reply->Send(ErrorResponse(request.error()));
    return;
  }
  // Two argon2id computations: on the blocking pool.
  auto job = [env, reply, request = std::move(*request), actor = *ctx.actor]() {
    env->services.auth->ChangePassword(actor, request.old_password, request.new_password,
                                       SendSession(env, reply));
  };
  if (!env->blocking->TrySubmit(std::move(job))) {
    reply->Send(ErrorResponse(ErrorCode::kResourceExhausted,
                              "too many password checks in progress; try again shortly", "",
                              "rate_limited"));
  }
}

void Logout(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  env->services.auth->Logout(*ctx.actor, ctx.bearer_token, [reply](Status status) {
    reply->SendLater([status]() {
      if (!status.ok()) return ErrorResponse(status.error());
      return JsonResponse(200, R"({"status":"logged_out"})");
    });
  });
}

void Me(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto reference = env->services.reference ? env->services.reference() : nullptr;
  reply->Send(JsonResponse(200, EncodeUser(UserViewOf(*ctx.actor), reference.get())));
}

}  // namespace

void AddAuthRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  router.Add("POST", "/api/v1/auth/login", Access::kPublic,
             [e](RequestContext& ctx, ReplyPtr reply) { Login(e, ctx, reply); });
  router.Add("POST", "/api/v1/auth/logout", Access::kSelfService,
             [e](RequestContext& ctx, ReplyPtr reply) { Logout(e, ctx, reply); });
  router.Add("POST", "/api/v1/auth/refresh", Access::kAuthenticated,
             [e](RequestContext& ctx, ReplyPtr reply) { Refresh(e, ctx, reply); });
  router.Add("POST", "/api/v1/auth/password", Access::kSelfService,
             [e](RequestContext& ctx, ReplyPtr reply) { ChangePassword(e, ctx, reply); });
  router.Add("GET", "/api/v1/me", Access::kSelfService,
             [e](RequestContext& ctx, ReplyPtr reply) { Me(e, ctx, reply); });
}

}  // namespace civicgrid
