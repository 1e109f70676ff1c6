// The authorization matrix of territory and base data (issue 4), generated from ONE table:
// regions (locate, export, import, redraw, split, move), households, residents (incl. the audited
// full view of ID and phone numbers, arrivals and departures, moves), places, key persons and
// visits, CSV import/export, patrols, check-ins, logs and coverage, cameras and camera alarms
// x every role (the 16 demo users
// named after their roles, plus an admin scoped to one street) x an in-scope and an out-of-scope
// object. In scope: the grid worker's own grid (in the street lead's and street admin's street);
// out of scope: a grid of another street of the same district (still inside the district users'
// scope, outside the grid worker's, the street lead's and the street admin's). Each case asserts
// the exact status and, when refused, that nothing changed: the object as an admin reads it and
// the audit log's length (every write appends). The CSV import answers an out-of-scope grid code
// like an unknown one (a 422 row error), so its hidden status is 422, not 404.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "api/authorization_matrix.h"
#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

// kGrid: a grid ({grid}, {grid_code}, {parent}, {feature}, {polygon}, {lon}/{lat} a point in it,
// {worker} a grid worker of it); kHousehold, kResident, kKeyPerson: one of the demo's in that
// grid; kFreshResident: a present resident created for the case (departs, becomes a key
// person); kDepartedResident: one created and departed for the case (arrives); kCamera: a
// camera the admin registered in the grid ({camera}, {camera_code}).
enum class Target {
  kNone,
  kGrid,
  kHousehold,
  kResident,
  kFreshResident,
  kDepartedResident,
  kKeyPerson,
  kCamera
};
enum class Scope { kIn, kOut };

const Users kReaders = {"grid_worker", "street_lead", "leader",      "police_clerk",
                        "admin",       "auditor",     "street_admin"};
const Users kWriters = {"grid_worker", "street_lead", "police_clerk", "admin", "street_admin"};
// Those whose scope ends at the grid or the street: the other street's grid is not there.
const Users kNarrow = {"grid_worker", "street_lead", "street_admin"};
const Users kWideReaders = {"leader", "police_clerk", "admin", "auditor"};
const Users kWideWriters = {"police_clerk", "admin"};
const Users kFullView = {"police_clerk", "admin", "street_admin"};
const Users kCoverage = {"street_lead", "leader", "admin", "auditor", "street_admin"};
const Users kCameraReaders = {"operator", "dispatcher", "street_lead", "leader",
                              "admin",    "auditor",    "street_admin"};
const Users kWideCameraReaders = {"operator", "dispatcher", "leader", "admin", "auditor"};

// One endpoint: who succeeds on an in-scope and on an out-of-scope object; the others are
// refused, with `hidden_status` out of scope for those in `hidden_out` (the object does not exist
// for them), otherwise 403.
struct Endpoint {
  const char* name;
  const char* method;
  const char* path;
  const char* body;  // also {n}: a number per case, {idnum}: a new valid ID number
  Target target;
  int ok_status;
  Users ok_in;
  Users ok_out;
  Users hidden_out;
  int hidden_status = 404;
  bool audited_read = false;  // a success appends exactly one audit record (the full view)
  const char* content_type = nullptr;
};

constexpr const char* kCsv = "text/csv; charset=utf-8";

