// Camera alarms over the real server (issue 5): the admins' camera registry, an alarm becoming
// an event at the camera's position sent to the nearest on-duty grid worker (by their latest
// check-in; one with an older check-in is off duty), the centre's queue when nobody is near,
// idempotent retries, confirm and dismiss by the assigned worker only, and every refusal
// changing nothing. Plus the leaders' supervised queue.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "api/demo_fixture.h"
#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

struct Point {
  double lon = 0, lat = 0;
};

double Metres(Point a, Point b) {
  const double k = 111'320.0;
  const double dx = (b.lon - a.lon) * std::cos((a.lat + b.lat) / 2 * 3.14159265358979 / 180) * k;
  const double dy = (b.lat - a.lat) * k;
  return std::sqrt(dx * dx + dy * dy);
}

std::string PointJson(Point p) {
  char buf[96];
  std::snprintf(buf, sizeof buf, R"("lon":%.7f,"lat":%.7f)", p.lon, p.lat);
  return buf;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Worker {
  std::int64_t id = 0;
  std::string name;
  double offset_lat = 0;  // where it checks in: this far north of the camera
};

class CameraAlarmHttpTest : public DemoServerTest {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    MakeDemoDb(db_path(), 200, kDemoPassword);
    ArrangePatrols();
    if (HasFatalFailure()) return;
    server_ = std::make_unique<ServerProcess>(
        db_path(), std::vector<std::string>{"--on-duty-hours", "4", "--camera-max-metres", "2000"});
    ASSERT_TRUE(server_->Start());
    FindFixturePoints();
    for (const std::string& user : std::vector<std::string>{
             "admin", "dispatcher", "handler", "grid_worker", "operator", "leader", "street_lead",
             "citizen", "auditor", "video_ai", near_.name, far_.name, off_.name, local_.name}) {
      tokens_[user] = LoginAs(user);
    }
    // On duty now: `near_` about 30 m north of the camera point, `far_` about 300 m north.
    for (const Worker* w : {&near_, &far_}) {
      HttpClient c("127.0.0.1", port());
      c.set_token(tokens_[w->name]);
      const Point at{camera_point_.lon, camera_point_.lat + w->offset_lat};
      auto r = c.Post("/api/v1/patrols/check-ins", "{" + PointJson(at) + R"(,"note":"巡查"})");
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }

  // What DemoServerTest's helpers use: the handler's department, a category of it the list is
  // silent on, a point in the city (as DemoServerTest::SetUpTestSuite finds them).
  static void FindFixturePoints() {
    HttpClient handler("127.0.0.1", port());
    handler.set_token(LoginAs("handler"));
    Json me(handler.Get("/api/v1/me").body);
    ASSERT_TRUE(me.ok());
    handler_department_ = int64_t(me["department"]["id"]);
    std::set<std::string> listed;
    Json rules(handler.Get("/api/v1/rules").body);
    for (auto r : rules["items"].get_array()) {
      listed.insert(std::string(std::string_view(r["category"])));
    }
    Json cats(handler.Get("/api/v1/categories").body);
    for (auto c : cats["items"].get_array()) {
      simdjson::dom::element dept;
      if (c["department"].get(dept) == simdjson::SUCCESS && !dept.is_null() &&
          int64_t(dept["id"]) == handler_department_ &&
          listed.count(std::string(std::string_view(c["code"]))) == 0) {
        category_ = std::string(std::string_view(c["code"]));
        break;
      }
    }
    ASSERT_FALSE(category_.empty());
    lon_ = camera_point_.lon;
    lat_ = camera_point_.lat;
  }

  static std::string LoginAs(const std::string& user) {
    HttpClient c("127.0.0.1", port());
    auto r = c.Post("/api/v1/auth/login",
                    R"({"username":")" + user + R"(","password":")" + kDemoPassword + R"("})");
    EXPECT_EQ(r.status, 200) << user << ": " << r.body;
    Json j(r.body);
    std::string_view token;
    if (!j.ok() || j["token"].get(token) != simdjson::SUCCESS) return "";
    return std::string(token);
  }

  // Before the server starts: every demo check-in moves two days back (nobody is on duty), the
  // off-duty worker gets a check-in five hours old right at the camera point, and the points and
  // workers of the tests are picked.
  static void ArrangePatrols() {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    auto exec = [&](const std::string& sql) {
      char* error = nullptr;
      EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
          << sql << ": " << (error ? error : "");
      sqlite3_free(error);
    };
    std::vector<std::pair<Point, std::int64_t>> points;  // event positions with their grid
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT lon, lat, grid_id FROM events WHERE grid_id != 0 ORDER BY id",
                       -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      points.push_back(
          {{sqlite3_column_double(s, 0), sqlite3_column_double(s, 1)}, sqlite3_column_int64(s, 2)});
    }
    sqlite3_finalize(s);
    ASSERT_FALSE(points.empty());
    camera_point_ = points[0].first;
    camera_grid_ = points[0].second;
    far_point_ = camera_point_;
    std::int64_t far_grid = camera_grid_;
    for (const auto& [p, grid] : points) {
      if (Metres(p, camera_point_) > Metres(far_point_, camera_point_)) {
        far_point_ = p;
        far_grid = grid;
      }
    }
    ASSERT_GT(Metres(far_point_, camera_point_), 2500) << "the demo city is too small";
    // Three grid workers of other grids (neither the camera's nor the far point's, whose events
    // they would see), and the worker of the camera's grid.
    sqlite3_prepare_v2(db,
                       "SELECT id, username, region_id FROM users WHERE username LIKE 'gw\\_%' "
                       "ESCAPE '\\' ORDER BY id",
                       -1, &s, nullptr);
    std::vector<Worker*> others = {&near_, &far_, &off_};
    std::size_t next = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
      Worker w{sqlite3_column_int64(s, 0), reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
               0};
      const std::int64_t grid = sqlite3_column_int64(s, 2);
      if (grid == camera_grid_) {
        local_ = w;
      } else if (grid != far_grid && next < others.size()) {
        const double offset = others[next]->offset_lat;
        *others[next] = w;
        others[next++]->offset_lat = offset;
      }
    }
    sqlite3_finalize(s);
    ASSERT_NE(local_.id, 0);
    ASSERT_EQ(next, others.size());
    exec("UPDATE patrols SET at = at - 2 * 86400000");
    char sql[256];
    std::snprintf(sql, sizeof sql,
                  "INSERT INTO patrols(user_id, at, lon, lat) VALUES (%lld, %lld, %.7f, %.7f)",
                  static_cast<long long>(off_.id), static_cast<long long>(NowMs() - 5 * 3'600'000),
                  camera_point_.lon, camera_point_.lat);
    exec(sql);
    sqlite3_close(db);
  }

  // Registers a camera at `p` as admin; returns its JSON (fails the test otherwise).
  std::string AddCamera(const std::string& code, Point p) {
    auto r = As("admin")->Post(
        "/api/v1/cameras",
        R"({"code":")" + code + R"(","name":"测试路口摄像头",)" + PointJson(p) + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return r.body;
  }

  static std::string AlarmBody(const std::string& camera, const std::string& alarm_id,
                               const std::string& type = "illegal_parking") {
    return R"({"camera_id":")" + camera + R"(","alarm_id":")" + alarm_id + R"(","type":")" + type +
           R"(","time":"2026-01-05T09:30:00+08:00","snapshot_url":"https://vms.example.cn/snap/)" +
           alarm_id + R"(.jpg"})";
  }

  // The number of camera events and audit records: what a refusal must leave unchanged.
  std::pair<std::size_t, std::int64_t> Footprint() {
    auto admin = As("admin");
    Json events(admin->Get("/api/v1/events?source=camera&limit=500").body);
    Json cameras(admin->Get("/api/v1/cameras?limit=500").body);
    auto auditor = As("auditor");
    return {events["items"].get_array().size() * 1000 + cameras["items"].get_array().size(),
            AuditTail(*auditor)};
  }

  static inline Worker near_{0, "", 0.00027}, far_{0, "", 0.0027}, off_, local_;
  static inline Point camera_point_, far_point_;
  static inline std::int64_t camera_grid_ = 0;
};

