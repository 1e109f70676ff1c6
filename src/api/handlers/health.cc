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
    bool ready = !e->services.reference || e->services.reference() != nullptr;
    if (ready && e->services.ready) ready = e->services.ready();
    if (!ready) {
      reply->Send(ErrorResponse(ErrorCode::kUnavailable, "not ready", "", "not_ready"));
      return;
    }
    reply->Send(JsonResponse(200, R"({"status":"ready"})"));
  });
}

}  // namespace civicgrid