const Endpoint kMatrix[] = {
    // --- Regions: reference geometry for everyone, edits for admins within their subtree ---
    {"locate",
     "GET",
     "/api/v1/regions/locate?lon={lon}&lat={lat}",
     "",
     Target::kGrid,
     200,
     kMatrixRoles,
     kMatrixRoles,
     {}},
    {"export regions",
     "GET",
     "/api/v1/regions/export",
     "",
     Target::kNone,
     200,
     kMatrixRoles,
     {},
     {}},
    {"import regions",
     "POST",
     "/api/v1/regions/import",
     R"({"type":"FeatureCollection","features":[{feature}]})",
     Target::kGrid,
     200,
     {"admin"},
     {"admin"},
     {}},
    {"redraw region",
     "PUT",
     "/api/v1/regions/{grid}/polygon",
     R"({"polygon":{polygon}})",
     Target::kGrid,
     200,
     {"admin", "street_admin"},
     {"admin"},
     {"street_admin"}},
    // Authorised callers reach the body check (one part is too few): a real split would reshape
    // the demo city under the other rows.
    {"split region",
     "POST",
     "/api/v1/regions/{grid}/split",
     R"({"parts":[{feature}]})",
     Target::kGrid,
     422,
     {"admin", "street_admin"},
     {"admin"},
     {"street_admin"}},
    // Likewise: the grid already lies under that parent.
    {"move region",
     "POST",
     "/api/v1/regions/{grid}/move",
     R"({"parent_id":{parent}})",
     Target::kGrid,
     422,
     {"admin", "street_admin"},
     {"admin"},
     {"street_admin"}},
    // --- Households ---
    {"create household", "POST", "/api/v1/households",
     R"({"grid_id":{grid},"address":"矩阵路{n}号","head_name":"矩阵","phone":"13800138000"})",
     Target::kGrid, 201, kWriters, kWideWriters, kNarrow},
    {"list households", "GET", "/api/v1/households?region_id={grid}&limit=5", "", Target::kGrid,
     200, kReaders, kWideReaders, kNarrow},
    {"read household", "GET", "/api/v1/households/{household}", "", Target::kHousehold, 200,
     kReaders, kWideReaders, kNarrow},
    {"household phone in full", "GET", "/api/v1/households/{household}?reveal=phone", "",
     Target::kHousehold, 200, kFullView, kWideWriters, kNarrow, 404, true},
    {"import households", "POST", "/api/v1/households/import",
     "grid_code,address\r\n{grid_code},矩阵导入路{n}号\r\n", Target::kGrid, 200, kWriters,
     kWideWriters, kNarrow, 422, false, kCsv},
    {"export households", "GET", "/api/v1/households/export?region_id={grid}", "", Target::kGrid,
     200, kReaders, kWideReaders, kNarrow},
    // --- Residents ---
    {"create resident", "POST", "/api/v1/residents",
     R"({"grid_id":{grid},"name":"矩阵居民","id_number":"{idnum}","type":"registered",)"
     R"("phone":"13800138000"})",
     Target::kGrid, 201, kWriters, kWideWriters, kNarrow},
    {"list residents", "GET", "/api/v1/residents?region_id={grid}&limit=5", "", Target::kGrid, 200,
     kReaders, kWideReaders, kNarrow},
    {"read resident (masked)", "GET", "/api/v1/residents/{resident}", "", Target::kResident, 200,
     kReaders, kWideReaders, kNarrow},
    {"full ID and phone view", "GET", "/api/v1/residents/{resident}?reveal=id_number", "",
     Target::kResident, 200, kFullView, kWideWriters, kNarrow, 404, true},
    {"resident departs", "POST", "/api/v1/residents/{resident}/depart", R"({"note":"矩阵离开"})",
     Target::kFreshResident, 200, kWriters, kWideWriters, kNarrow},
    {"resident arrives", "POST", "/api/v1/residents/{resident}/arrive", R"({"note":"矩阵到来"})",
     Target::kDepartedResident, 200, kWriters, kWideWriters, kNarrow},
    {"resident moves", "GET", "/api/v1/residents/{resident}/moves", "", Target::kResident, 200,
     kReaders, kWideReaders, kNarrow},
    {"import residents", "POST", "/api/v1/residents/import",
     "grid_code,name,id_number,type\r\n{grid_code},矩阵导入,{idnum},registered\r\n", Target::kGrid,
     200, kWriters, kWideWriters, kNarrow, 422, false, kCsv},
    {"edit resident", "PATCH", "/api/v1/residents/{resident}",
     R"({"name":"矩阵改名{n}","type":"floating"})", Target::kFreshResident, 200, kWriters,
     kWideWriters, kNarrow},
    {"export residents", "GET", "/api/v1/residents/export?region_id={grid}", "", Target::kGrid, 200,
     kReaders, kWideReaders, kNarrow},
    // --- Places ---
    {"create place", "POST", "/api/v1/places",
     R"({"kind":"shop","name":"矩阵商店{n}","lon":{lon},"lat":{lat},"phone":"13800138000"})",
     Target::kGrid, 201, kWriters, kWideWriters, kNarrow},
    {"list places", "GET", "/api/v1/places?region_id={grid}&limit=5", "", Target::kGrid, 200,
     kReaders, kWideReaders, kNarrow},
    {"read place", "GET", "/api/v1/places/{place}", "", Target::kGrid, 200, kReaders, kWideReaders,
     kNarrow},
    {"place phone in full", "GET", "/api/v1/places/{place}?reveal=phone", "", Target::kGrid, 200,
     kFullView, kWideWriters, kNarrow, 404, true},
    {"import places", "POST", "/api/v1/places/import",
     "kind,name,lon,lat\r\nshop,矩阵导入{n},{lon},{lat}\r\n", Target::kGrid, 200, kWriters,
     kWideWriters, kNarrow, 422, false, kCsv},
    {"export places", "GET", "/api/v1/places/export?region_id={grid}", "", Target::kGrid, 200,
     kReaders, kWideReaders, kNarrow},
    // --- Key persons ---
    {"create key person", "POST", "/api/v1/key-persons",
     R"({"resident_id":{resident},"category":"矩阵","level":"care","worker_id":{worker}})",
     Target::kFreshResident, 201, kWriters, kWideWriters, kNarrow},
    {"list key persons", "GET", "/api/v1/key-persons?region_id={grid}&limit=5", "", Target::kGrid,
     200, kReaders, kWideReaders, kNarrow},
    {"overdue visits", "GET", "/api/v1/key-persons/overdue?region_id={grid}&limit=5", "",
     Target::kGrid, 200, kReaders, kWideReaders, kNarrow},
    {"read key person", "GET", "/api/v1/key-persons/{key_person}", "", Target::kKeyPerson, 200,
     kReaders, kWideReaders, kNarrow},
    {"record visit", "POST", "/api/v1/key-persons/{key_person}/visits", R"({"note":"矩阵走访"})",
     Target::kKeyPerson, 201, kWriters, kWideWriters, kNarrow},
    {"list visits", "GET", "/api/v1/key-persons/{key_person}/visits", "", Target::kKeyPerson, 200,
     kReaders, kWideReaders, kNarrow},
    // --- Patrols: grid workers check in and keep logs; coverage is for leaders ---
    {"check in",
     "POST",
     "/api/v1/patrols/check-ins",
     R"({"lon":{lon},"lat":{lat},"note":"矩阵"})",
     Target::kGrid,
     201,
     {"grid_worker"},
     {"grid_worker"},
     {}},
    {"list check-ins", "GET", "/api/v1/patrols/check-ins?region_id={grid}&limit=5", "",
     Target::kGrid, 200, kReaders, kWideReaders, kNarrow},
    {"write patrol log",
     "POST",
     "/api/v1/patrols/logs",
     R"({"content":"矩阵民情日志{n}"})",
     Target::kNone,
     201,
     {"grid_worker"},
     {},
     {}},
    {"list patrol logs", "GET", "/api/v1/patrols/logs?region_id={grid}&limit=5", "", Target::kGrid,
     200, kReaders, kWideReaders, kNarrow},
    {"patrol coverage",
     "GET",
     "/api/v1/patrols/coverage?region_id={grid}",
     "",
     Target::kGrid,
     200,
     kCoverage,
     {"leader", "admin", "auditor"},
     {"street_lead", "street_admin"}},
    // --- Cameras: admins register them in their subtree; the video system's operator account
    // sends alarms (city-wide); the centre and the leaders read the registry ---
    {"register camera",
     "POST",
     "/api/v1/cameras",
     R"({"code":"MX-{n}","name":"矩阵摄像头","lon":{lon},"lat":{lat}})",
     Target::kGrid,
     201,
     {"admin", "street_admin"},
     {"admin"},
     {"street_admin"}},
    {"list cameras",
     "GET",
     "/api/v1/cameras?region_id={grid}&limit=5",
     "",
     Target::kGrid,
     200,
     kCameraReaders,
     kWideCameraReaders,
     {"street_lead", "street_admin"}},
    {"read camera",
     "GET",
     "/api/v1/cameras/{camera}",
     "",
     Target::kCamera,
     200,
     kCameraReaders,
     kWideCameraReaders,
     {"street_lead", "street_admin"}},
    {"edit camera",
     "PATCH",
     "/api/v1/cameras/{camera}",
     R"({"name":"矩阵摄像头{n}"})",
     Target::kCamera,
     200,
     {"admin", "street_admin"},
     {"admin"},
     {"street_admin"}},
    {"camera alarm types",
     "GET",
     "/api/v1/camera-alarm-types",
     "",
     Target::kNone,
     200,
     kMatrixRoles,
     {},
     {}},
    {"map camera alarm type",
     "PUT",
     "/api/v1/camera-alarm-types/mx_{n}",
     R"({"category":"U09093","label":"矩阵告警"})",
     Target::kNone,
     200,
     {"admin"},
     {},
     {}},
    {"camera alarm",
     "POST",
     "/api/v1/camera-alarms",
     R"({"camera_id":"{camera_code}","alarm_id":"MX-{n}","type":"illegal_parking",)"
     R"("time":"2026-01-05T09:30:00+08:00","snapshot_url":"https://vms.example.cn/snap/{n}.jpg"})",
     Target::kCamera,
     201,
     {"operator"},
     {"operator"},
     {}},
};

