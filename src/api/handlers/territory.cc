// The region tree over REST: locate a point, export and import GeoJSON, redraw, split, move.
#include "api/handlers/base_data_common.h"
#include "api/json/body_reader.h"
#include "api/json/geojson.h"
#include "core/routing/reference_data.h"
#include "core/territory/territory_service.h"

namespace civicgrid {

namespace {

void WriteRegionBrief(JsonWriter& w, const Region& r) {
  w.StartObject()
      .Field("id", r.id)
      .Field("code", r.code)
      .Field("name", r.name)
      .Field("level", RegionLevelName(r.level))
      .EndObject();
}

std::string EncodeRegionList(const std::vector<Region>& regions) {
  JsonWriter w;
  w.StartObject().Key("regions").StartArray();
  for (const Region& r : regions) WriteRegionBrief(w, r);
  w.EndArray().EndObject();
  return w.Take();
}

std::string EncodeImport(const ImportSummary& s) {
  JsonWriter w;
  w.StartObject()
      .Field("created", s.created)
      .Field("updated", s.updated)
      .Field("unchanged", s.unchanged)
      .EndObject();
  return w.Take();
}

std::optional<double> ParseCoordinate(std::optional<std::string_view> text) {
  if (!text || text->empty() || text->size() > 40) return std::nullopt;
  std::string s(*text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') return std::nullopt;
  return v;
}

void Locate(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return reply->Send(ErrorResponse(params.error()));
  auto lon_text = params->Get("lon");
  auto lat_text = params->Get("lat");
  auto lon = ParseCoordinate(lon_text);
  auto lat = ParseCoordinate(lat_text);
  if ((lon_text && !lon) || (lat_text && !lat)) {
    return reply->Send(ErrorResponse(ErrorCode::kInvalidArgument, "lon and lat must be numbers",
                                     lon_text && !lon ? "lon" : "lat", "invalid_location"));
  }
  auto answer = env->services.territory->Locate(*ctx.actor, lon, lat);
  if (!answer) return reply->Send(ErrorResponse(answer.error()));
  JsonWriter w;
  w.StartObject().Field("lon", *lon).Field("lat", *lat).Field("in_grid", answer->grid.has_value());
  w.Key("grid");
  if (answer->grid) {
    WriteRegionBrief(w, *answer->grid);
  } else {
    w.Null();
  }
  w.Key("path").StartArray();
  for (const Region& r : answer->path) WriteRegionBrief(w, r);
  w.EndArray();
  for (const Region& r : answer->path) {
    if (r.level == RegionLevel::kGrid) continue;  // "grid" is above
    w.Key(std::string(RegionLevelName(r.level)));
    WriteRegionBrief(w, r);
  }
  w.EndObject();
  reply->Send(JsonResponse(200, w.Take()));
}

void Export(const ApiEnv* env, RequestContext&, const ReplyPtr& reply) {
  auto reference = CurrentReference(*env);
  if (!reference) return reply->Send(ErrorResponse(reference.error()));
  HttpResponse response(200, EncodeRegionFeatures((*reference)->territory().regions()));
  response.Header("Content-Type", "application/geo+json");
  reply->Send(std::move(response));
}

void Import(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto drafts = DecodeRegionFeatures(ctx.http.body);
  if (!drafts) return reply->Send(ErrorResponse(drafts.error()));
  env->services.territory->Import(*ctx.actor, std::move(*drafts),
                                  AnswerWith<ImportSummary>(reply, 200, [](const ImportSummary& s) {
                                    return EncodeImport(s);
                                  }));
}

void Redraw(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  if (SendIfError(reply, RequireJson(ctx.http))) return;
  auto id = PathId(ctx, reply, "region");
  if (!id) return;
  auto body = BodyReader::Parse(ctx.http.body);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  std::string geometry;
  if (!body->Raw("polygon", geometry, true)) return reply->Send(ErrorResponse(body->error()));
  auto polygon = DecodePolygonGeometry(geometry);
  if (!polygon) return reply->Send(ErrorResponse(polygon.error()));
  env->services.territory->Redraw(*ctx.actor, *id, std::move(*polygon),
                                  AnswerWith<std::vector<Region>>(reply, 200, EncodeRegionList));
}

void Split(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  if (SendIfError(reply, RequireJson(ctx.http))) return;
  auto id = PathId(ctx, reply, "region");
  if (!id) return;
  // {"parts": FeatureCollection-like array of {code, name, polygon}} read as a collection.
  auto body = BodyReader::Parse(ctx.http.body);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  std::string parts_json;
  if (!body->Raw("parts", parts_json, true)) return reply->Send(ErrorResponse(body->error()));
  auto drafts =
      DecodeRegionFeatures("{\"type\":\"FeatureCollection\",\"features\":" + parts_json + "}");
  if (!drafts) return reply->Send(ErrorResponse(drafts.error()));
  env->services.territory->Split(*ctx.actor, *id, std::move(*drafts),
                                 AnswerWith<std::vector<Region>>(reply, 200, EncodeRegionList));
}

void Move(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  if (SendIfError(reply, RequireJson(ctx.http))) return;
  auto id = PathId(ctx, reply, "region");
  if (!id) return;
  auto body = BodyReader::Parse(ctx.http.body);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  std::int64_t parent = 0;
  if (!body->Int("parent_id", parent, true)) return reply->Send(ErrorResponse(body->error()));
  env->services.territory->Move(*ctx.actor, *id, parent,
                                AnswerWith<std::vector<Region>>(reply, 200, EncodeRegionList));
}

}  // namespace

void AddTerritoryRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  auto route = [&](const char* method, const char* pattern,
                   void (*handler)(const ApiEnv*, RequestContext&, const ReplyPtr&)) {
    router.Add(method, pattern, Access::kAuthenticated,
               [e, handler](RequestContext& ctx, ReplyPtr reply) {
                 if (e->services.territory == nullptr) {
                   return reply->Send(
                       ErrorResponse(ErrorCode::kUnavailable, "territory is not available"));
                 }
                 handler(e, ctx, reply);
               });
  };
  route("GET", "/api/v1/regions/locate", &Locate);
  route("GET", "/api/v1/regions/export", &Export);
  route("POST", "/api/v1/regions/import", &Import);
  route("PUT", "/api/v1/regions/{id}/polygon", &Redraw);
  route("POST", "/api/v1/regions/{id}/split", &Split);
  route("POST", "/api/v1/regions/{id}/move", &Move);
}

}  // namespace civicgrid
