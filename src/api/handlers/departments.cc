// Organisation units (admin role; issue 4): POST /api/v1/departments and PATCH
// /api/v1/departments/{id}. The list (GET /api/v1/departments) is reference data (reference.cc).
#include "api/encoders.h"
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "api/json/request_decoders.h"
#include "api/query.h"
#include "core/identity/org_admin.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

OrgAdminService::DepartmentDone SendDepartment(const ApiEnv* env, const ReplyPtr& reply,
                                               int status) {
  return [env, reply, status](Result<Department> result) {
    reply->SendLater([env, status, result = std::move(result)]() {
      if (!result) return ErrorResponse(result.error());
      auto reference = env->services.reference ? env->services.reference() : nullptr;
      HttpResponse response(status, EncodeDepartment(*result, reference.get()));
      if (status == 201) {
        response.Header("Location", "/api/v1/departments/" + std::to_string(result->id));
      }
      return response;
    });
  };
}

Result<DepartmentDraft> ReadDraft(RequestContext& ctx) {
  if (Status s = RequireJson(ctx.http); !s.ok()) return s.error();
  return DecodeDepartmentDraft(ctx.http.body);
}

void Create(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto draft = ReadDraft(ctx);
  if (!draft) {
    reply->Send(ErrorResponse(draft.error()));
    return;
  }
  env->services.orgs->CreateDepartment(*ctx.actor, std::move(*draft),
                                       SendDepartment(env, reply, 201));
}

void Update(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = ParsePositiveInt(ctx.params.Get("id"));
  if (!id) {
    reply->Send(ErrorResponse(ErrorCode::kNotFound, "no such department", "", "not_found"));
    return;
  }
  auto draft = ReadDraft(ctx);
  if (!draft) {
    reply->Send(ErrorResponse(draft.error()));
    return;
  }
  env->services.orgs->UpdateDepartment(*ctx.actor, *id, std::move(*draft),
                                       SendDepartment(env, reply, 200));
}

}  // namespace

void AddDepartmentRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  router.Add("POST", "/api/v1/departments", Access::kAuthenticated,
             [e](RequestContext& ctx, ReplyPtr reply) { Create(e, ctx, reply); });
  router.Add("PATCH", "/api/v1/departments/{id}", Access::kAuthenticated,
             [e](RequestContext& ctx, ReplyPtr reply) { Update(e, ctx, reply); });
}

}  // namespace civicgrid