void Replace(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at; (at = s.find(from)) != std::string::npos;) s.replace(at, from.size(), to);
}

// A valid 18-digit ID number (GB 11643 check digit), distinct for each n < 365000.
std::string IdNumber(int n) {
  const unsigned u = static_cast<unsigned>(n);
  char base[32];
  std::snprintf(base, sizeof base, "1101011923%02u%02u%03u", 1 + (u / 28000) % 12,
                1 + (u / 1000) % 28, u % 1000);
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (base[i] - '0') * kWeights[i];
  return std::string(base, 17) + "10X98765432"[sum % 11];
}

// What the matrix needs of one grid.
struct Grid {
  std::int64_t id = 0, parent = 0, worker = 0;
  std::int64_t household = 0, resident = 0, key_person = 0, place = 0, camera = 0;
  std::string code, feature, polygon, lon, lat, camera_code;
};

class BaseDataMatrixTest : public DemoServerTest {
 protected:
  // Once per suite (the server and its demo city are the suite's).
  void SetUp() override {
    if (in_.id != 0) return;
    auto admin = As("admin");
    Json street_lead(As("street_lead")->Get("/api/v1/me").body);
    const std::int64_t street = int64_t(street_lead["region"]["id"]);
    CreateUser(*admin, "street_admin", R"(["admin"])", "\"region_id\":" + std::to_string(street));
    tokens_["street_admin"] = FirstLogin(port(), "street_admin");
    for (const char* role : {"mediator", "police_clerk", "prosecutor_clerk", "court_clerk",
                             "custodian", "finance_officer", "lawyer"}) {
      HttpClient c("127.0.0.1", port());
      tokens_[role] = Login(c, role, kDemoPassword);
      ASSERT_FALSE(tokens_[role].empty()) << role;
    }
    Json me(As("grid_worker")->Get("/api/v1/me").body);
    const std::int64_t own_grid = int64_t(me["region"]["id"]);
    // The grids: the grid worker's, and one of another street (the code's first 9 characters
    // name the street).
    Json regions(admin->Get("/api/v1/regions/export").body);
    std::map<std::string, std::int64_t> id_of_code;
    for (auto f : regions["features"].get_array()) {
      id_of_code[std::string(std::string_view(f["properties"]["code"]))] =
          int64_t(f["properties"]["id"]);
    }
    std::string in_street;
    for (int pass = 0; pass < 2; ++pass) {
      for (auto f : regions["features"].get_array()) {
        auto p = f["properties"];
        if (std::string_view(p["level"]) != "grid") continue;
        const std::int64_t id = int64_t(p["id"]);
        const std::string code{std::string_view(p["code"])};
        Grid& g = pass == 0 ? in_ : out_;
        if (g.id != 0) continue;
        if (pass == 0 ? id != own_grid : code.substr(0, 9) == in_street) continue;
        g.id = id;
        g.code = code;
        g.parent = id_of_code[std::string(std::string_view(p["parent_code"]))];
        g.feature = simdjson::minify(f);
        g.polygon = simdjson::minify(f["geometry"]);
        if (pass == 0) in_street = code.substr(0, 9);
      }
    }
    ASSERT_NE(in_.id, 0);
    ASSERT_NE(out_.id, 0);
    ASSERT_NE(out_.parent, 0);
    for (Grid* g : {&in_, &out_}) ASSERT_NO_FATAL_FAILURE(Furnish(*admin, *g));
  }

