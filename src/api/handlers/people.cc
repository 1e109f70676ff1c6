// Households, residents, places, key persons and visits over REST (issue 3).
#include <utility>

#include "api/handlers/base_data_common.h"
#include "api/json/body_reader.h"
#include "core/people/people_service.h"

namespace civicgrid {

namespace {

using Handler3 = void (*)(const ApiEnv*, RequestContext&, const ReplyPtr&);

void WriteTime(JsonWriter& w, std::string_view key, std::optional<TimeMs> t) {
  if (t) {
    w.Field(key, FormatIsoShanghai(*t));
  } else {
    w.Key(key).Null();
  }
}

void WriteHousehold(JsonWriter& w, const Household& h) {
  w.StartObject().Field("id", h.id);
  WritePath(w, h.path);
  w.Field("number", h.number).Field("address", h.address).Field("head_name", h.head_name);
  w.Field("phone", h.phone);
  WriteTime(w, "created_at", h.created_at);
  WriteTime(w, "updated_at", h.updated_at);
  w.EndObject();
}

void WriteResident(JsonWriter& w, const ResidentView& v) {
  const Resident& r = v.resident;
  w.StartObject().Field("id", r.id).IdOrNull("household_id", r.household_id);
  WritePath(w, r.path);
  w.Field("name", r.name).Field("gender", r.gender).Field("birth_date", r.birth_date);
  w.Field("id_number", v.id_number).Field("id_number_masked", !v.revealed);
  w.Field("type", ResidentTypeName(r.type)).Field("type_label", ResidentTypeLabel(r.type));
  w.Field("phone", r.phone).Field("status", ResidentStatusName(r.status));
  WriteTime(w, "arrived_at", r.arrived_at);
  WriteTime(w, "departed_at", r.departed_at);
  WriteTime(w, "created_at", r.created_at);
  WriteTime(w, "updated_at", r.updated_at);
  w.EndObject();
}

void WritePlace(JsonWriter& w, const Place& p) {
  w.StartObject().Field("id", p.id).Field("kind", PlaceKindName(p.kind)).Field("name", p.name);
  w.Field("address", p.address).Field("lon", p.lon).Field("lat", p.lat);
  WritePath(w, p.path);
  w.Field("contact", p.contact).Field("phone", p.phone).Field("risk_level", p.risk_level);
  WriteTime(w, "created_at", p.created_at);
  w.EndObject();
}

void WriteKeyPerson(JsonWriter& w, const KeyPerson& k, TimeMs now) {
  w.StartObject().Field("id", k.id).Field("resident_id", k.resident_id);
  WritePath(w, k.path);
  w.Field("category", k.category).Field("level", k.level).Field("worker_id", k.worker_id);
  w.Field("visit_interval_days", k.visit_interval_days);
  WriteTime(w, "last_visit_at", k.last_visit_at);
  WriteTime(w, "next_visit_due", k.next_visit_due);
  w.Field("overdue", k.next_visit_due < now).Field("note", k.note);
  w.EndObject();
}

void WriteVisit(JsonWriter& w, const KeyPersonVisit& v) {
  w.StartObject().Field("id", v.id).Field("key_person_id", v.key_person_id);
  w.Field("worker_id", v.worker_id);
  WriteTime(w, "at", v.at);
  w.Field("note", v.note).EndObject();
}

template <typename T, typename Write>
std::string One(const T& value, Write write) {
  JsonWriter w;
  write(w, value);
  return w.Take();
}

Result<BodyReader> JsonBody(RequestContext& ctx) {
  if (Status s = RequireJson(ctx.http); !s) return s.error();
  return BodyReader::Parse(ctx.http.body);
}

// --- Households ---

void CreateHousehold(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  HouseholdInput in;
  if (!body->Int("grid_id", in.grid_id) || !body->String("number", in.number) ||
      !body->String("address", in.address, true) || !body->String("head_name", in.head_name) ||
      !body->String("phone", in.phone)) {
    return reply->Send(ErrorResponse(body->error()));
  }
  env->services.people->CreateHousehold(
      *ctx.actor, std::move(in),
      AnswerWith<Household>(reply, 201, [](const Household& h) { return One(h, WriteHousehold); }));
}

// `?reveal=phone` asks for the audited full view; any other reveal is refused (answered here,
// and then nothing is returned).
std::optional<bool> RevealPhone(RequestContext& ctx, const ReplyPtr& reply) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) {
    reply->Send(ErrorResponse(params.error()));
    return std::nullopt;
  }
  auto reveal = params->Get("reveal");
  if (!reveal || reveal->empty()) return false;
  if (*reveal == "phone") return true;
  reply->Send(ErrorResponse(ErrorCode::kInvalidArgument, "reveal may only be phone", "reveal"));
  return std::nullopt;
}

