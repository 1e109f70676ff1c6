// CSV import and export of households, residents and places over REST (issue 3):
// POST /api/v1/{kind}/import[?skip_bad_rows=1] with a text/csv body, GET /api/v1/{kind}/export.
#include "api/handlers/base_data_common.h"
#include "core/people/csv_import.h"

namespace civicgrid {

std::string EncodeCsvReport(const CsvImportReport& report) {
  JsonWriter w;
  w.StartObject().Field("committed", report.committed);
  w.Field("rows", static_cast<std::int64_t>(report.rows));
  w.Field("imported", static_cast<std::int64_t>(report.imported));
  w.Field("skipped", static_cast<std::int64_t>(report.skipped));
  w.Field("error_count", static_cast<std::int64_t>(report.error_count));
  w.Key("errors").StartArray();
  for (const CsvRowError& e : report.errors) {
    w.StartObject().Field("row", static_cast<std::int64_t>(e.row));
    w.StringOrNull("column", e.column).Field("reason", e.reason).Field("message", e.message);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

void AddBaseDataCsvRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  for (const char* kind_name : {"households", "residents", "places"}) {
    const CsvKind kind = *CsvKindFromName(kind_name);
    router.Add(
        "POST", std::string("/api/v1/") + kind_name + "/import", Access::kAuthenticated,
        [e, kind](RequestContext& ctx, ReplyPtr reply) {
          if (e->services.csv == nullptr) {
            return reply->Send(ErrorResponse(ErrorCode::kUnavailable, "CSV is not available"));
          }
          auto params = QueryParams::Parse(ctx.http.query);
          if (!params) return reply->Send(ErrorResponse(params.error()));
          auto skip = params->Get("skip_bad_rows");
          const bool skip_bad = skip && (*skip == "1" || *skip == "true");
          e->services.csv->Import(
              *ctx.actor, kind, ctx.http.body, skip_bad, [reply](Result<CsvImportReport> result) {
                reply->SendLater([result = std::move(result)]() {
                  if (!result) return ErrorResponse(result.error());
                  return JsonResponse(result->committed ? 200 : 422, EncodeCsvReport(*result));
                });
              });
        });
    router.Add(
        "GET", std::string("/api/v1/") + kind_name + "/export", Access::kAuthenticated,
        [e, kind](RequestContext& ctx, ReplyPtr reply) {
          if (e->services.csv == nullptr) {
            return reply->Send(ErrorResponse(ErrorCode::kUnavailable, "CSV is not available"));
          }
          auto params = QueryParams::Parse(ctx.http.query);
          if (!params) return reply->Send(ErrorResponse(params.error()));
          auto options = ListOptionsOf(*params);
          if (!options) return reply->Send(ErrorResponse(options.error()));
          auto csv = e->services.csv->Export(*ctx.actor, kind, options->region_id);
          if (!csv) return reply->Send(ErrorResponse(csv.error()));
          HttpResponse response(200, std::move(*csv));
          response.Header("Content-Type", "text/csv; charset=utf-8");
          reply->Send(std::move(response));
        });
  }
}

}  // namespace civicgrid
