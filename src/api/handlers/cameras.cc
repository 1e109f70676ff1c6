// Cameras and camera alarms over REST (issue 5): the admins' camera registry
// (/api/v1/cameras), the alarm types (/api/v1/camera-alarm-types) and the video system's alarms
// (POST /api/v1/camera-alarms). docs/API.md "Camera alarms".
#include "api/encoders.h"
#include "api/handlers/base_data_common.h"
#include "api/json/body_reader.h"
#include "core/camera/camera_service.h"
#include "core/events/event_service.h"

namespace civicgrid {

namespace {

void WriteCamera(JsonWriter& w, const Camera& c) {
  w.StartObject().Field("id", c.id).Field("code", c.code).Field("name", c.name);
  w.Field("lon", c.lon).Field("lat", c.lat);
  WritePath(w, c.path);
  w.Field("enabled", c.enabled);
  w.Field("created_at", FormatIsoShanghai(c.created_at));
  w.Field("updated_at", FormatIsoShanghai(c.updated_at)).EndObject();
}

std::string EncodeCamera(const Camera& c) {
  JsonWriter w;
  WriteCamera(w, c);
  return w.Take();
}

Result<BodyReader> JsonBody(RequestContext& ctx) {
  if (Status s = RequireJson(ctx.http); !s) return s.error();
  return BodyReader::Parse(ctx.http.body);
}

// A JSON boolean member (absent or null: left empty).
bool ReadBool(BodyReader& body, std::string_view key, std::optional<bool>& out, Error& error) {
  std::string raw;
  if (!body.Raw(key, raw)) {
    error = body.error();
    return false;
  }
  if (raw.empty()) return true;
  if (raw != "true" && raw != "false") {
    error = Error(ErrorCode::kMalformed, std::string(key) + " must be true or false",
                  std::string(key), "wrong_type");
    return false;
  }
  out = raw == "true";
  return true;
}

// The camera members of a create (`creating`: code, name, lon, lat required) or an update.
Result<CameraInput> CameraInputOf(RequestContext& ctx, bool creating) {
  auto body = JsonBody(ctx);
  if (!body) return body.error();
  CameraInput in;
  std::string code, name;
  if (!body->String("code", code, creating) || !body->String("name", name, creating) ||
      !body->Double("lon", in.lon, creating) || !body->Double("lat", in.lat, creating)) {
    return body->error();
  }
  Error error;
  if (!ReadBool(*body, "enabled", in.enabled, error)) return error;
  if (creating || !code.empty()) in.code = std::move(code);
  if (creating || !name.empty()) in.name = std::move(name);
  return in;
}

void CreateCamera(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto in = CameraInputOf(ctx, true);
  if (!in) return reply->Send(ErrorResponse(in.error()));
  env->services.cameras->Create(*ctx.actor, std::move(*in),
                                AnswerWith<Camera>(reply, 201, &EncodeCamera));
}

void UpdateCamera(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "camera");
  if (!id) return;
  auto in = CameraInputOf(ctx, false);
  if (!in) return reply->Send(ErrorResponse(in.error()));
  env->services.cameras->Update(*ctx.actor, *id, std::move(*in),
                                AnswerWith<Camera>(reply, 200, &EncodeCamera));
}

void GetCamera(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "camera");
  if (!id) return;
  auto camera = env->services.cameras->Get(*ctx.actor, *id);
  if (!camera) return reply->Send(ErrorResponse(camera.error()));
  reply->Send(JsonResponse(200, EncodeCamera(*camera)));
}

void ListCameras(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return reply->Send(ErrorResponse(params.error()));
  auto options = ListOptionsOf(*params);
  if (!options) return reply->Send(ErrorResponse(options.error()));
  auto rows = env->services.cameras->List(*ctx.actor, *options);
  if (!rows) return reply->Send(ErrorResponse(rows.error()));
  reply->Send(JsonResponse(200, EncodeList<Camera>(*rows, options->limit, WriteCamera)));
}

void WriteAlarmType(JsonWriter& w, const AlarmType& t) {
  w.StartObject().Field("type", t.type).Field("category", t.category);
  w.Field("label", t.label).EndObject();
}

