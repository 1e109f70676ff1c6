// Issue 3 follow-ups over HTTP against the real binary: rows with points (events, places) follow
// a grid redraw or split to the grid their point now lies in (audited, in the edit's write
// unit); residents' attributes are edited with PATCH (scope 404, role 403, bad input changes
// nothing, the ID number masked in the audit); a key person follows their resident to another
// grid and to that grid's worker.
#include <sqlite3.h>

#include <cstdio>

#include "api/demo_fixture.h"
#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

class TerritoryEditsHttpTest : public DemoServerTest {
 protected:
  // The first column of the first row of `sql` on the server's database (read-only).
  static std::int64_t QueryInt(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
      v = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
  }

  static std::string Square(double lon0, double lat0, double lon1, double lat1) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  R"({"type":"Polygon","coordinates":[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],)"
                  R"([%.4f,%.4f],[%.4f,%.4f]]]})",
                  lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0);
    return buf;
  }

  std::int64_t EventGrid(HttpClient& c, std::int64_t id) {
    Json e(c.Get("/api/v1/events/" + std::to_string(id)).body);
    return e["grid"].is_null() ? 0 : int64_t(e["grid"]["id"]);
  }
  std::int64_t PlaceGrid(HttpClient& c, std::int64_t id) {
    return int64_t(Json(c.Get("/api/v1/places/" + std::to_string(id)).body)["grid_id"]);
  }
};