TEST_F(CameraAlarmHttpTest, AlarmBecomesAnEventAtTheCameraSentToTheNearestOnDutyWorker) {
  Json camera(AddCamera("CAM-NEAR-1", camera_point_));
  EXPECT_EQ(int64_t(camera["grid_id"]), camera_grid_);
  auto video = As("video_ai");
  auto r = video->Post("/api/v1/camera-alarms", AlarmBody("CAM-NEAR-1", "A-1001"));
  ASSERT_EQ(r.status, 201) << r.body;
  Json out(r.body);
  EXPECT_FALSE(bool(out["replayed"]));
  auto event = out["event"];
  EXPECT_EQ(std::string_view(event["source"]), "camera");
  EXPECT_EQ(std::string_view(event["category"]), "U09093");
  EXPECT_EQ(std::string_view(event["status"]), "reported");
  EXPECT_DOUBLE_EQ(double(event["location"]["lon"]), camera_point_.lon);
  EXPECT_DOUBLE_EQ(double(event["location"]["lat"]), camera_point_.lat);
  EXPECT_EQ(int64_t(event["grid"]["id"]), camera_grid_);
  // The off-duty worker stands at the camera but checked in five hours ago; of the two on duty
  // the one 30 m away gets it, not the one 300 m away.
  ASSERT_FALSE(out["assigned_to"].is_null()) << r.body;
  EXPECT_EQ(int64_t(event["assignee"]), near_.id);
  EXPECT_EQ(int64_t(out["assigned_to"]["user_id"]), near_.id);
  EXPECT_NEAR(double(out["assigned_to"]["metres"]), 30, 3);
  EXPECT_EQ(std::string_view(event["attachments"].at(0)["url"]),
            "https://vms.example.cn/snap/A-1001.jpg");
  const std::int64_t id = int64_t(event["id"]);

  // The assigned worker sees it (though the camera is outside their grid) and in their queue.
  auto near = As(near_.name);
  EXPECT_EQ(near->Get("/api/v1/events/" + std::to_string(id)).status, 200);
  Json queue(near->Get("/api/v1/queue?kind=to_confirm").body);
  ASSERT_TRUE(queue.ok());
  bool queued = false;
  for (auto e : queue["items"].get_array()) queued |= int64_t(e["id"]) == id;
  EXPECT_TRUE(queued) << "the alarm is not in the worker's to_confirm queue";
  Json mine(near->Get("/api/v1/events?source=camera&status=reported").body);
  bool listed = false;
  for (auto e : mine["items"].get_array()) listed |= int64_t(e["id"]) == id;
  EXPECT_TRUE(listed);
  // The other workers do not see it in their queue.
  Json far_queue(As(far_.name)->Get("/api/v1/queue?kind=to_confirm").body);
  for (auto e : far_queue["items"].get_array()) EXPECT_NE(int64_t(e["id"]), id);
  // The history's report row names the assignee; the audit log has the alarm.
  Json history(near->Get("/api/v1/events/" + std::to_string(id) + "/history").body);
  EXPECT_NE(simdjson::minify(history["items"].at(0)["data"])
                .find("\"assignee\":" + std::to_string(near_.id)),
            std::string_view::npos)
      << history.root();
  auto auditor = As("auditor");
  Json audit(auditor->Get("/api/v1/audit?object_type=camera_alarm&limit=5").body);
  ASSERT_TRUE(audit.ok());
  bool audited = false;
  for (auto a : audit["items"].get_array()) {
    audited |= std::string_view(a["object_id"]).ends_with("/A-1001") &&
               std::string_view(a["action"]) == "camera.alarm";
  }
  EXPECT_TRUE(audited) << audit.root();
}

