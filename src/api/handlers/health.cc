// GET /healthz (the process answers) and GET /readyz (it can serve: not stopping, reference
// data loaded, the app's readiness check passes).
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"

namespace civicgrid {

void AddHealthRoutes(Router& router, const ApiEnv& env) {
  router.Add("GET", "/healthz", Access::kPublic, [](RequestContext&, ReplyPtr reply) {
    reply->Send(JsonResponse(200, R"({"status":"ok"})"));
  });
  const ApiEnv* e = &env;
  router.Add("GET", "/readyz", Access::kPublic, [e](RequestContext&, ReplyPtr reply) {
    if (e->stopping != nullptr && e->stopping->load()) {
      reply->Send(ErrorResponse(ErrorCode::kUnavailable, "shutting down", "", "shutting_down"));
      return;
    }
    if (e->services.reference && e->services.reference() == nullptr) {
      reply->Send(ErrorResponse(ErrorCode::kUnavailable, "not ready", "", "not_ready"));
      return;
    }
    const Readiness readiness = e->services.ready ? e->services.ready() : Readiness{};
    if (!readiness.writes.ok()) {
      reply->Send(ErrorResponse(ErrorCode::kUnavailable,
                                "not ready: " + readiness.writes.error().message, "", "not_ready"));
      return;
    }
    reply->Send(JsonResponse(
        200, R"({"status":"ready","search_index":")" + readiness.search_index + R"("})"));
  });
}

}  // namespace civicgrid