  // The grid's point, worker and demo objects (made when the demo has none there).
  void Furnish(HttpClient& admin, Grid& g) {
    const std::string in_grid = "?region_id=" + std::to_string(g.id) + "&limit=1";
    auto first_id = [&](const std::string& list) -> std::int64_t {
      Json j(admin.Get(list + in_grid).body);
      auto items = j["items"].get_array();
      if (items.error() || items.size() == 0) return 0;
      return int64_t(items.at(0)["id"]);
    };
    Json places(admin.Get("/api/v1/places" + in_grid).body);
    auto items = places["items"].get_array();
    ASSERT_TRUE(!items.error() && items.size() > 0) << "the demo has a place in grid " << g.code;
    g.place = int64_t(items.at(0)["id"]);
    g.lon = std::to_string(double(items.at(0)["lon"]));
    g.lat = std::to_string(double(items.at(0)["lat"]));
    Json located(admin.Get("/api/v1/regions/locate?lon=" + g.lon + "&lat=" + g.lat).body);
    ASSERT_EQ(int64_t(located["grid"]["id"]), g.id) << "the place's point lies in its grid";
    {
      HttpClient c("127.0.0.1", port());
      c.set_token(Login(c, "gw_" + g.code, kDemoPassword));
      Json worker(c.Get("/api/v1/me").body);
      g.worker = int64_t(worker["id"]);
      ASSERT_NE(g.worker, 0) << "gw_" << g.code;
    }
    g.household = first_id("/api/v1/households");
    g.resident = first_id("/api/v1/residents");
    ASSERT_NE(g.household, 0);
    ASSERT_NE(g.resident, 0);
    g.key_person = first_id("/api/v1/key-persons");
    if (g.key_person == 0) {
      auto k = admin.Post("/api/v1/key-persons", R"({"resident_id":)" +
                                                     std::to_string(FreshResident(g, false)) +
                                                     R"(,"category":"矩阵","level":"care",)"
                                                     R"("worker_id":)" +
                                                     std::to_string(g.worker) + "}");
      ASSERT_EQ(k.status, 201) << k.body;
      g.key_person = IntField(k, "id");
    }
    g.camera_code = "MX-CAM-" + g.code;
    auto camera = admin.Post("/api/v1/cameras", R"({"code":")" + g.camera_code +
                                                    R"(","name":"矩阵摄像头","lon":)" + g.lon +
                                                    R"(,"lat":)" + g.lat + "}");
    ASSERT_EQ(camera.status, 201) << camera.body;
    g.camera = IntField(camera, "id");
  }

  // A new resident of the grid, made by the admin; departed when asked.
  std::int64_t FreshResident(const Grid& g, bool departed) {
    auto admin = As("admin");
    auto r = admin->Post("/api/v1/residents", R"({"grid_id":)" + std::to_string(g.id) +
                                                  R"(,"name":"矩阵新居民","id_number":")" +
                                                  IdNumber(++ids_) + R"(","type":"floating"})");
    EXPECT_EQ(r.status, 201) << r.body;
    const std::int64_t id = IntField(r, "id");
    if (departed) {
      auto d = admin->Post("/api/v1/residents/" + std::to_string(id) + "/depart", "{}");
      EXPECT_EQ(d.status, 200) << d.body;
    }
    return id;
  }

  // The object as an admin reads it (for "nothing changed on refusal").
  std::string Snapshot(Target target, const Grid& g, std::int64_t resident) {
    auto admin = As("admin");
    const std::string in_grid = "?region_id=" + std::to_string(g.id) + "&limit=500";
    switch (target) {
      case Target::kNone: return "";
      case Target::kGrid: {
        std::string s;
        for (const char* list : {"/api/v1/households", "/api/v1/residents", "/api/v1/places",
                                 "/api/v1/key-persons", "/api/v1/patrols/check-ins"}) {
          s += admin->Get(list + in_grid).body;
        }
        return s + admin->Get("/api/v1/regions/locate?lon=" + g.lon + "&lat=" + g.lat).body;
      }
      case Target::kHousehold:
        return admin->Get("/api/v1/households/" + std::to_string(g.household)).body;
      case Target::kResident:
      case Target::kFreshResident:
      case Target::kDepartedResident: {
        const std::string path = "/api/v1/residents/" + std::to_string(resident);
        return admin->Get(path).body + admin->Get(path + "/moves").body;
      }
      case Target::kCamera: return admin->Get("/api/v1/cameras/" + std::to_string(g.camera)).body;
      case Target::kKeyPerson: {
        const std::string path = "/api/v1/key-persons/" + std::to_string(g.key_person);
        return admin->Get(path).body + admin->Get(path + "/visits").body;
      }
    }
    return "";
  }

  static inline Grid in_, out_;
  static inline int ids_ = 0;
};