std::string EncodeAlarmType(const AlarmType& t) {
  JsonWriter w;
  WriteAlarmType(w, t);
  return w.Take();
}

void ListAlarmTypes(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto types = env->services.cameras->AlarmTypes(*ctx.actor);
  if (!types) return reply->Send(ErrorResponse(types.error()));
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const AlarmType& t : *types) WriteAlarmType(w, t);
  w.EndArray().EndObject();
  reply->Send(JsonResponse(200, w.Take()));
}

void PutAlarmType(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  AlarmType in;
  in.type = std::string(ctx.params.Get("type"));
  if (!body->String("category", in.category, true) || !body->String("label", in.label, true)) {
    return reply->Send(ErrorResponse(body->error()));
  }
  env->services.cameras->PutAlarmType(*ctx.actor, std::move(in),
                                      AnswerWith<AlarmType>(reply, 200, &EncodeAlarmType));
}

void ReceiveAlarm(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  CameraAlarmInput in;
  if (!body->String("camera_id", in.camera_id, true) ||
      !body->String("alarm_id", in.alarm_id, true) || !body->String("type", in.type, true) ||
      !body->String("snapshot_url", in.snapshot_url, true) || !body->Time("time", in.time)) {
    return reply->Send(ErrorResponse(body->error()));
  }
  // The event is shown as the caller sees events.
  std::shared_ptr<const ReferenceData> reference =
      env->services.reference ? env->services.reference() : nullptr;
  const bool full_contact = MaySeeFullContact(*ctx.actor);
  const TimeMs now = NowMs(*env);
  env->services.cameras->ReceiveAlarm(
      *ctx.actor, std::move(in),
      [reply, reference, full_contact, now](Result<AlarmOutcome> outcome) {
        reply->SendLater([reference, full_contact, now, outcome = std::move(outcome)]() {
          if (!outcome) return ErrorResponse(outcome.error());
          const CameraAlarm& a = outcome->alarm;
          JsonWriter w;
          w.StartObject().Field("replayed", outcome->replayed);
          w.Key("alarm").StartObject();
          w.Field("camera_id", outcome->camera.code).Field("alarm_id", a.alarm_id);
          w.Field("type", a.type).Field("time", FormatIsoShanghai(a.alarm_at));
          w.Field("snapshot_url", a.snapshot_url);
          w.Field("received_at", FormatIsoShanghai(a.received_at));
          w.EndObject();
          w.Key("camera");
          WriteCamera(w, outcome->camera);
          w.Key("assigned_to");
          if (a.assigned_user_id == 0) {
            w.Null();
          } else {
            w.StartObject().Field("user_id", a.assigned_user_id);
            w.Field("metres", a.assigned_metres).EndObject();
          }
          w.Key("event");
          WriteEvent(w, outcome->event, EventView{reference.get(), full_contact, now});
          w.EndObject();
          return JsonResponse(outcome->replayed ? 200 : 201, w.Take());
        });
      });
}

}  // namespace

void AddCameraRoutes(Router& router, const ApiEnv& env) {
  const ApiEnv* e = &env;
  auto route = [&](const char* method, const char* pattern,
                   void (*handler)(const ApiEnv*, RequestContext&, const ReplyPtr&)) {
    router.Add(method, pattern, Access::kAuthenticated,
               [e, handler](RequestContext& ctx, ReplyPtr reply) {
                 if (e->services.cameras == nullptr) {
                   return reply->Send(
                       ErrorResponse(ErrorCode::kUnavailable, "camera alarms are not available"));
                 }
                 handler(e, ctx, reply);
               });
  };
  route("POST", "/api/v1/cameras", &CreateCamera);
  route("GET", "/api/v1/cameras", &ListCameras);
  route("GET", "/api/v1/cameras/{id}", &GetCamera);
  route("PATCH", "/api/v1/cameras/{id}", &UpdateCamera);
  route("GET", "/api/v1/camera-alarm-types", &ListAlarmTypes);
  route("PUT", "/api/v1/camera-alarm-types/{type}", &PutAlarmType);
  route("POST", "/api/v1/camera-alarms", &ReceiveAlarm);
}

}  // namespace civicgrid
