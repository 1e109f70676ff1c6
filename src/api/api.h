// The REST API without the transport: routes a request, authenticates the caller, runs the
// handler and makes sure every failure is a JSON error. The server calls Handle once per
// request; tests may too.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "api/handlers/handlers.h"
#include "api/http_types.h"
#include "api/metrics.h"
#include "api/rate_limiter.h"
#include "api/router.h"
#include "api/static_files.h"

namespace civicgrid {

class Api {
 public:
  // `env` must outlive the Api's requests; `static_dir` may be empty.
  Api(ApiEnv env, std::string static_dir);
  Api(const Api&) = delete;  // the routes point at env_
  Api& operator=(const Api&) = delete;

  // Answers through `reply`, now or later, exactly once. Does not throw.
  void Handle(HttpRequest request, const ReplyPtr& reply);
  const Router& router() const { return router_; }

 private:
  ApiEnv env_;
  Router router_;
  std::unique_ptr<HttpMetrics> metrics_;  // a slot per route of router_
  StaticFiles static_files_;
  RateLimiter ip_limiter_;
  RateLimiter token_limiter_;
};

// The token of an "Authorization: Bearer TOKEN" header, or empty.
std::string_view BearerToken(std::string_view authorization);

}  // namespace civicgrid
