// GET /api/v1/calendar/deadline?start=ISO&amount=N&unit=hours|working_hours|working_days
// → {"deadline": ISO}: when a caller can expect an answer.
#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "api/json/json_writer.h"
#include "api/query.h"
#include "core/routing/reference_data.h"

namespace civicgrid {

namespace {

// Ten years of working days is beyond any legal time limit.
constexpr std::int64_t kMaxAmount = 2600;

HttpResponse Invalid(std::string message, std::string field) {
  return ErrorResponse(ErrorCode::kInvalidArgument, std::move(message), std::move(field),
                       "invalid_argument");
}

HttpResponse Deadline(const ApiEnv& env, const RequestContext& ctx) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return ErrorResponse(params.error());
  auto start_text = params->Get("start");
  if (!start_text || start_text->empty()) return Invalid("\"start\" is required", "start");
  auto start = ParseIso(*start_text);
  if (!start) return Invalid("\"start\" must be an ISO 8601 date-time", "start");
  auto amount_text = params->Get("amount");
  if (!amount_text) return Invalid("\"amount\" is required", "amount");
  auto amount = ParseNonNegativeInt(*amount_text);
  if (!amount || *amount > kMaxAmount) {
    return Invalid("\"amount\" must be an integer from 0 to " + std::to_string(kMaxAmount),
                   "amount");
  }
  auto unit_text = params->Get("unit");
  if (!unit_text) return Invalid("\"unit\" is required", "unit");
  auto unit = TimeUnitFromName(*unit_text);
  if (!unit) return Invalid("\"unit\" must be hours, working_hours or working_days", "unit");
  auto reference = CurrentReference(env);
  if (!reference) return ErrorResponse(reference.error());
  TimeMs deadline = (*reference)->calendar().Deadline(*start, static_cast<int>(*amount), *unit);
  JsonWriter w;
  w.StartObject().Field("deadline", FormatIsoShanghai(deadline)).EndObject();
  return JsonResponse(200, w.Take());
}

}  // namespace

void AddCalendarRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  router.Add("GET", "/api/v1/calendar/deadline", Access::kAuthenticated,
             [e](RequestContext& ctx, ReplyPtr reply) { reply->Send(Deadline(*e, ctx)); });
}

}  // namespace civicgrid
