#include "api/handlers/base_data_common.h"

namespace civicgrid {

Result<ListOptions> ListOptionsOf(const QueryParams& params) {
  ListOptions o;
  if (auto v = params.Get("region_id"); v && !v->empty()) {
    auto id = ParsePositiveInt(*v);
    if (!id) return Fail(ErrorCode::kInvalidArgument, "region_id must be an id", "region_id");
    o.region_id = *id;
  }
  if (auto v = params.Get("cursor"); v && !v->empty()) {
    auto id = DecodeCursor(*v);
    if (!id) return Fail(ErrorCode::kInvalidArgument, "cursor is not valid", "cursor");
    o.before_id = *id;
  }
  if (auto v = params.Get("limit"); v && !v->empty()) {
    auto n = ParsePositiveInt(*v);
    if (!n || *n > 500) return Fail(ErrorCode::kInvalidArgument, "limit must be 1 to 500", "limit");
    o.limit = static_cast<int>(*n);
  }
  return o;
}

Result<std::optional<TimeMs>> TimeParam(const QueryParams& params, std::string_view name) {
  auto v = params.Get(name);
  if (!v || v->empty()) return std::optional<TimeMs>();
  auto t = ParseIso(*v);
  if (!t) {
    return Fail(ErrorCode::kInvalidArgument, std::string(name) + " must be an ISO 8601 time",
                std::string(name), "invalid_time");
  }
  return std::optional<TimeMs>(*t);
}

void WritePath(JsonWriter& w, const RegionPath& path) {
  w.IdOrNull("grid_id", path.grid_id);
  w.IdOrNull("community_id", path.community_id);
  w.IdOrNull("street_id", path.street_id);
  w.IdOrNull("district_id", path.district_id);
}

bool SendIfError(const ReplyPtr& reply, const Status& status) {
  if (status.ok()) return false;
  reply->Send(ErrorResponse(status.error()));
  return true;
}

std::optional<std::int64_t> PathId(const RequestContext& ctx, const ReplyPtr& reply,
                                   const char* what) {
  auto id = ParsePositiveInt(ctx.params.Get("id"));
  if (!id) reply->Send(ErrorResponse(ErrorCode::kNotFound, std::string("no such ") + what, "id"));
  return id;
}

}  // namespace civicgrid