TEST_F(BaseDataMatrixTest, EveryEndpointRoleAndScope) {
  auto audit_tail = [&] { return AuditTail(*As("auditor")); };
  int cases = 0, n = 0;
  for (const Endpoint& ep : kMatrix) {
    for (const std::string& role : kMatrixRoles) {
      for (Scope scope : {Scope::kIn, Scope::kOut}) {
        if (ep.target == Target::kNone && scope == Scope::kOut) continue;
        const bool in = scope == Scope::kIn;
        const Grid& g = in ? in_ : out_;
        std::int64_t resident = g.resident;
        if (ep.target == Target::kFreshResident) resident = FreshResident(g, false);
        if (ep.target == Target::kDepartedResident) resident = FreshResident(g, true);
        std::string path = ep.path, body = ep.body;
        ++n;
        for (std::string* s : {&path, &body}) {
          Replace(*s, "{grid}", std::to_string(g.id));
          Replace(*s, "{grid_code}", g.code);
          Replace(*s, "{parent}", std::to_string(g.parent));
          Replace(*s, "{feature}", g.feature);
          Replace(*s, "{polygon}", g.polygon);
          Replace(*s, "{lon}", g.lon);
          Replace(*s, "{lat}", g.lat);
          Replace(*s, "{worker}", std::to_string(g.worker));
          Replace(*s, "{household}", std::to_string(g.household));
          Replace(*s, "{resident}", std::to_string(resident));
          Replace(*s, "{key_person}", std::to_string(g.key_person));
          Replace(*s, "{place}", std::to_string(g.place));
          Replace(*s, "{camera}", std::to_string(g.camera));
          Replace(*s, "{camera_code}", g.camera_code);
          Replace(*s, "{n}", std::to_string(n));
          if (s->find("{idnum}") != std::string::npos) Replace(*s, "{idnum}", IdNumber(++ids_));
        }
        const Users& ok = in ? ep.ok_in : ep.ok_out;
        const int expected = ok.count(role)                     ? ep.ok_status
                             : !in && ep.hidden_out.count(role) ? ep.hidden_status
                                                                : 403;
        const std::string before = Snapshot(ep.target, g, resident);
        const std::int64_t audit_before = audit_tail();

        HttpHeaders headers;
        if (ep.content_type != nullptr) headers.emplace_back("Content-Type", ep.content_type);
        auto r = As(role)->Request(ep.method, path, body, headers);
        SCOPED_TRACE(std::string(ep.name) + " as " + role + (in ? " in scope" : " out of scope"));
        EXPECT_EQ(r.status, expected) << ep.method << " " << path << " " << body << "\n" << r.body;
        ++cases;
        if (r.status != expected) continue;
        if (r.status < 300) {
          if (ep.audited_read) {
            // The full view: in full, and recorded before it was answered.
            Json j(r.body);
            if (path.find("/residents/") != std::string::npos) {
              EXPECT_FALSE(bool(j["id_number_masked"])) << r.body;
            }
            EXPECT_EQ(std::string(std::string_view(j["phone"])).find('*'), std::string::npos)
                << r.body;
            EXPECT_EQ(audit_tail(), audit_before + 1);
          } else if (std::string_view(ep.method) == "GET") {
            EXPECT_EQ(audit_tail(), audit_before) << "a read wrote";
          }
          continue;
        }
        // Refused: nothing changed.
        EXPECT_EQ(Snapshot(ep.target, g, resident), before);
        EXPECT_EQ(audit_tail(), audit_before);
      }
    }
  }
  std::size_t expected_cases = 0;
  for (const Endpoint& ep : kMatrix) {
    expected_cases += kMatrixRoles.size() * (ep.target == Target::kNone ? 1 : 2);
  }
  EXPECT_EQ(static_cast<std::size_t>(cases), expected_cases);
  EXPECT_GE(expected_cases, 1479u);
}