TEST_F(TerritoryEditsHttpTest, RedrawAndSplitRePlaceEventsAndPlacesByTheirPoint) {
  auto admin = As("admin");
  // A district of its own: one street, one community (123.2..123.25 × 41.62..41.66) whose only
  // grid covers the western half at first.
  const std::string tree =
      R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"210105","name":"重划区","level":"district","parent_code":"2101"},"geometry":)" +
      Square(123.2, 41.62, 123.3, 41.7) + R"(},
    {"type":"Feature","properties":{"code":"210105001","name":"重划街道","level":"street","parent_code":"210105"},"geometry":null},
    {"type":"Feature","properties":{"code":"210105001001","name":"重划社区","level":"community","parent_code":"210105001"},"geometry":)" +
      Square(123.2, 41.62, 123.25, 41.66) + R"(},
    {"type":"Feature","properties":{"code":"210105001001001","name":"重划网格","level":"grid","parent_code":"210105001001"},"geometry":)" +
      Square(123.2, 41.62, 123.225, 41.66) + R"(}]})";
  auto imported = admin->Post("/api/v1/regions/import", tree);
  ASSERT_EQ(imported.status, 200) << imported.body;
  Json at(admin->Get("/api/v1/regions/locate?lon=123.21&lat=41.65").body);
  ASSERT_TRUE(bool(at["in_grid"])) << at.root();
  const std::int64_t grid = int64_t(at["grid"]["id"]);

  // A place in the grid's north-west, an event there and one in the east (in no grid yet).
  auto place = admin->Post("/api/v1/places",
                           R"({"kind":"shop","name":"北边小店","lon":123.21,"lat":41.65})");
  ASSERT_EQ(place.status, 201) << place.body;
  const std::int64_t place_id = int64_t(Json(place.body)["id"]);
  auto op = As("operator");
  auto report = [&](double lon, double lat) {
    char body[256];
    std::snprintf(
        body, sizeof body,
        R"({"source":"hotline","category":"%s","title":"路灯不亮","location":{"lon":%.4f,"lat":%.4f}})",
        category_.c_str(), lon, lat);
    auto r = op->Post("/api/v1/events", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return int64_t(Json(r.body)["id"]);
  };
  const std::int64_t west_event = report(123.21, 41.65);
  const std::int64_t east_event = report(123.24, 41.65);
  EXPECT_EQ(EventGrid(*admin, west_event), grid);
  EXPECT_EQ(EventGrid(*admin, east_event), 0);
  const std::string history =
      "SELECT count(*) FROM event_history WHERE event_id = " + std::to_string(west_event);
  const std::int64_t history_before = QueryInt(history);

  // Redraw the grid over the whole community: the eastern event is now in it.
  auto redrawn = admin->Request("PUT", "/api/v1/regions/" + std::to_string(grid) + "/polygon",
                                R"({"polygon":)" + Square(123.2, 41.62, 123.25, 41.66) + "}");
  ASSERT_EQ(redrawn.status, 200) << redrawn.body;
  EXPECT_EQ(EventGrid(*admin, east_event), grid);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log WHERE action = 'event.regrid' AND "
                     "object_id = '" +
                     std::to_string(east_event) + "' AND after LIKE '%region.redraw%'"),
            1);

  // Split north/south: the first part keeps the grid; the northern rows move to the new grid.
  auto part = [&](const std::string& code, double lat0, double lat1) {
    return R"({"type":"Feature","properties":{"code":")" + code +
           R"(","name":"分格"},"geometry":)" + Square(123.2, lat0, 123.25, lat1) + "}";
  };
  auto split = admin->Post("/api/v1/regions/" + std::to_string(grid) + "/split",
                           R"({"parts":[)" + part("210105001001001", 41.62, 41.64) + "," +
                               part("210105001001002", 41.64, 41.66) + "]}");
  ASSERT_EQ(split.status, 200) << split.body;
  Json north(admin->Get("/api/v1/regions/locate?lon=123.21&lat=41.65").body);
  const std::int64_t north_grid = int64_t(north["grid"]["id"]);
  ASSERT_NE(north_grid, grid);
  EXPECT_EQ(PlaceGrid(*admin, place_id), north_grid);
  EXPECT_EQ(EventGrid(*admin, west_event), north_grid);
  EXPECT_EQ(EventGrid(*admin, east_event), north_grid);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log WHERE action = 'place.regrid' AND "
                     "object_id = '" +
                     std::to_string(place_id) + "' AND after LIKE '%\"grid_id\":" +
                     std::to_string(north_grid) + "%region.split%'"),
            1);
  // The event's own history is not rewritten.
  EXPECT_EQ(QueryInt(history), history_before);

  // Shrink the northern grid to its western half: the eastern event now lies in no grid and
  // keeps its placement; the western rows stay.
  auto shrunk = admin->Request("PUT", "/api/v1/regions/" + std::to_string(north_grid) + "/polygon",
                               R"({"polygon":)" + Square(123.2, 41.64, 123.225, 41.66) + "}");
  ASSERT_EQ(shrunk.status, 200) << shrunk.body;
  EXPECT_FALSE(
      bool(Json(admin->Get("/api/v1/regions/locate?lon=123.24&lat=41.65").body)["in_grid"]));
  EXPECT_EQ(EventGrid(*admin, east_event), north_grid);
  EXPECT_EQ(EventGrid(*admin, west_event), north_grid);
  EXPECT_EQ(PlaceGrid(*admin, place_id), north_grid);
  std::string out;
  EXPECT_EQ(RunCivicgrid({"audit", "verify", "--db", db_path()}, &out), 0) << out;
}

constexpr const char* kId = "11010519491231002X";
constexpr const char* kOtherId = "110101199003070011";