void GetHousehold(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "household");
  if (!id) return;
  auto reveal = RevealPhone(ctx, reply);
  if (!reveal) return;
  if (*reveal) {
    return env->services.people->RevealHousehold(
        *ctx.actor, *id, AnswerWith<Household>(reply, 200, [](const Household& h) {
          return One(h, WriteHousehold);
        }));
  }
  auto h = env->services.people->GetHousehold(*ctx.actor, *id);
  if (!h) return reply->Send(ErrorResponse(h.error()));
  reply->Send(JsonResponse(200, One(*h, WriteHousehold)));
}

void ListHouseholds(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return reply->Send(ErrorResponse(params.error()));
  auto options = ListOptionsOf(*params);
  if (!options) return reply->Send(ErrorResponse(options.error()));
  auto rows = env->services.people->ListHouseholds(*ctx.actor, *options);
  if (!rows) return reply->Send(ErrorResponse(rows.error()));
  reply->Send(JsonResponse(
      200, EncodeList<Household>(*rows, options->limit,
                                 [](JsonWriter& w, const Household& h) { WriteHousehold(w, h); })));
}

// --- Residents ---

std::string EncodeResident(const ResidentView& v) { return One(v, WriteResident); }

void CreateResident(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  ResidentInput in;
  if (!body->Int("household_id", in.household_id) || !body->Int("grid_id", in.grid_id) ||
      !body->String("name", in.name, true) || !body->String("id_number", in.id_number, true) ||
      !body->String("type", in.type, true) || !body->String("phone", in.phone) ||
      !body->Time("arrived_at", in.arrived_at)) {
    return reply->Send(ErrorResponse(body->error()));
  }
  env->services.people->CreateResident(*ctx.actor, std::move(in),
                                       AnswerWith<ResidentView>(reply, 201, EncodeResident));
}

void GetResident(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "resident");
  if (!id) return;
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return reply->Send(ErrorResponse(params.error()));
  auto reveal = params->Get("reveal");
  if (reveal && *reveal == "id_number") {
    env->services.people->RevealResident(*ctx.actor, *id,
                                         AnswerWith<ResidentView>(reply, 200, EncodeResident));
    return;
  }
  if (reveal && !reveal->empty()) {
    return reply->Send(
        ErrorResponse(ErrorCode::kInvalidArgument, "reveal may only be id_number", "reveal"));
  }
  auto r = env->services.people->GetResident(*ctx.actor, *id);
  if (!r) return reply->Send(ErrorResponse(r.error()));
  reply->Send(JsonResponse(200, EncodeResident(*r)));
}

// PATCH: only the fields given change; an unknown field is refused (400) rather than ignored.
void UpdateResident(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "resident");
  if (!id) return;
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  if (!body->OnlyKeys({"name", "id_number", "type", "phone", "household_id"})) {
    return reply->Send(ErrorResponse(body->error()));
  }
  ResidentChange change;
  for (auto [key, out] :
       {std::pair{"name", &change.name}, std::pair{"id_number", &change.id_number},
        std::pair{"type", &change.type}, std::pair{"phone", &change.phone}}) {
    if (!body->Has(key)) continue;
    std::string value;
    if (!body->String(key, value)) return reply->Send(ErrorResponse(body->error()));
    *out = std::move(value);
  }
  if (body->Has("household_id")) {
    std::int64_t household = 0;
    if (!body->Int("household_id", household)) return reply->Send(ErrorResponse(body->error()));
    change.household_id = household;
  }
  env->services.people->UpdateResident(*ctx.actor, *id, std::move(change),
                                       AnswerWith<ResidentView>(reply, 200, EncodeResident));
}

void ListResidents(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return reply->Send(ErrorResponse(params.error()));
  auto options = ListOptionsOf(*params);
  if (!options) return reply->Send(ErrorResponse(options.error()));
  std::optional<ResidentType> type;
  if (auto v = params->Get("type"); v && !v->empty()) {
    type = ResidentTypeFromName(*v);
    if (!type)
      return reply->Send(ErrorResponse(ErrorCode::kInvalidArgument, "unknown type", "type"));
  }
  std::optional<ResidentStatus> status;
  if (auto v = params->Get("status"); v && !v->empty()) {
    if (*v == "present") {
      status = ResidentStatus::kPresent;
    } else if (*v == "departed") {
      status = ResidentStatus::kDeparted;
    } else {
      return reply->Send(ErrorResponse(ErrorCode::kInvalidArgument,
                                       "status must be present or departed", "status"));
    }
  }
  std::int64_t household = 0;
  if (auto v = params->Get("household_id"); v && !v->empty()) {
    auto id = ParsePositiveInt(*v);
    if (!id) {
      return reply->Send(
          ErrorResponse(ErrorCode::kInvalidArgument, "household_id must be an id", "household_id"));
    }
    household = *id;
  }
  std::string id_number(params->Get("id_number").value_or(""));
  auto rows = env->services.people->ListResidents(*ctx.actor, *options, type, status, household,
                                                  std::move(id_number));
  if (!rows) return reply->Send(ErrorResponse(rows.error()));
  std::vector<ResidentView>& views = *rows;
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const auto& v : views) WriteResident(w, v);
  w.EndArray();
  if (static_cast<int>(views.size()) == options->limit) {
    w.Field("next_cursor", EncodeCursor(views.back().resident.id));
  } else {
    w.Key("next_cursor").Null();
  }
  w.EndObject();
  reply->Send(JsonResponse(200, w.Take()));
}