TEST_F(CameraAlarmHttpTest, ARetriedAlarmMakesOneEvent) {
  AddCamera("CAM-RETRY", camera_point_);
  auto video = As("video_ai");
  auto first = video->Post("/api/v1/camera-alarms", AlarmBody("CAM-RETRY", "R-1"));
  ASSERT_EQ(first.status, 201) << first.body;
  const auto before = Footprint();
  auto again = video->Post("/api/v1/camera-alarms", AlarmBody("CAM-RETRY", "R-1"));
  ASSERT_EQ(again.status, 200) << again.body;
  Json a(first.body), b(again.body);
  EXPECT_TRUE(bool(b["replayed"]));
  EXPECT_EQ(int64_t(a["event"]["id"]), int64_t(b["event"]["id"]));
  EXPECT_EQ(Footprint(), before);
  // The same alarm id from another camera is another alarm.
  AddCamera("CAM-RETRY-2", camera_point_);
  auto other = video->Post("/api/v1/camera-alarms", AlarmBody("CAM-RETRY-2", "R-1"));
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_NE(int64_t(Json(other.body)["event"]["id"]), int64_t(a["event"]["id"]));
}

TEST_F(CameraAlarmHttpTest, WithNobodyOnDutyNearbyTheAlarmWaitsForTheCentre) {
  AddCamera("CAM-FAR", far_point_);
  auto r =
      As("video_ai")->Post("/api/v1/camera-alarms", AlarmBody("CAM-FAR", "F-1", "open_burning"));
  ASSERT_EQ(r.status, 201) << r.body;
  Json out(r.body);
  EXPECT_TRUE(out["assigned_to"].is_null());
  EXPECT_TRUE(out["event"]["assignee"].is_null());
  const std::int64_t id = int64_t(out["event"]["id"]);
  auto dispatcher = As("dispatcher");
  Json queue(dispatcher->Get("/api/v1/queue?kind=to_confirm&limit=500").body);
  bool queued = false;
  for (auto e : queue["items"].get_array()) queued |= int64_t(e["id"]) == id;
  EXPECT_TRUE(queued) << "the centre's to_confirm queue lacks the unassigned alarm";
  // No grid worker may decide it; the centre accepts it as any report.
  EXPECT_EQ(Act(*As(near_.name), id, "accept", 1).status, 404);
  auto accepted = Act(*dispatcher, id, "accept", 1);
  EXPECT_EQ(accepted.status, 200) << accepted.body;
}