TEST_F(TerritoryEditsHttpTest, ResidentPatchChangesOnlyWhatIsGivenInScopeAndAudited) {
  auto gw = As("grid_worker");
  auto created = gw->Post(
      "/api/v1/residents",
      std::string(R"({"name":"李四","type":"registered","phone":"13800000000","id_number":")") +
          kId + "\"}");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = int64_t(Json(created.body)["id"]);
  const std::string path = "/api/v1/residents/" + std::to_string(id);

  auto changed =
      gw->Request("PATCH", path, R"({"name":"李四光","type":"left_behind","phone":"010-1234"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  Json c(changed.body);
  EXPECT_EQ(std::string_view(c["name"]), "李四光");
  EXPECT_EQ(std::string_view(c["type"]), "left_behind");
  EXPECT_EQ(std::string_view(c["phone"]), "010*1234");  // masked like every base-data answer
  EXPECT_EQ(std::string_view(Json(As("admin")->Get(path + "?reveal=id_number").body)["phone"]),
            "010-1234");
  EXPECT_EQ(std::string_view(c["id_number"]), "1101**********002X");

  // A new ID number: validated, masked, gender and birth date derived again.
  auto renumbered = gw->Request("PATCH", path, std::string(R"({"id_number":")") + kOtherId + "\"}");
  ASSERT_EQ(renumbered.status, 200) << renumbered.body;
  Json n(renumbered.body);
  EXPECT_EQ(std::string_view(n["id_number"]), "1101**********0011");
  EXPECT_EQ(std::string_view(n["birth_date"]), "1990-03-07");
  EXPECT_EQ(std::string_view(n["name"]), "李四光");  // untouched
  Json found(gw->Get(std::string("/api/v1/residents?id_number=") + kOtherId).body);
  ASSERT_EQ(found["items"].get_array().size(), 1u);
  EXPECT_EQ(int64_t(found["items"].at(0)["id"]), id);

  // Audited with before and after, ID numbers masked only.
  const std::string audits =
      "SELECT count(*) FROM audit_log WHERE action = 'resident.update' AND object_id = '" +
      std::to_string(id) + "'";
  EXPECT_EQ(QueryInt(audits), 2);
  EXPECT_EQ(QueryInt(audits + " AND before LIKE '%\"name\":\"李四\"%registered%' AND after LIKE "
                              "'%\"name\":\"李四光\"%left_behind%'"),
            1);
  EXPECT_EQ(
      QueryInt(audits +
               " AND before LIKE '%1101**********002X%' AND after LIKE '%1101**********0011%'"),
      1);
  EXPECT_EQ(QueryInt(std::string("SELECT count(*) FROM audit_log WHERE after LIKE '%") + kOtherId +
                     "%' OR before LIKE '%" + kOtherId + "%'"),
            0);

  // Bad input: 400/422 and nothing changed.
  const std::string before = gw->Get(path).body;
  const std::int64_t audit_count = QueryInt(audits);
  struct Case {
    std::string body;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {R"({"id_number":"110105194912310021"})", 422, "bad_checksum"},
      {R"({"id_number":"11010519491331002X"})", 422, "bad_date"},
      {R"({"type":"martian"})", 422, "unknown_type"},
      {R"({"name":""})", 400, "missing_field"},
      {R"({"phone":"call me"})", 422, ""},
      {R"({"name":5})", 400, "wrong_type"},
      {R"({"household_id":"x"})", 400, "wrong_type"},
      {R"({"nmae":"王"})", 400, "unknown_field"},
      {R"({"status":"departed"})", 400, "unknown_field"},
      {R"({})", 422, "empty_change"},
      {R"([1])", 400, ""},
      {R"({"household_id":999999999})", 404, "not_found"},
      {R"({"name":"新名","id_number":"110105194912310021"})", 422, "bad_checksum"},
  };
  for (const Case& k : cases) {
    auto r = gw->Request("PATCH", path, k.body);
    EXPECT_EQ(r.status, k.status) << k.body << ": " << r.body;
    if (!k.code.empty()) {
      EXPECT_EQ(ErrorCodeOf(r), k.code) << k.body << ": " << r.body;
    }
  }
  // Another resident's ID number: 409, nothing changed.
  auto other = gw->Post("/api/v1/residents",
                        R"({"name":"王五","type":"registered","id_number":"440524198001010013"})");
  ASSERT_EQ(other.status, 201) << other.body;
  auto duplicate =
      gw->Request("PATCH", "/api/v1/residents/" + std::to_string(int64_t(Json(other.body)["id"])),
                  std::string(R"({"name":"王六","id_number":")") + kOtherId + "\"}");
  EXPECT_EQ(duplicate.status, 409) << duplicate.body;
  EXPECT_EQ(std::string_view(
                Json(gw->Get("/api/v1/residents/" + std::to_string(int64_t(Json(other.body)["id"])))
                         .body)["name"]),
            "王五");
  EXPECT_EQ(gw->Get(path).body, before);
  EXPECT_EQ(QueryInt(audits), audit_count);

  // Into a household of the grid: the resident follows it.
  auto household = gw->Post("/api/v1/households", R"({"address":"幸福里3号"})");
  ASSERT_EQ(household.status, 201) << household.body;
  const std::int64_t household_id = int64_t(Json(household.body)["id"]);
  auto housed =
      gw->Request("PATCH", path, R"({"household_id":)" + std::to_string(household_id) + "}");
  ASSERT_EQ(housed.status, 200) << housed.body;
  EXPECT_EQ(int64_t(Json(housed.body)["household_id"]), household_id);
  auto unhoused = gw->Request("PATCH", path, R"({"household_id":0})");
  ASSERT_EQ(unhoused.status, 200) << unhoused.body;
  EXPECT_TRUE(Json(unhoused.body)["household_id"].is_null());

  // Scope and roles: another grid's worker 404, a street lead of the street may, a leader
  // (reads only) and a citizen 403, an unknown id 404.
  const std::string renamed = R"({"name":"赵六"})";
  Json grids(As("admin")->Get("/api/v1/regions/export").body);
  std::string other_grid_code;
  for (auto f : grids["features"].get_array()) {
    auto p = f["properties"];
    if (std::string_view(p["level"]) != "grid") continue;
    if (int64_t(p["id"]) != int64_t(c["grid_id"])) {
      other_grid_code = std::string(std::string_view(p["code"]));
      break;
    }
  }
  ASSERT_FALSE(other_grid_code.empty());
  auto other_gw = Anonymous();
  auto login =
      other_gw->Post("/api/v1/auth/login", R"({"username":"gw_)" + other_grid_code +
                                               R"(","password":")" + kDemoPassword + "\"}");
  ASSERT_EQ(login.status, 200) << login.body;
  other_gw->set_token(std::string(std::string_view(Json(login.body)["token"])));
  EXPECT_EQ(other_gw->Request("PATCH", path, renamed).status, 404);
  EXPECT_EQ(As("leader")->Request("PATCH", path, renamed).status, 403);
  EXPECT_EQ(As("citizen")->Request("PATCH", path, renamed).status, 403);
  EXPECT_EQ(gw->Request("PATCH", "/api/v1/residents/999999999", renamed).status, 404);
  EXPECT_EQ(std::string_view(Json(gw->Get(path).body)["name"]), "李四光");
  auto street = As("street_lead")->Request("PATCH", path, renamed);
  EXPECT_EQ(street.status, 200) << street.body;
  std::string out;
  EXPECT_EQ(RunCivicgrid({"audit", "verify", "--db", db_path()}, &out), 0) << out;
}