void Move(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply, bool arrive) {
  auto id = PathId(ctx, reply, "resident");
  if (!id) return;
  MoveInput in;
  if (!ctx.http.body.empty()) {
    auto body = JsonBody(ctx);
    if (!body) return reply->Send(ErrorResponse(body.error()));
    if (!body->Time("at", in.at) || !body->String("note", in.note) ||
        !body->Int("grid_id", in.grid_id) || !body->Int("household_id", in.household_id)) {
      return reply->Send(ErrorResponse(body->error()));
    }
  }
  auto done = AnswerWith<ResidentView>(reply, 200, EncodeResident);
  if (arrive) {
    env->services.people->Arrive(*ctx.actor, *id, std::move(in), std::move(done));
  } else {
    env->services.people->Depart(*ctx.actor, *id, std::move(in), std::move(done));
  }
}

void Arrive(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  Move(env, ctx, reply, true);
}
void Depart(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  Move(env, ctx, reply, false);
}

void Moves(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "resident");
  if (!id) return;
  auto moves = env->services.people->Moves(*ctx.actor, *id);
  if (!moves) return reply->Send(ErrorResponse(moves.error()));
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const ResidentMove& m : *moves) {
    w.StartObject().Field("id", m.id).Field("kind", m.kind);
    WriteTime(w, "at", m.at);
    w.IdOrNull("grid_id", m.grid_id).Field("actor_id", m.actor_id).Field("note", m.note);
    w.EndObject();
  }
  w.EndArray().EndObject();
  reply->Send(JsonResponse(200, w.Take()));
}

// --- Places ---

void CreatePlace(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  PlaceInput in;
  if (!body->String("kind", in.kind, true) || !body->String("name", in.name, true) ||
      !body->String("address", in.address) || !body->Double("lon", in.lon, true) ||
      !body->Double("lat", in.lat, true) || !body->String("contact", in.contact) ||
      !body->String("phone", in.phone) || !body->Int("risk_level", in.risk_level)) {
    return reply->Send(ErrorResponse(body->error()));
  }
  env->services.people->CreatePlace(
      *ctx.actor, std::move(in),
      AnswerWith<Place>(reply, 201, [](const Place& p) { return One(p, WritePlace); }));
}

void GetPlace(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "place");
  if (!id) return;
  auto reveal = RevealPhone(ctx, reply);
  if (!reveal) return;
  if (*reveal) {
    return env->services.people->RevealPlace(
        *ctx.actor, *id,
        AnswerWith<Place>(reply, 200, [](const Place& p) { return One(p, WritePlace); }));
  }
  auto p = env->services.people->GetPlace(*ctx.actor, *id);
  if (!p) return reply->Send(ErrorResponse(p.error()));
  reply->Send(JsonResponse(200, One(*p, WritePlace)));
}

void ListPlaces(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return reply->Send(ErrorResponse(params.error()));
  auto options = ListOptionsOf(*params);
  if (!options) return reply->Send(ErrorResponse(options.error()));
  std::optional<PlaceKind> kind;
  if (auto v = params->Get("kind"); v && !v->empty()) {
    kind = PlaceKindFromName(*v);
    if (!kind)
      return reply->Send(ErrorResponse(ErrorCode::kInvalidArgument, "unknown kind", "kind"));
  }
  auto rows = env->services.people->ListPlaces(*ctx.actor, *options, kind);
  if (!rows) return reply->Send(ErrorResponse(rows.error()));
  reply->Send(JsonResponse(
      200, EncodeList<Place>(*rows, options->limit,
                             [](JsonWriter& w, const Place& p) { WritePlace(w, p); })));
}

// --- Key persons ---

void CreateKeyPerson(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  KeyPersonInput in;
  if (!body->Int("resident_id", in.resident_id, true) ||
      !body->String("category", in.category, true) || !body->String("level", in.level, true) ||
      !body->Int("worker_id", in.worker_id) ||
      !body->Int("visit_interval_days", in.visit_interval_days) || !body->String("note", in.note)) {
    return reply->Send(ErrorResponse(body->error()));
  }
  const TimeMs now = NowMs(*env);
  env->services.people->CreateKeyPerson(
      *ctx.actor, std::move(in), AnswerWith<KeyPerson>(reply, 201, [now](const KeyPerson& k) {
        JsonWriter w;
        WriteKeyPerson(w, k, now);
        return w.Take();
      }));
}

