#include "api/api.h"

#include <chrono>
#include <exception>

#include "api/error_mapping.h"
#include "api/log.h"
#include "core/identity/auth_service.h"

namespace civicgrid {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool IsApiPath(std::string_view path) {
  return path == "/api" || StartsWith(path, "/api/") || StartsWith(path, "/open311/") ||
         path == "/healthz" || path == "/readyz" || path == "/metrics";
}

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// Records each answer in the route's metrics slot, then passes it on.
class MeteredReply final : public Reply {
 public:
  MeteredReply(ReplyPtr inner, HttpMetrics& metrics, std::size_t slot, SteadyClock::time_point at)
      : inner_(std::move(inner)), metrics_(metrics), slot_(slot), started_(at) {}
  void Send(HttpResponse response) override {
    metrics_.Record(slot_, response.status, SecondsSince(started_));
    inner_->Send(std::move(response));
  }
  void SendLater(std::function<HttpResponse()> make) override {
    inner_->SendLater(
        [make = std::move(make), metrics = &metrics_, slot = slot_, started = started_] {
          HttpResponse response = make();
          metrics->Record(slot, response.status, SecondsSince(started));
          return response;
        });
  }

 private:
  ReplyPtr inner_;
  HttpMetrics& metrics_;
  std::size_t slot_;
  SteadyClock::time_point started_;
};

}  // namespace

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    char c = authorization[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

// 429 with the seconds to wait.
static HttpResponse RateLimited(int retry_after_s, const char* what) {
  HttpResponse response = ErrorResponse(ErrorCode::kResourceExhausted,
                                        std::string("too many requests ") + what +
                                            "; retry after " + std::to_string(retry_after_s) + " s",
                                        "", "rate_limited");
  response.Header("Retry-After", std::to_string(retry_after_s));
  return response;
}

Api::Api(ApiEnv env, std::string static_dir)
    : env_(std::move(env)),
      static_files_(std::move(static_dir)),
      ip_limiter_(env_.ip_rate, env_.ip_burst),
      token_limiter_(env_.token_rate, env_.token_burst) {
  AddHealthRoutes(router_, env_);
  AddAuthRoutes(router_, env_);
  AddReferenceRoutes(router_, env_);
  AddEventRoutes(router_, env_);
  AddCalendarRoutes(router_, env_);
  AddUserRoutes(router_, env_);
  AddAuditRoutes(router_, env_);
  AddRoutingRoutes(router_, env_);
  AddTerritoryRoutes(router_, env_);
  AddPeopleRoutes(router_, env_);
  AddPatrolRoutes(router_, env_);
  AddDepartmentRoutes(router_, env_);
  AddCameraRoutes(router_, env_);
  AddMetricsRoutes(router_, env_, metrics_);
  std::vector<std::pair<std::string, std::string>> routes;
  for (const Router::Route& route : router_.routes())
    routes.emplace_back(route.method, route.pattern);
  metrics_ = std::make_unique<HttpMetrics>(std::move(routes));
}

void Api::Handle(HttpRequest request, const ReplyPtr& answer) {
  const auto arrived = SteadyClock::now();
  ReplyPtr reply = answer;
  try {
    Router::Match match = router_.Find(request.method, request.path);
    // Every answer is counted under its route, or as unmatched.
    reply = std::make_shared<MeteredReply>(
        answer, *metrics_,
        match.outcome == Router::Outcome::kFound
            ? static_cast<std::size_t>(match.route - router_.routes().data())
            : metrics_->unmatched_slot(),
        arrived);
    // Probes are never limited: an overloaded client must not make the server look down.
    if (request.path != "/healthz" && request.path != "/readyz") {
      if (int wait = ip_limiter_.Take(request.remote_address); wait > 0) {
        reply->Send(RateLimited(wait, "from this address"));
        return;
      }
    }
    if (match.outcome == Router::Outcome::kNotFound) {
      if (static_files_.enabled() && request.method == "GET" && !IsApiPath(request.path)) {
        reply->Send(static_files_.Serve(request.path));
        return;
      }
      reply->Send(ErrorResponse(ErrorCode::kNotFound, "no such resource", "", "not_found"));
      return;
    }
    if (match.outcome == Router::Outcome::kMethodNotAllowed) {
      HttpResponse response =
          ErrorResponse(ErrorCode::kMalformed, "method " + request.method + " is not allowed here",
                        "", "method_not_allowed");
      response.Header("Allow", match.allow);
      reply->Send(std::move(response));
      return;
    }
    RequestContext context{request, match.params, std::nullopt, {}};
    if (match.route->access != Access::kPublic) {
      context.bearer_token = BearerToken(request.authorization);
      if (context.bearer_token.empty()) {
        reply->Send(ErrorResponse(ErrorCode::kUnauthenticated,
                                  "an \"Authorization: Bearer TOKEN\" header is required", "",
                                  "unauthenticated"));
        return;
      }
      if (env_.services.auth == nullptr) {
        reply->Send(ErrorResponse(ErrorCode::kUnavailable, "authentication is not available"));
        return;
      }
      auto actor = env_.services.auth->Authenticate(context.bearer_token, request.remote_address);
      if (!actor) {
        reply->Send(ErrorResponse(actor.error()));
        return;
      }
      if (int wait = token_limiter_.Take(context.bearer_token); wait > 0) {
        reply->Send(RateLimited(wait, "with this token"));
        return;
      }
      if (actor->must_change_password && match.route->access != Access::kSelfService) {
        reply->Send(ErrorResponse(ErrorCode::kPermissionDenied,
                                  "change your initial password first (POST /api/v1/auth/password)",
                                  "", "password_change_required"));
        return;
      }
      context.actor = std::move(*actor);
    }
    match.route->handler(context, reply);
  } catch (const std::exception& e) {
    LogError("handler failed", request.request_id, e.what());
    reply->Send(ErrorResponse(ErrorCode::kInternal, "internal error"));
  } catch (...) {
    LogError("handler failed", request.request_id, "unknown exception");
    reply->Send(ErrorResponse(ErrorCode::kInternal, "internal error"));
  }
}

}  // namespace civicgrid
