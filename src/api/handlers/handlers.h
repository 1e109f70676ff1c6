// Route handlers of REST v1, one file per resource, and what they share.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "api/router.h"
#include "api/server.h"
#include "core/common/result.h"
#include "core/common/time.h"

namespace civicgrid {

class BlockingPool;
class HttpMetrics;

// What handlers reach: the use cases and the server's state. Outlives every request.
struct ApiEnv {
  ApiServices services;
  BlockingPool* blocking = nullptr;
  const std::atomic<bool>* stopping = nullptr;
  // Rate limits (see ServerOptions): requests/s and burst per client address and per token.
  double ip_rate = 0, ip_burst = 0, token_rate = 0, token_burst = 0;
  std::string metrics_token;  // ServerOptions::metrics_token
};

void AddHealthRoutes(Router& router, const ApiEnv& env);
void AddAuthRoutes(Router& router, const ApiEnv& env);
void AddReferenceRoutes(Router& router, const ApiEnv& env);
void AddEventRoutes(Router& router, const ApiEnv& env);
void AddCalendarRoutes(Router& router, const ApiEnv& env);
// Identity administration and the audit trail (issue 4).
void AddUserRoutes(Router& router, const ApiEnv& env);
void AddAuditRoutes(Router& router, const ApiEnv& env);
// Territory and base data (issue 3).
void AddTerritoryRoutes(Router& router, const ApiEnv& env);
void AddPeopleRoutes(Router& router, const ApiEnv& env);
void AddPatrolRoutes(Router& router, const ApiEnv& env);
void AddRoutingRoutes(Router& router, const ApiEnv& env);     // issue 5
void AddDepartmentRoutes(Router& router, const ApiEnv& env);  // organisation units (issue 4)
void AddCameraRoutes(Router& router, const ApiEnv& env);      // camera alarms (issue 5)
// GET /metrics: what `metrics` has recorded by the time of the request (it is made after every
// route is added, so that each has a slot), and the store's counters and readiness.
void AddMetricsRoutes(Router& router, const ApiEnv& env,
                      const std::unique_ptr<HttpMetrics>& metrics);

// Shared helpers.
HttpResponse JsonResponse(int status, std::string body);
// kUnsupportedMediaType unless the body is declared application/json (UTF-8 if a charset is
// given).
Status RequireJson(const HttpRequest& request);
// The current reference data, or kUnavailable while there is none.
Result<std::shared_ptr<const ReferenceData>> CurrentReference(const ApiEnv& env);
TimeMs NowMs(const ApiEnv& env);

}  // namespace civicgrid