TEST_F(CameraAlarmHttpTest, TheAssignedWorkerConfirmsAndOnlyThey) {
  AddCamera("CAM-CONFIRM", camera_point_);
  auto r = As("video_ai")->Post("/api/v1/camera-alarms", AlarmBody("CAM-CONFIRM", "C-1"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::int64_t id = int64_t(Json(r.body)["event"]["id"]);
  const Snapshot before = Look(id);
  // The camera grid's own worker sees it but was not sent it; a worker elsewhere not at all;
  // handlers and citizens may not.
  EXPECT_EQ(Act(*As(local_.name), id, "accept", 1).status, 403);
  EXPECT_EQ(Act(*As(far_.name), id, "accept", 1).status, 404);
  EXPECT_EQ(Act(*As(far_.name), id, "reject", 1, R"("note":"误报")").status, 404);
  EXPECT_EQ(Act(*As("handler"), id, "accept", 1).status, 404);  // not their department's
  EXPECT_EQ(Act(*As("citizen"), id, "accept", 1).status, 404);
  EXPECT_EQ(Look(id), before);
  auto confirmed = Act(*As(near_.name), id, "accept", 1);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  Json e(confirmed.body);
  // Confirmed: accepted, and dispatched at once when the list covers the category.
  const std::string_view status = e["status"];
  EXPECT_TRUE(status == "accepted" || status == "dispatched") << status;
  Json history(As("admin")->Get("/api/v1/events/" + std::to_string(id) + "/history").body);
  auto row = history["items"].at(1);
  EXPECT_EQ(std::string_view(row["action"]), "accept");
  EXPECT_EQ(std::string_view(row["actor"]["role"]), "grid_worker");
  EXPECT_NE(simdjson::minify(row["data"]).find("confirmed"), std::string_view::npos);
  // Decided once: a second decision is refused.
  EXPECT_NE(Act(*As(near_.name), id, "reject", int64_t(e["version"]), R"("note":"误报")").status,
            200);
}

TEST_F(CameraAlarmHttpTest, TheAssignedWorkerDismissesAFalseAlarmWithAReason) {
  AddCamera("CAM-DISMISS", camera_point_);
  auto r = As("video_ai")->Post("/api/v1/camera-alarms", AlarmBody("CAM-DISMISS", "D-1"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::int64_t id = int64_t(Json(r.body)["event"]["id"]);
  auto near = As(near_.name);
  const Snapshot before = Look(id);
  auto no_reason = Act(*near, id, "reject", 1);
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_EQ(Look(id), before);
  auto dismissed = Act(*near, id, "reject", 1, R"("note":"经现场核实为误报")");
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  EXPECT_EQ(std::string_view(Json(dismissed.body)["status"]), "rejected");
  Json history(near->Get("/api/v1/events/" + std::to_string(id) + "/history").body);
  auto row = history["items"].at(1);
  EXPECT_EQ(std::string_view(row["note"]), "经现场核实为误报");
  EXPECT_NE(simdjson::minify(row["data"]).find("dismissed"), std::string_view::npos);
}

TEST_F(CameraAlarmHttpTest, BadAlarmsAreRefusedAndChangeNothing) {
  AddCamera("CAM-BAD", camera_point_);
  auto off =
      As("admin")->Post("/api/v1/cameras", R"({"code":"CAM-OFF","name":"停用摄像头",)" +
                                               PointJson(camera_point_) + R"(,"enabled":false})");
  ASSERT_EQ(off.status, 201) << off.body;
  auto video = As("video_ai");
  const auto before = Footprint();
  struct Case {
    std::string who, body;
    int status;
    std::string field;
  };
  const std::string ok = AlarmBody("CAM-BAD", "B-1");
  const std::vector<Case> cases = {
      {"dispatcher", ok, 403, ""},
      {near_.name, ok, 403, ""},
      {"admin", ok, 403, ""},
      {"video_ai", "{not json", 400, ""},
      {"video_ai", "[]", 400, ""},
      {"video_ai",
       R"({"alarm_id":"B-1","type":"illegal_parking","time":"2026-01-05T09:30:00+08:00","snapshot_url":"https://a.cn/x.jpg"})",
       400, "camera_id"},
      {"video_ai",
       R"({"camera_id":"CAM-BAD","type":"illegal_parking","time":"2026-01-05T09:30:00+08:00","snapshot_url":"https://a.cn/x.jpg"})",
       400, "alarm_id"},
      {"video_ai",
       R"({"camera_id":"CAM-BAD","alarm_id":"B-1","time":"2026-01-05T09:30:00+08:00","snapshot_url":"https://a.cn/x.jpg"})",
       400, "type"},
      {"video_ai",
       R"({"camera_id":"CAM-BAD","alarm_id":"B-1","type":"illegal_parking","snapshot_url":"https://a.cn/x.jpg"})",
       400, "time"},
      {"video_ai",
       R"({"camera_id":"CAM-BAD","alarm_id":"B-1","type":"illegal_parking","time":"2026-01-05T09:30:00+08:00"})",
       400, "snapshot_url"},
      {"video_ai",
       R"({"camera_id":42,"alarm_id":"B-1","type":"illegal_parking","time":"2026-01-05T09:30:00+08:00","snapshot_url":"https://a.cn/x.jpg"})",
       400, "camera_id"},
      {"video_ai",
       R"({"camera_id":"CAM-BAD","alarm_id":"B-1","type":"illegal_parking","time":1700000000,"snapshot_url":"https://a.cn/x.jpg"})",
       400, "time"},
      {"video_ai",
       R"({"camera_id":"CAM-BAD","alarm_id":"B-1","type":"illegal_parking","time":"yesterday","snapshot_url":"https://a.cn/x.jpg"})",
       422, "time"},
      {"video_ai",
       R"({"camera_id":"CAM-BAD","alarm_id":"B-1","type":"illegal_parking","time":"2099-01-05T09:30:00+08:00","snapshot_url":"https://a.cn/x.jpg"})",
       422, "time"},
      {"video_ai",
       R"({"camera_id":"CAM-BAD","alarm_id":"B-1","type":"illegal_parking","time":"2026-01-05T09:30:00+08:00","snapshot_url":"ftp://a.cn/x.jpg"})",
       422, "snapshot_url"},
      {"video_ai",
       R"({"camera_id":"CAM-BAD","alarm_id":"B-1","type":"illegal_parking","time":"2026-01-05T09:30:00+08:00","snapshot_url":"https://a.cn/x y.jpg"})",
       422, "snapshot_url"},
      {"video_ai", AlarmBody("CAM-BAD", "B-1", "ufo_sighting"), 422, "type"},
      {"video_ai", AlarmBody("CAM-NOPE", "B-1"), 404, "camera_id"},
      {"video_ai", AlarmBody("CAM-OFF", "B-1"), 422, "camera_id"},
  };
  for (const Case& c : cases) {
    auto r = As(c.who)->Post("/api/v1/camera-alarms", c.body);
    EXPECT_EQ(r.status, c.status) << c.who << " " << c.body << " -> " << r.body;
    if (!c.field.empty()) {
      Json j(r.body);
      std::string_view field;
      EXPECT_TRUE(j.ok() && j["error"]["field"].get(field) == simdjson::SUCCESS && field == c.field)
          << c.body << " -> " << r.body;
    }
  }
  EXPECT_EQ(Footprint(), before);
  EXPECT_EQ(video->Post("/api/v1/camera-alarms", ok).status, 201);
}

TEST_F(CameraAlarmHttpTest, AdminsKeepTheCameraRegistryInTheirScope) {
  auto admin = As("admin");
  Json created(AddCamera("CAM-REG", camera_point_));
  const std::int64_t id = int64_t(created["id"]);
  EXPECT_TRUE(bool(created["enabled"]));
  EXPECT_EQ(admin->Get("/api/v1/cameras/" + std::to_string(id)).status, 200);
  EXPECT_EQ(As("video_ai")->Get("/api/v1/cameras/" + std::to_string(id)).status, 200);
  EXPECT_EQ(As("citizen")->Get("/api/v1/cameras/" + std::to_string(id)).status, 403);
  EXPECT_EQ(As("grid_worker")->Get("/api/v1/cameras").status, 403);
  EXPECT_EQ(admin->Get("/api/v1/cameras/999999").status, 404);
  Json list(admin->Get("/api/v1/cameras").body);
  bool listed = false;
  for (auto c : list["items"].get_array()) listed |= int64_t(c["id"]) == id;
  EXPECT_TRUE(listed);
  // Moved to the far point: its grid follows; disabled.
  auto moved = admin->Request("PATCH", "/api/v1/cameras/" + std::to_string(id),
                              "{" + PointJson(far_point_) + R"(,"enabled":false})",
                              {{"Content-Type", "application/json"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  Json m(moved.body);
  EXPECT_NE(int64_t(m["grid_id"]), camera_grid_);
  EXPECT_FALSE(bool(m["enabled"]));
  Json audit(
      As("auditor")->Get("/api/v1/audit?object_type=camera&object_id=" + std::to_string(id)).body);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit["items"].get_array().size(), 2u) << audit.root();  // create + update

  // Refusals change nothing.
  const auto before = Footprint();
  const auto post = [&](const std::string& who, const std::string& body) {
    return As(who)->Post("/api/v1/cameras", body);
  };
  const std::string p = PointJson(camera_point_);
  EXPECT_EQ(post("dispatcher", R"({"code":"CAM-X","name":"x",)" + p + "}").status, 403);
  EXPECT_EQ(post("admin", "{oops").status, 400);
  EXPECT_EQ(post("admin", R"({"name":"x",)" + p + "}").status, 400);
  EXPECT_EQ(post("admin", R"({"code":"CAM-X",)" + p + "}").status, 400);
  EXPECT_EQ(post("admin", R"({"code":"CAM-X","name":"x","lon":"117.2","lat":39.1})").status, 400);
  EXPECT_EQ(post("admin", R"({"code":"CAM-X","name":"x","lon":200,"lat":39.1})").status, 422);
  EXPECT_EQ(post("admin", R"({"code":"CAM-X","name":"x","lon":117.2,"lat":-95})").status, 422);
  EXPECT_EQ(post("admin", R"({"code":"CAM-X","name":"x","lon":0.5,"lat":0.5})").status, 422);
  EXPECT_EQ(post("admin", R"({"code":"bad code!","name":"x",)" + p + "}").status, 422);
  EXPECT_EQ(post("admin", R"({"code":"CAM-X","name":"x","enabled":"yes",)" + p + "}").status, 400);
  EXPECT_EQ(post("admin", R"({"code":"CAM-REG","name":"x",)" + p + "}").status, 409);
  EXPECT_EQ(admin
                ->Request("PATCH", "/api/v1/cameras/" + std::to_string(id), R"({"lon":117.2})",
                          {{"Content-Type", "application/json"}})
                .status,
            400);
  EXPECT_EQ(As("operator")
                ->Request("PATCH", "/api/v1/cameras/" + std::to_string(id), R"({"enabled":true})",
                          {{"Content-Type", "application/json"}})
                .status,
            403);
  EXPECT_EQ(Footprint(), before);
  Json types(As("video_ai")->Get("/api/v1/camera-alarm-types").body);
  EXPECT_GE(types["items"].get_array().size(), 10u);
}

// Issue 5 "each department and leader has a queue": a supervised event shows in the supervised
// queue of the region's leader and street lead, and of a leader of its department.
TEST_F(CameraAlarmHttpTest, LeadersSeeSupervisedEventsInTheirQueue) {
  auto operator_ = As("operator");
  auto dispatcher = As("dispatcher");
  const std::int64_t id = CreateEvent(*operator_, "占道堆放建材");
  ASSERT_NE(id, 0);
  ASSERT_EQ(Act(*dispatcher, id, "accept", 1).status, 200);
  Snapshot s = Look(id);
  if (s.status == "accepted") {
    ASSERT_EQ(Act(*dispatcher, id, "dispatch", s.version,
                  R"("department":)" + std::to_string(handler_department_))
                  .status,
              200);
    s = Look(id);
  }
  Json event(dispatcher->Get("/api/v1/events/" + std::to_string(id)).body);
  const std::int64_t department = int64_t(event["department"]["id"]);
  auto supervised = Act(*dispatcher, id, "supervise", s.version, R"("note":"请抓紧办理")");
  ASSERT_EQ(supervised.status, 200) << supervised.body;

  const auto in_queue = [&](HttpClient& who) {
    auto r = who.Get("/api/v1/queue?kind=supervised&limit=500");
    EXPECT_EQ(r.status, 200) << r.body;
    Json q(r.body);
    bool found = false;
    for (auto e : q["items"].get_array()) found |= int64_t(e["id"]) == id;
    return found;
  };
  EXPECT_TRUE(in_queue(*As("leader")));
  // A leader of the event's department, and one of another department.
  CreateUser(*As("admin"), "dept.leader.a", R"(["leader"])",
             R"("department_id":)" + std::to_string(department));
  HttpClient dept_leader("127.0.0.1", port());
  dept_leader.set_token(FirstLogin(port(), "dept.leader.a"));
  EXPECT_TRUE(in_queue(dept_leader));
  Json departments(As("admin")->Get("/api/v1/departments").body);
  std::int64_t other = 0;
  for (auto d : departments["items"].get_array()) {
    if (int64_t(d["id"]) != department) other = int64_t(d["id"]);
  }
  CreateUser(*As("admin"), "dept.leader.b", R"(["leader"])",
             R"("department_id":)" + std::to_string(other));
  HttpClient other_leader("127.0.0.1", port());
  other_leader.set_token(FirstLogin(port(), "dept.leader.b"));
  EXPECT_FALSE(in_queue(other_leader));
}

// The type -> category mapping as GET /api/v1/camera-alarm-types lists it.
std::map<std::string, std::string> AlarmMapping(HttpClient& who) {
  std::map<std::string, std::string> out;
  Json list(who.Get("/api/v1/camera-alarm-types").body);
  for (auto t : list["items"].get_array()) {
    out[std::string(std::string_view(t["type"]))] = std::string(std::string_view(t["category"])) +
                                                    "|" + std::string(std::string_view(t["label"]));
  }
  return out;
}

TEST_F(CameraAlarmHttpTest, AnAdminMapsAlarmTypesAndTheNextAlarmFollowsTheMapping) {
  AddCamera("CAM-MAP", camera_point_);
  auto admin = As("admin");
  auto video = As("video_ai");
  // A type the video system has just learned: unknown until it is mapped.
  auto unknown = video->Post("/api/v1/camera-alarms", AlarmBody("CAM-MAP", "M-1", "smoke_seen"));
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(ErrorCodeOf(unknown), "unknown_alarm_type");
  auto mapped = admin->Request("PUT", "/api/v1/camera-alarm-types/smoke_seen",
                               R"({"category":"H0294","label":" 烟雾告警 "})");
  ASSERT_EQ(mapped.status, 200) << mapped.body;
  Json m(mapped.body);
  EXPECT_EQ(std::string_view(m["type"]), "smoke_seen");
  EXPECT_EQ(std::string_view(m["label"]), "烟雾告警");
  EXPECT_EQ(AlarmMapping(*As("operator"))["smoke_seen"], "H0294|烟雾告警");
  auto r = video->Post("/api/v1/camera-alarms", AlarmBody("CAM-MAP", "M-1", "smoke_seen"));
  ASSERT_EQ(r.status, 201) << r.body;
  Json out(r.body);
  EXPECT_EQ(std::string_view(out["event"]["category"]), "H0294");
  EXPECT_NE(std::string_view(out["event"]["title"]).find("烟雾告警"), std::string_view::npos);

  // Re-mapping a known type changes what its next alarm becomes, not the events made before.
  auto first = video->Post("/api/v1/camera-alarms", AlarmBody("CAM-MAP", "M-2", "snow_ice"));
  ASSERT_EQ(first.status, 201) << first.body;
  const std::int64_t earlier = int64_t(Json(first.body)["event"]["id"]);
  auto remapped = admin->Request("PUT", "/api/v1/camera-alarm-types/snow_ice",
                                 R"({"category":"U06012","label":"路面积雪"})");
  ASSERT_EQ(remapped.status, 200) << remapped.body;
  auto next = video->Post("/api/v1/camera-alarms", AlarmBody("CAM-MAP", "M-3", "snow_ice"));
  ASSERT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(std::string_view(Json(next.body)["event"]["category"]), "U06012");
  Json old(admin->Get("/api/v1/events/" + std::to_string(earlier)).body);
  EXPECT_EQ(std::string_view(old["category"]), "P0294");

  // Both writes are in the audit log, the re-mapping with what it was before.
  Json audit(As("auditor")->Get("/api/v1/audit?object_type=camera_alarm_type&limit=10").body);
  ASSERT_TRUE(audit.ok());
  std::set<std::string> seen;
  for (auto a : audit["items"].get_array()) {
    const std::string id{std::string_view(a["object_id"])};
    seen.insert(id + " " + std::string(std::string_view(a["action"])));
    if (id == "snow_ice") {
      EXPECT_NE(simdjson::minify(a["before"]).find("P0294"), std::string_view::npos);
      EXPECT_NE(simdjson::minify(a["after"]).find("U06012"), std::string_view::npos);
    }
  }
  EXPECT_TRUE(seen.count("smoke_seen camera_alarm_type.create")) << audit.root();
  EXPECT_TRUE(seen.count("snow_ice camera_alarm_type.update")) << audit.root();
}

TEST_F(CameraAlarmHttpTest, BadAlarmTypeMappingsAreRefusedAndChangeNothing) {
  auto admin = As("admin");
  const auto mapping = AlarmMapping(*admin);
  const std::int64_t audit_tail = AuditTail(*As("auditor"));
  struct Case {
    std::string who, type, body;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"admin", "open_burning", R"({"category":"Z9999","label":"x"})", 422, "unknown_category"},
      {"admin", "Open-Burning", R"({"category":"H0294","label":"x"})", 422, "invalid_argument"},
      {"admin", std::string(65, 'a'), R"({"category":"H0294","label":"x"})", 422,
       "invalid_argument"},
      {"admin", "open_burning", R"({"label":"x"})", 400, "missing_field"},
      {"admin", "open_burning", R"({"category":"H0294","label":"  "})", 400, "missing_field"},
      {"admin", "open_burning", R"({"category":"H0294"})", 400, "missing_field"},
      {"admin", "open_burning", R"({"category":7,"label":"x"})", 400, "wrong_type"},
      {"admin", "open_burning", R"({"category":"H0294",)", 400, "invalid_json"},
      {"admin", "open_burning", "{\"category\":\"H0294\",\"label\":\"\xff\"}", 400, "invalid_utf8"},
      {"dispatcher", "open_burning", R"({"category":"U06012","label":"x"})", 403, "forbidden"},
      {"operator", "open_burning", R"({"category":"U06012","label":"x"})", 403, "forbidden"},
  };
  for (const Case& c : cases) {
    auto r = As(c.who)->Request("PUT", "/api/v1/camera-alarm-types/" + c.type, c.body);
    EXPECT_EQ(r.status, c.status) << c.who << " " << c.type << " " << c.body << ": " << r.body;
    EXPECT_EQ(ErrorCodeOf(r), c.code) << c.body << ": " << r.body;
  }
  auto not_json = admin->Request("PUT", "/api/v1/camera-alarm-types/open_burning", "category=x",
                                 {{"Content-Type", "text/plain"}});
  EXPECT_EQ(not_json.status, 415) << not_json.body;
  EXPECT_EQ(AlarmMapping(*admin), mapping);
  EXPECT_EQ(AuditTail(*As("auditor")), audit_tail);
}

}  // namespace
}  // namespace civicgrid::testing
