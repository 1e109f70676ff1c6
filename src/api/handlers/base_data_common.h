// What the territory, people and patrol handlers share: list options from the query string,
// answering a use-case result, encoding the region path of a row.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "api/error_mapping.h"
#include "api/handlers/handlers.h"
#include "api/json/json_writer.h"
#include "api/query.h"
#include "core/people/people_service.h"

namespace civicgrid {

// region_id, cursor (before id), limit; kInvalidArgument for bad values.
Result<ListOptions> ListOptionsOf(const QueryParams& params);
// A time parameter (ISO 8601), absent -> nullopt.
Result<std::optional<TimeMs>> TimeParam(const QueryParams& params, std::string_view name);
// {"items":[...],"next_cursor":...}: `write` writes one item; the cursor is the last id when the
// page is full.
template <typename T>
std::string EncodeList(const std::vector<T>& items, int limit,
                       const std::function<void(JsonWriter&, const T&)>& write) {
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const T& item : items) write(w, item);
  w.EndArray();
  if (static_cast<int>(items.size()) == limit && !items.empty()) {
    w.Field("next_cursor", EncodeCursor(items.back().id));
  } else {
    w.Key("next_cursor").Null();
  }
  w.EndObject();
  return w.Take();
}
void WritePath(JsonWriter& w, const RegionPath& path);
// Answers a use-case callback's result on the I/O strand: `status` and the encoded value.
template <typename T>
std::function<void(Result<T>)> AnswerWith(const ReplyPtr& reply, int status,
                                          std::function<std::string(const T&)> encode) {
  return [reply, status, encode = std::move(encode)](Result<T> result) {
    reply->SendLater([status, encode, result = std::move(result)]() {
      if (!result) return ErrorResponse(result.error());
      return JsonResponse(status, encode(*result));
    });
  };
}
// Sends the error of a failed parse and answers false.
bool SendIfError(const ReplyPtr& reply, const Status& status);
// POST /api/v1/{households,residents,places}/import and GET .../export.
void AddBaseDataCsvRoutes(Router& router, const ApiEnv& env);
struct CsvImportReport;
std::string EncodeCsvReport(const CsvImportReport& report);
std::optional<std::int64_t> PathId(const RequestContext& ctx, const ReplyPtr& reply,
                                   const char* what);

}  // namespace civicgrid