// Lists are filtered to the caller's scope, and phone and ID numbers come masked: the grid worker
// lists their grid only, the street lead their street, whatever they ask for.
TEST_F(BaseDataMatrixTest, ListsAreFilteredToScopeAndMasked) {
  std::int64_t resident_with_phone = 0;
  std::string revealed_phone;  // masked, as listed
  for (const char* list : {"/api/v1/households", "/api/v1/residents", "/api/v1/places",
                           "/api/v1/key-persons", "/api/v1/patrols/check-ins"}) {
    for (const std::string role : {"grid_worker", "street_lead"}) {
      auto r = As(role)->Get(std::string(list) + "?limit=500");
      ASSERT_EQ(r.status, 200) << list << " " << r.body;
      Json j(r.body);
      std::size_t seen = 0, phones = 0;
      for (auto item : j["items"].get_array()) {
        ++seen;
        std::int64_t grid = 0;
        if (item["grid_id"].get(grid) != simdjson::SUCCESS) grid = 0;  // null: no grid
        if (role == "grid_worker") {
          EXPECT_EQ(grid, in_.id) << list << ": " << item;
        } else {
          EXPECT_NE(grid, 0) << list << ": " << item;
          EXPECT_NE(grid, out_.id) << list << ": " << item;
        }
        std::string_view phone;
        if (item["phone"].get(phone) == simdjson::SUCCESS && !phone.empty()) {
          ++phones;
          EXPECT_NE(phone.find('*'), std::string_view::npos) << list << ": " << item;
          if (std::string_view(list) == "/api/v1/residents" && revealed_phone.empty()) {
            resident_with_phone = int64_t(item["id"]);
            revealed_phone = phone;
          }
        }
        std::string_view id_number;
        if (item["id_number"].get(id_number) == simdjson::SUCCESS) {
          EXPECT_NE(id_number.find('*'), std::string_view::npos) << list << ": " << item;
        }
      }
      if (std::string_view(list) != "/api/v1/patrols/check-ins") {
        EXPECT_GT(seen, 0u) << list << " as " << role;
      }
      if (std::string_view(list) != "/api/v1/patrols/check-ins" &&
          std::string_view(list) != "/api/v1/key-persons") {
        EXPECT_GT(phones, 0u) << list << " as " << role << ": the demo has phone numbers";
      }
    }
  }
  // The full view shows the phone number in full too, and is recorded first.
  ASSERT_NE(resident_with_phone, 0);
  const std::int64_t audit_before = AuditTail(*As("auditor"));
  auto full =
      As("police_clerk")
          ->Get("/api/v1/residents/" + std::to_string(resident_with_phone) + "?reveal=id_number");
  ASSERT_EQ(full.status, 200) << full.body;
  const std::string phone = StringField(full, "phone");
  EXPECT_EQ(phone.find('*'), std::string::npos) << full.body;
  EXPECT_EQ(phone.size(), revealed_phone.size());
  EXPECT_EQ(phone.substr(phone.size() - 4), revealed_phone.substr(revealed_phone.size() - 4));
  EXPECT_EQ(AuditTail(*As("auditor")), audit_before + 1);

  // Households and places: the same audited full view of the phone number (?reveal=phone).
  for (const char* kind : {"households", "places"}) {
    Json listed(As("police_clerk")->Get(std::string("/api/v1/") + kind + "?limit=500").body);
    std::int64_t id = 0;
    std::string masked;
    for (auto item : listed["items"].get_array()) {
      std::string_view listed_phone;
      if (item["phone"].get(listed_phone) == simdjson::SUCCESS && !listed_phone.empty()) {
        id = int64_t(item["id"]);
        masked = listed_phone;
        break;
      }
    }
    ASSERT_NE(id, 0) << kind << ": the demo has phone numbers";
    const std::string path = std::string("/api/v1/") + kind + "/" + std::to_string(id);
    const std::int64_t before = AuditTail(*As("auditor"));
    auto revealed = As("police_clerk")->Get(path + "?reveal=phone");
    ASSERT_EQ(revealed.status, 200) << revealed.body;
    const std::string in_full = StringField(revealed, "phone");
    EXPECT_EQ(in_full.find('*'), std::string::npos) << revealed.body;
    EXPECT_EQ(in_full.size(), masked.size());
    EXPECT_EQ(in_full.substr(in_full.size() - 4), masked.substr(masked.size() - 4));
    EXPECT_EQ(AuditTail(*As("auditor")), before + 1);
    EXPECT_EQ(StringField(As("police_clerk")->Get(path), "phone"), masked);
    auto wrong = As("police_clerk")->Get(path + "?reveal=id_number");
    EXPECT_EQ(wrong.status, 422) << wrong.body;
    EXPECT_EQ(AuditTail(*As("auditor")), before + 1);
  }

  auto csv = As("street_lead")->Get("/api/v1/residents/export");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.find(out_.code), std::string::npos) << "another street's grid exported";
  EXPECT_NE(csv.body.find(in_.code), std::string::npos);
  EXPECT_NE(csv.body.find('*'), std::string::npos);
  for (const char* kind : {"households", "residents", "places"}) {
    auto exported = As("admin")->Get(std::string("/api/v1/") + kind + "/export");
    ASSERT_EQ(exported.status, 200);
    // Every phone number of the export is masked (the demo's fields hold no commas).
    std::vector<std::vector<std::string>> rows;
    std::string line;
    for (char c : exported.body + "\n") {
      if (c == '\r') continue;
      if (c != '\n') {
        line += c;
        continue;
      }
      if (!line.empty()) {
        rows.emplace_back();
        std::size_t from = 0;
        for (std::size_t comma; (comma = line.find(',', from)) != std::string::npos;
             from = comma + 1) {
          rows.back().push_back(line.substr(from, comma - from));
        }
        rows.back().push_back(line.substr(from));
      }
      line.clear();
    }
    ASSERT_GT(rows.size(), 1u) << kind;
    std::size_t column = rows[0].size(), masked = 0;
    for (std::size_t c = 0; c < rows[0].size(); ++c) {
      if (rows[0][c] == "phone") column = c;
    }
    ASSERT_LT(column, rows[0].size()) << kind;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].size() != rows[0].size() || rows[r][column].empty()) continue;
      EXPECT_NE(rows[r][column].find('*'), std::string::npos) << kind << " row " << r;
      ++masked;
    }
    EXPECT_GT(masked, 0u) << kind;
  }
}

}  // namespace

std::vector<MatrixRoute> BaseDataMatrixRoutes() {
  std::vector<MatrixRoute> out;
  for (const Endpoint& ep : kMatrix) out.push_back({ep.method, ep.path});
  return out;
}

}  // namespace civicgrid::testing
