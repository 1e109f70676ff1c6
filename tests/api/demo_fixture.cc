#include "api/demo_fixture.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace civicgrid::testing {

Json::Json(const std::string& text) : parser_(std::make_unique<simdjson::dom::parser>()) {
  ok_ = parser_->parse(text).get(root_) == simdjson::SUCCESS;
}

std::string ErrorCodeOf(const HttpResult& r) {
  Json j(r.body);
  std::string_view code;
  if (!j.ok() || j.root()["error"]["code"].get(code) != simdjson::SUCCESS) return "";
  return std::string(code);
}

namespace {

std::string Login(std::uint16_t port, const std::string& user) {
  HttpClient c("127.0.0.1", port);
  auto r = c.Post("/api/v1/auth/login",
                  R"({"username":")" + user + R"(","password":")" + kDemoPassword + R"("})");
  EXPECT_EQ(r.status, 200) << user << ": " << r.body;
  Json j(r.body);
  std::string_view token;
  if (!j.ok() || j["token"].get(token) != simdjson::SUCCESS) return "";
  return std::string(token);
}

}  // namespace

void DemoServerTest::SetUpTestSuite() {
  dir_ = std::make_unique<TempDir>();
  MakeDemoDb(db_path(), 600, kDemoPassword);
  server_ = std::make_unique<ServerProcess>(db_path());
  ASSERT_TRUE(server_->Start());
  for (const char* user : {"admin", "dispatcher", "handler", "grid_worker", "operator", "leader",
                           "street_lead", "citizen", "auditor"}) {
    tokens_[user] = Login(port(), user);
  }
  // The handler's department and a category that department is responsible for.
  HttpClient handler("127.0.0.1", port());
  handler.set_token(tokens_["handler"]);
  Json me(handler.Get("/api/v1/me").body);
  ASSERT_TRUE(me.ok());
  handler_department_ = int64_t(me["department"]["id"]);
  Json cats(handler.Get("/api/v1/categories").body);
  // One the responsibility list is silent on, so that accepting it leaves the dispatch to the
  // dispatcher (a listed category is dispatched automatically: routing_http_test.cc).
  std::set<std::string> listed;
  Json rules(handler.Get("/api/v1/rules").body);
  for (auto r : rules["items"].get_array())
    listed.insert(std::string(std::string_view(r["category"])));
  for (auto c : cats["items"].get_array()) {
    simdjson::dom::element dept;
    if (c["department"].get(dept) == simdjson::SUCCESS && !dept.is_null() &&
        int64_t(dept["id"]) == handler_department_ &&
        listed.count(std::string(std::string_view(c["code"]))) == 0) {
      category_ = std::string(std::string_view(c["code"]));
      break;
    }
  }
  ASSERT_FALSE(category_.empty()) << "no category for the handler's department";
  // A point in the city: where an existing event is.
  HttpClient dispatcher("127.0.0.1", port());
  dispatcher.set_token(tokens_["dispatcher"]);
  Json list(dispatcher.Get("/api/v1/events?limit=1").body);
  auto first = list["items"].at(0);
  lon_ = double(first["location"]["lon"]);
  lat_ = double(first["location"]["lat"]);
}

std::optional<DemoServerTest::LonLat> DemoServerTest::PointInGrid(std::int64_t grid_id) {
  auto admin = As("admin");
  Json regions(admin->Get("/api/v1/regions/export").body);
  if (!regions.ok()) return std::nullopt;
  for (auto feature : regions["features"].get_array()) {
    if (int64_t(feature["properties"]["id"]) != grid_id) continue;
    double west = 180, east = -180, south = 90, north = -90;
    for (auto ring : feature["geometry"]["coordinates"].get_array()) {
      for (auto vertex : ring.get_array()) {
        west = std::min(west, double(vertex.at(0)));
        east = std::max(east, double(vertex.at(0)));
        south = std::min(south, double(vertex.at(1)));
        north = std::max(north, double(vertex.at(1)));
      }
    }
    constexpr int kSteps = 8;
    for (int i = 1; i < kSteps; ++i) {
      for (int j = 1; j < kSteps; ++j) {
        const LonLat p{west + (east - west) * i / kSteps, south + (north - south) * j / kSteps};
        char query[128];
        std::snprintf(query, sizeof query, "/api/v1/regions/locate?lon=%.7f&lat=%.7f", p.lon,
                      p.lat);
        Json at(admin->Get(query).body);
        simdjson::dom::element grid;
        if (at.ok() && at["grid"].get(grid) == simdjson::SUCCESS && !grid.is_null() &&
            int64_t(grid["id"]) == grid_id) {
          return p;
        }
      }
    }
  }
  return std::nullopt;
}

void DemoServerTest::TearDownTestSuite() {
  if (server_) {
    EXPECT_EQ(server_->Terminate(), 0) << "graceful stop must exit 0; the server said:\n"
                                       << server_->LogText();
  }
  server_.reset();
  dir_.reset();
  tokens_.clear();
}

std::unique_ptr<HttpClient> DemoServerTest::As(const std::string& username) {
  auto c = std::make_unique<HttpClient>("127.0.0.1", port());
  EXPECT_TRUE(tokens_.count(username)) << username;
  c->set_token(tokens_[username]);
  return c;
}

std::unique_ptr<HttpClient> DemoServerTest::Anonymous() {
  return std::make_unique<HttpClient>("127.0.0.1", port());
}

std::string DemoServerTest::CreateBody(const std::string& title, const std::string& category,
                                       std::optional<LonLat> at) const {
  const LonLat where = at.value_or(LonLat{lon_, lat_});
  char point[96];
  std::snprintf(point, sizeof point, R"({"lon":%.7f,"lat":%.7f,"address":"东门"})", where.lon,
                where.lat);
  return R"({"source":"hotline","category":")" + (category.empty() ? category_ : category) +
         R"(","title":")" + title + R"(","description":"居民来电反映)" + title +
         R"(，存在安全隐患","location":)" + point +
         R"(,"reporter":{"name":"王先生","phone":"13800138000"}})";
}

std::int64_t DemoServerTest::CreateEvent(HttpClient& who, const std::string& title) {
  auto r = who.Post("/api/v1/events", CreateBody(title));
  EXPECT_EQ(r.status, 201) << r.body;
  Json j(r.body);
  return j.ok() ? int64_t(j["id"]) : 0;
}

HttpResult DemoServerTest::Act(HttpClient& who, std::int64_t id, const std::string& action,
                               std::int64_t version, const std::string& fields) {
  std::string body =
      R"({"action":")" + action + R"(","expected_version":)" + std::to_string(version);
  if (!fields.empty()) body += "," + fields;
  body += "}";
  return who.Post("/api/v1/events/" + std::to_string(id) + "/actions", body);
}

DemoServerTest::Snapshot DemoServerTest::Look(std::int64_t id) {
  auto admin = As("admin");
  Snapshot s;
  Json e(admin->Get("/api/v1/events/" + std::to_string(id)).body);
  if (!e.ok()) return s;
  s.status = std::string(std::string_view(e["status"]));
  s.version = int64_t(e["version"]);
  Json h(admin->Get("/api/v1/events/" + std::to_string(id) + "/history").body);
  if (h.ok()) s.history = h["items"].get_array().size();
  return s;
}

}  // namespace civicgrid::testing
