// GET /api/v1/categories, /api/v1/departments, /api/v1/regions[?geometry=1]. The bodies depend
// only on the reference-data snapshot, so each is encoded once per snapshot.
#include <mutex>

#include "api/encoders.h"
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "api/query.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

// One encoded body per snapshot; a new snapshot replaces it.
class SnapshotCache {
 public:
  using Encode = std::string (*)(const ReferenceData&, bool);

  SnapshotCache(Encode encode, bool flag) : encode_(encode), flag_(flag) {}

  std::shared_ptr<const std::string> Get(const std::shared_ptr<const ReferenceData>& reference) {
    {
      std::lock_guard lock(mu_);
      if (snapshot_ == reference && body_) return body_;
    }
    auto body = std::make_shared<const std::string>(encode_(*reference, flag_));
    std::lock_guard lock(mu_);
    snapshot_ = reference;
    body_ = body;
    return body;
  }

 private:
  Encode encode_;
  bool flag_;
  std::mutex mu_;
  std::shared_ptr<const ReferenceData> snapshot_;  // guarded by mu_
  std::shared_ptr<const std::string> body_;        // guarded by mu_
};

std::string Categories(const ReferenceData& r, bool) { return EncodeCategories(r); }
std::string Departments(const ReferenceData& r, bool) { return EncodeDepartments(r); }
std::string Regions(const ReferenceData& r, bool geometry) { return EncodeRegions(r, geometry); }

void ServeCached(const ApiEnv* env, SnapshotCache& cache, const ReplyPtr& reply) {
  auto reference = CurrentReference(*env);
  if (!reference) {
    reply->Send(ErrorResponse(reference.error()));
    return;
  }
  reply->Send(JsonResponse(200, *cache.Get(*reference)));
}

}  // namespace

void AddReferenceRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  auto categories = std::make_shared<SnapshotCache>(&Categories, false);
  auto departments = std::make_shared<SnapshotCache>(&Departments, false);
  auto regions = std::make_shared<SnapshotCache>(&Regions, false);
  auto regions_geometry = std::make_shared<SnapshotCache>(&Regions, true);
  router.Add(
      "GET", "/api/v1/categories", Access::kAuthenticated,
      [e, categories](RequestContext&, ReplyPtr reply) { ServeCached(e, *categories, reply); });
  router.Add(
      "GET", "/api/v1/departments", Access::kAuthenticated,
      [e, departments](RequestContext&, ReplyPtr reply) { ServeCached(e, *departments, reply); });
  router.Add("GET", "/api/v1/regions", Access::kAuthenticated,
             [e, regions, regions_geometry](RequestContext& ctx, ReplyPtr reply) {
               auto params = QueryParams::Parse(ctx.http.query);
               if (!params) {
                 reply->Send(ErrorResponse(params.error()));
                 return;
               }
               auto geometry = params->Get("geometry");
               bool with_geometry = geometry && (*geometry == "1" || *geometry == "true");
               ServeCached(e, with_geometry ? *regions_geometry : *regions, reply);
             });
}

}  // namespace civicgrid
