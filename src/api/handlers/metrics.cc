// GET /metrics in the Prometheus text format, for an administrator's session token or the
// scraper token of `serve --metrics-token-file`.
#include "api/metrics.h"

#include <chrono>

#include "api/api.h"
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "core/identity/auth_service.h"

namespace civicgrid {
namespace {

// Whether two secrets are equal, in a time that does not depend on where they differ.
bool SecretsEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<unsigned char>(
        diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  }
  return diff == 0;
}

void ServeMetrics(const ApiEnv& env, const HttpMetrics& metrics, double started_at_s,
                  const RequestContext& context, const ReplyPtr& reply) {
  const std::string_view token = BearerToken(context.http.authorization);
  if (token.empty()) {
    reply->Send(ErrorResponse(ErrorCode::kUnauthenticated,
                              "an \"Authorization: Bearer TOKEN\" header is required", "",
                              "unauthenticated"));
    return;
  }
  if (env.metrics_token.empty() || !SecretsEqual(token, env.metrics_token)) {
    if (env.services.auth == nullptr) {
      reply->Send(ErrorResponse(ErrorCode::kUnavailable, "authentication is not available"));
      return;
    }
    auto actor = env.services.auth->Authenticate(token, context.http.remote_address);
    if (!actor) {
      reply->Send(ErrorResponse(actor.error()));
      return;
    }
    if (!actor->roles.Has(Role::kAdmin)) {
      reply->Send(ErrorResponse(ErrorCode::kPermissionDenied,
                                "metrics are for administrators and the metrics token (serve "
                                "--metrics-token-file)",
                                "", "forbidden"));
      return;
    }
  }
  std::string body;
  metrics.AppendPrometheus(body);
  if (env.services.store_counters) {
    const StoreCounters store = env.services.store_counters();
    AppendPrometheusHeader(body, "civicgrid_store_write_units_total", "counter",
                           "Write units the store's writer acknowledged.");
    AppendPrometheusSample(body, "civicgrid_store_write_units_total", "",
                           static_cast<double>(store.units));
    AppendPrometheusHeader(body, "civicgrid_store_commits_total", "counter",
                           "Group commits of the store's writer.");
    AppendPrometheusSample(body, "civicgrid_store_commits_total", "",
                           static_cast<double>(store.transactions));
    AppendPrometheusHeader(body, "civicgrid_store_syncs_total", "counter",
                           "fsyncs of the write-ahead log that acknowledged writes.");
    AppendPrometheusSample(body, "civicgrid_store_syncs_total", "",
                           static_cast<double>(store.syncs));
  }
  const Readiness readiness = env.services.ready ? env.services.ready() : Readiness{};
  AppendPrometheusHeader(body, "civicgrid_store_writes_durable", "gauge",
                         "1 while writes are made durable; 0 after a failed fsync (restart).");
  AppendPrometheusSample(body, "civicgrid_store_writes_durable", "", readiness.writes.ok() ? 1 : 0);
  AppendPrometheusHeader(body, "civicgrid_search_index_state", "gauge",
                         "The search index's state: 1 for the current one.");
  for (const char* state : {"ready", "building", "failed"}) {
    AppendPrometheusSample(body, "civicgrid_search_index_state",
                           std::string("state=\"") + state + "\"",
                           readiness.search_index == state ? 1 : 0);
  }
  AppendPrometheusHeader(body, "process_start_time_seconds", "gauge",
                         "When the server started, in Unix seconds.");
  AppendPrometheusSample(body, "process_start_time_seconds", "", started_at_s);
  HttpResponse response(200, std::move(body));
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  reply->Send(std::move(response));
}

}  // namespace

void AddMetricsRoutes(Router& router, const ApiEnv& env,
                      const std::unique_ptr<HttpMetrics>& metrics) {
  const ApiEnv* e = &env;
  const std::unique_ptr<HttpMetrics>* m = &metrics;
  const double started_at_s =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  router.Add("GET", "/metrics", Access::kPublic,
             [e, m, started_at_s](RequestContext& context, ReplyPtr reply) {
               ServeMetrics(*e, **m, started_at_s, context, reply);
             });
}

}  // namespace civicgrid