void GetKeyPerson(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "key person");
  if (!id) return;
  auto k = env->services.people->GetKeyPerson(*ctx.actor, *id);
  if (!k) return reply->Send(ErrorResponse(k.error()));
  JsonWriter w;
  WriteKeyPerson(w, *k, NowMs(*env));
  reply->Send(JsonResponse(200, w.Take()));
}

void ListKeyPersonsImpl(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply,
                        bool overdue) {
  auto params = QueryParams::Parse(ctx.http.query);
  if (!params) return reply->Send(ErrorResponse(params.error()));
  auto options = ListOptionsOf(*params);
  if (!options) return reply->Send(ErrorResponse(options.error()));
  if (auto v = params->Get("overdue"); v && (*v == "1" || *v == "true")) overdue = true;
  auto rows = env->services.people->ListKeyPersons(*ctx.actor, *options, overdue);
  if (!rows) return reply->Send(ErrorResponse(rows.error()));
  const TimeMs now = NowMs(*env);
  reply->Send(JsonResponse(
      200, EncodeList<KeyPerson>(*rows, options->limit, [now](JsonWriter& w, const KeyPerson& k) {
        WriteKeyPerson(w, k, now);
      })));
}

void ListKeyPersons(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  ListKeyPersonsImpl(env, ctx, reply, false);
}
void ListOverdue(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  ListKeyPersonsImpl(env, ctx, reply, true);
}

void RecordVisit(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "key person");
  if (!id) return;
  auto body = JsonBody(ctx);
  if (!body) return reply->Send(ErrorResponse(body.error()));
  VisitInput in;
  if (!body->Time("at", in.at) || !body->String("note", in.note, true)) {
    return reply->Send(ErrorResponse(body->error()));
  }
  env->services.people->RecordVisit(
      *ctx.actor, *id, std::move(in),
      AnswerWith<KeyPersonVisit>(reply, 201,
                                 [](const KeyPersonVisit& v) { return One(v, WriteVisit); }));
}

void ListVisits(const ApiEnv* env, RequestContext& ctx, const ReplyPtr& reply) {
  auto id = PathId(ctx, reply, "key person");
  if (!id) return;
  auto visits = env->services.people->Visits(*ctx.actor, *id);
  if (!visits) return reply->Send(ErrorResponse(visits.error()));
  JsonWriter w;
  w.StartObject().Key("items").StartArray();
  for (const auto& v : *visits) WriteVisit(w, v);
  w.EndArray().EndObject();
  reply->Send(JsonResponse(200, w.Take()));
}

}  // namespace

void AddPeopleRoutes(Router& router, const ApiEnv& env) {
  // Before the {id} routes, which would take "import" and "export" for ids.
  AddBaseDataCsvRoutes(router, env);
  const ApiEnv* e = &env;
  auto route = [&](const char* method, const char* pattern, Handler3 handler) {
    router.Add(method, pattern, Access::kAuthenticated,
               [e, handler](RequestContext& ctx, ReplyPtr reply) {
                 if (e->services.people == nullptr) {
                   return reply->Send(
                       ErrorResponse(ErrorCode::kUnavailable, "base data is not available"));
                 }
                 handler(e, ctx, reply);
               });
  };
  route("POST", "/api/v1/households", &CreateHousehold);
  route("GET", "/api/v1/households", &ListHouseholds);
  route("GET", "/api/v1/households/{id}", &GetHousehold);
  route("POST", "/api/v1/residents", &CreateResident);
  route("GET", "/api/v1/residents", &ListResidents);
  route("GET", "/api/v1/residents/{id}", &GetResident);
  route("PATCH", "/api/v1/residents/{id}", &UpdateResident);
  route("POST", "/api/v1/residents/{id}/arrive", &Arrive);
  route("POST", "/api/v1/residents/{id}/depart", &Depart);
  route("GET", "/api/v1/residents/{id}/moves", &Moves);
  route("POST", "/api/v1/places", &CreatePlace);
  route("GET", "/api/v1/places", &ListPlaces);
  route("GET", "/api/v1/places/{id}", &GetPlace);
  route("POST", "/api/v1/key-persons", &CreateKeyPerson);
  route("GET", "/api/v1/key-persons", &ListKeyPersons);
  route("GET", "/api/v1/key-persons/overdue", &ListOverdue);
  route("GET", "/api/v1/key-persons/{id}", &GetKeyPerson);
  route("POST", "/api/v1/key-persons/{id}/visits", &RecordVisit);
  route("GET", "/api/v1/key-persons/{id}/visits", &ListVisits);
}

}  // namespace civicgrid