// A key person lives where their resident lives: a PATCH into a household of another grid, or an
// arrival there, moves the key person record (and its worker) in the same write unit.
TEST_F(TerritoryEditsHttpTest, KeyPersonsFollowTheirResidentToAnotherGrid) {
  auto admin = As("admin");
  Json me(As("grid_worker")->Get("/api/v1/me").body);
  const std::int64_t home_grid = int64_t(me["region"]["id"]);
  const std::int64_t home_worker = int64_t(me["id"]);
  // Another grid and its demo worker (gw_<grid code>).
  Json regions(admin->Get("/api/v1/regions/export").body);
  std::int64_t away_grid = 0;
  std::string away_code;
  for (auto f : regions["features"].get_array()) {
    auto p = f["properties"];
    if (std::string_view(p["level"]) != "grid" || int64_t(p["id"]) == home_grid) continue;
    away_grid = int64_t(p["id"]);
    away_code = std::string(std::string_view(p["code"]));
    break;
  }
  ASSERT_NE(away_grid, 0);
  HttpClient away("127.0.0.1", port());
  away.set_token(Login(away, "gw_" + away_code, kDemoPassword));
  const std::int64_t away_worker = int64_t(Json(away.Get("/api/v1/me").body)["id"]);
  ASSERT_NE(away_worker, 0);

  auto resident = admin->Post("/api/v1/residents", R"({"grid_id":)" + std::to_string(home_grid) +
                                                       R"(,"name":"随迁","type":"floating",)"
                                                       R"("id_number":"110101199003070038"})");
  ASSERT_EQ(resident.status, 201) << resident.body;
  const std::int64_t resident_id = int64_t(Json(resident.body)["id"]);
  auto kp = admin->Post("/api/v1/key-persons", R"({"resident_id":)" + std::to_string(resident_id) +
                                                   R"(,"category":"mental","level":"care",)"
                                                   R"("worker_id":)" +
                                                   std::to_string(home_worker) + "}");
  ASSERT_EQ(kp.status, 201) << kp.body;
  const std::string kp_path = "/api/v1/key-persons/" + std::to_string(int64_t(Json(kp.body)["id"]));
  const std::string regrids =
      "SELECT count(*) FROM audit_log WHERE action = 'key_person.regrid' AND object_id = '" +
      kp_path.substr(kp_path.rfind('/') + 1) + "'";
  ASSERT_EQ(As("grid_worker")->Get(kp_path).status, 200);
  EXPECT_EQ(away.Get(kp_path).status, 404);

  // Into a household of the other grid: the key person moves, to that grid's worker.
  auto household = admin->Post("/api/v1/households", R"({"grid_id":)" + std::to_string(away_grid) +
                                                         R"(,"address":"随迁路1号"})");
  ASSERT_EQ(household.status, 201) << household.body;
  auto moved = admin->Request(
      "PATCH", "/api/v1/residents/" + std::to_string(resident_id),
      R"({"household_id":)" + std::to_string(int64_t(Json(household.body)["id"])) + "}");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(int64_t(Json(moved.body)["grid_id"]), away_grid);
  auto there = away.Get(kp_path);
  ASSERT_EQ(there.status, 200) << there.body;
  EXPECT_EQ(int64_t(Json(there.body)["grid_id"]), away_grid);
  EXPECT_EQ(int64_t(Json(there.body)["worker_id"]), away_worker);
  EXPECT_EQ(As("grid_worker")->Get(kp_path).status, 404) << "the old grid's worker still sees it";
  EXPECT_EQ(QueryInt(regrids), 1);
  EXPECT_EQ(
      QueryInt(regrids + " AND before LIKE '%\"grid_id\":\"" + std::to_string(home_grid) +
               "\"%' AND after LIKE '%\"worker_id\":\"" + std::to_string(away_worker) + "\"%'"),
      1);
  // A change that keeps the grid does not move it again.
  auto renamed = admin->Request("PATCH", "/api/v1/residents/" + std::to_string(resident_id),
                                R"({"name":"随迁者"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(QueryInt(regrids), 1);

  // Departs, and arrives back in the first grid: the key person comes back with it, to a worker
  // of that grid.
  const std::string resident_path = "/api/v1/residents/" + std::to_string(resident_id);
  ASSERT_EQ(admin->Post(resident_path + "/depart", "{}").status, 200);
  auto back =
      admin->Post(resident_path + "/arrive", R"({"grid_id":)" + std::to_string(home_grid) + "}");
  ASSERT_EQ(back.status, 200) << back.body;
  auto home = As("grid_worker")->Get(kp_path);
  ASSERT_EQ(home.status, 200) << home.body;
  EXPECT_EQ(int64_t(Json(home.body)["grid_id"]), home_grid);
  const std::int64_t new_worker = int64_t(Json(home.body)["worker_id"]);
  EXPECT_EQ(QueryInt("SELECT region_id FROM users WHERE id = " + std::to_string(new_worker)),
            home_grid);
  EXPECT_EQ(away.Get(kp_path).status, 404);
  EXPECT_EQ(QueryInt(regrids), 2);
  std::string out;
  EXPECT_EQ(RunCivicgrid({"audit", "verify", "--db", db_path()}, &out), 0) << out;
}

}  // namespace
}  // namespace civicgrid::testing
