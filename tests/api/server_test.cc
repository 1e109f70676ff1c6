// The server in-process, over real sockets: transport behaviour (keep-alive, limits, timeouts,
// graceful stop), routing, authentication, and the validation the handlers do before calling a
// use case. The use cases run on the real parts: a SQLite database in a temp directory, libsodium
// (at its minimum argon2 cost, so that logins are fast) and the R-tree geo index; only the clock
// is fixed. The full closed loop runs against the real binary in the integration suite.
#include "api/server.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "api/http_client.h"
#include "api/test_server.h"
#include "app/application.h"
#include "core/events/event_service.h"
#include "core/identity/auth_service.h"
#include "core/ports/clock.h"
#include "core/ports/store.h"
#include "core/routing/reference_data.h"
#include "core/territory/territory.h"
#include "crypto/sodium_crypto.h"
#include "geo/rtree_geo_index.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid {
namespace {

using testing::HttpClient;
using testing::HttpResult;
using testing::TempDir;
using namespace std::chrono_literals;

TimeMs At(std::string_view iso) { return *ParseIso(iso); }

// A fixed instant; counts its reads so that a test can wait until a request has reached the
// point where a use case asks for the time.
class FakeClock final : public Clock {
 public:
  TimeMs Now() const override {
    {
      std::lock_guard lock(mu_);
      ++reads_;
    }
    read_.notify_all();
    return At("2026-03-02T10:00:00+08:00");
  }
  int reads() const {
    std::lock_guard lock(mu_);
    return reads_;
  }
  // False if that has not happened within `timeout` (a generous bound: a failure, not a wait).
  bool WaitForReadsAbove(int n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return read_.wait_for(lock, timeout, [&] { return reads_ > n; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable read_;
  mutable int reads_ = 0;  // guarded by mu_
};

// Holds the store's single writer: Close() submits a unit whose work waits until Open(), so the
// units submitted meanwhile (a login's session) commit only after Open().
class WriterGate {
 public:
  void Close(Store& store) {
    {
      std::lock_guard lock(mu_);
      open_ = false;
    }
    store.Submit(
        [this](WriteTx&) {
          std::unique_lock lock(mu_);
          opened_.wait(lock, [this] { return open_; });
          return Status::Ok();
        },
        [](Status) {});
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    opened_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable opened_;
  bool open_ = true;  // guarded by mu_
};

// Runs `work` as one unit of the store's writer and waits for its outcome.
Status Write(Store& store, WriteWork work) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  store.Submit(std::move(work), [&promise](Status s) { promise.set_value(std::move(s)); });
  return future.get();
}

// The territory, departments and categories the tests use: one city down to two grids of a
// street, plus a second street with a grid of its own.
Status SeedReference(WriteTx& tx) {
  auto region = [&](RegionId id, RegionId parent, RegionLevel level, std::string code,
                    std::string name, std::vector<GeoPoint> ring = {}) {
    Region r;
    r.id = id;
    r.parent_id = parent;
    r.level = level;
    r.code = std::move(code);
    r.name = std::move(name);
    if (!ring.empty()) r.polygon.rings = {std::move(ring)};
    return tx.InsertRegion(r);
  };
  for (Status s : {
           region(1, 0, RegionLevel::kCity, "2101", "沈阳市"),
           region(2, 1, RegionLevel::kDistrict, "210102", "和平区"),
           region(3, 2, RegionLevel::kStreet, "210102001", "太原街街道"),
           region(4, 3, RegionLevel::kCommunity, "210102001001", "南京社区"),
           region(5, 4, RegionLevel::kGrid, "210102001001001", "第一网格",
                  {{123.0, 41.0}, {123.1, 41.0}, {123.1, 41.1}, {123.0, 41.0}}),
           region(6, 4, RegionLevel::kGrid, "210102001001002", "第二网格",
                  {{123.0, 41.0}, {123.1, 41.1}, {123.0, 41.1}, {123.0, 41.0}}),
           region(7, 2, RegionLevel::kStreet, "210102002", "北市场街道"),
           region(8, 7, RegionLevel::kCommunity, "210102002001", "北市社区"),
           region(9, 8, RegionLevel::kGrid, "210102002001001", "北市第一网格",
                  {{123.2, 41.0}, {123.3, 41.0}, {123.3, 41.1}, {123.2, 41.0}}),
       }) {
    if (!s) return s;
  }
  Department urban{11, "urban", "城市管理局", "Urban Management", 2};
  if (auto s = tx.InsertDepartment(urban); !s) return s;
  Department water{12, "water", "水务局", "Water Authority", 2};
  if (auto s = tx.InsertDepartment(water); !s) return s;
  Category parent;
  parent.code = "01";
  parent.name = "市政设施";
  if (auto s = tx.UpsertCategory(parent); !s) return s;
  Category c;
  c.code = "0101";
  c.name = "井盖缺失";
  c.name_en = "Missing manhole cover";
  c.parent_code = "01";
  c.department_id = 11;
  c.time_limit = 3;
  c.time_unit = TimeUnit::kWorkingDays;
  return tx.UpsertCategory(c);
}

// The reference data as the application builds it: from the store, with only grid polygons in
// the geo index.
Result<std::shared_ptr<const ReferenceData>> LoadReference(Store& store) {
  auto calendar = LoadCalendar("");
  if (!calendar) return calendar.error();
  auto regions = store.LoadRegions();
  if (!regions) return regions.error();
  auto departments = store.LoadDepartments();
  if (!departments) return departments.error();
  auto categories = store.LoadCategories();
  if (!categories) return categories.error();
  std::vector<Region> grids(regions->size());
  for (std::size_t i = 0; i < regions->size(); ++i) {
    if ((*regions)[i].level == RegionLevel::kGrid) grids[i].polygon = (*regions)[i].polygon;
  }
  auto index = MakeRtreeGeoIndex(grids);
  return std::shared_ptr<const ReferenceData>(std::make_shared<const ReferenceData>(
      std::make_unique<Territory>(std::move(*regions), std::move(index)), std::move(*departments),
      std::move(*categories), std::move(*calendar)));
}

simdjson::dom::element ParseJson(simdjson::dom::parser& parser, const std::string& body) {
  auto r = parser.parse(body);
  EXPECT_FALSE(r.error()) << body;
  return r.value_unsafe();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open((std::filesystem::path(dir_.path()) / "civicgrid.db").string());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    User op;
    op.id = 7;
    op.username = "operator";
    op.display_name = "话务员小王";
    op.password_hash = crypto_.HashPassword("secret").value();
    op.roles = {Role::kOperator};
    op.region_id = 2;
    User handler;
    handler.id = 8;
    handler.username = "handler";
    handler.password_hash = crypto_.HashPassword("secret").value();
    handler.roles = {Role::kHandler};
    handler.department_id = 11;
    User admin;
    admin.id = 9;
    admin.username = "admin";
    admin.password_hash = crypto_.HashPassword("secret").value();
    admin.roles = {Role::kAdmin};
    Status seeded = Write(*store_, [&](WriteTx& tx) -> Status {
      if (auto s = SeedReference(tx); !s) return s;
      if (auto s = tx.InsertUser(op); !s) return s;
      if (auto s = tx.InsertUser(admin); !s) return s;
      return tx.InsertUser(handler);
    });
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    auto reference = LoadReference(*store_);
    ASSERT_TRUE(reference) << reference.error().message;
    reference_ = std::move(*reference);
    auto source = [this] { return reference_; };
    auth_ = std::make_unique<AuthService>(*store_, clock_, crypto_, source);
    events_ = std::make_unique<EventService>(*store_, clock_, crypto_, source);
  }

  void TearDown() override {
    gate_.Open();  // a test that failed while holding the writer must not hang the others
    StopServer();
  }

  void StartServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.io_threads == 0) options.io_threads = 2;
    options.access_log = false;
    ApiServices services;
    services.events = events_.get();
    services.auth = auth_.get();
    services.reference = [this] { return reference_; };
    services.clock = &clock_;
    services.ready = [this] {
      Readiness r;
      if (!writable_.load()) r.writes = Fail(ErrorCode::kUnavailable, "the disk failed");
      r.search_index = search_building_.load() ? "building" : "ready";
      return r;
    };
    services.store_counters = [this] {
      const WriterStats stats = store_->writer_stats();
      return StoreCounters{stats.units, stats.transactions, stats.syncs};
    };
    server_ = std::make_unique<Server>(options, services);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_NE(server_->port(), 0);
    run_done_ = false;
    runner_ = std::thread([this] {
      server_->Run();
      run_done_ = true;
    });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    if (runner_.joinable()) runner_.join();
    server_.reset();
  }

  std::unique_ptr<HttpClient> Client() {
    return std::make_unique<HttpClient>("127.0.0.1", server_->port());
  }

  std::string Login(HttpClient& client, const std::string& user = "operator") {
    auto r =
        client.Post("/api/v1/auth/login", R"({"username":")" + user + R"(","password":"secret"})");
    EXPECT_EQ(r.status, 200) << r.body;
    simdjson::dom::parser parser;
    auto doc = ParseJson(parser, r.body);
    std::string_view token;
    EXPECT_FALSE(doc["token"].get(token));
    return std::string(token);
  }

  static void ExpectJsonError(const HttpResult& r, int status, std::string_view code) {
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_FALSE(r.Header("X-Request-Id").empty());
    simdjson::dom::parser parser;
    auto doc = ParseJson(parser, r.body);
    std::string_view got;
    ASSERT_FALSE(doc["error"]["code"].get(got)) << r.body;
    EXPECT_EQ(got, code) << r.body;
    std::string_view message;
    EXPECT_FALSE(doc["error"]["message"].get(message)) << r.body;
    EXPECT_FALSE(doc["error"]["field"].error()) << r.body;
  }

  TempDir dir_;  // outlives the store
  FakeClock clock_;
  SodiumCrypto crypto_{SodiumCrypto::kOpsLimitMin, SodiumCrypto::kMemLimitMin};
  WriterGate gate_;  // outlives the store, which runs the gate's unit
  std::unique_ptr<SqliteStore> store_;
  std::shared_ptr<const ReferenceData> reference_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<EventService> events_;
  std::atomic<bool> writable_{true};
  std::atomic<bool> search_building_{false};
  std::unique_ptr<Server> server_;
  std::thread runner_;
  std::atomic<bool> run_done_{false};
};

TEST_F(ServerTest, HealthzAndKeepAlive) {
  StartServer();
  auto client = Client();
  for (int i = 0; i < 3; ++i) {
    auto r = client->Get("/healthz");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
    EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_FALSE(r.Header("X-Request-Id").empty());
    EXPECT_FALSE(r.closed);
    EXPECT_TRUE(client->connected());
  }
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
  StartServer();
  auto client = Client();
  ASSERT_TRUE(client->SendRaw(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(client->ReadResponse().status, 200);
  EXPECT_EQ(client->ReadResponse().status, 404);
  auto third = client->ReadResponse();
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(third.body, R"({"status":"ready","search_index":"ready"})");
}

TEST_F(ServerTest, RequestIdIsEchoedWhenPlain) {
  StartServer();
  auto client = Client();
  auto r = client->Get("/healthz", {{"X-Request-Id", "req-abc.123"}});
  EXPECT_EQ(r.Header("X-Request-Id"), "req-abc.123");
  auto odd = client->Get("/healthz", {{"X-Request-Id", "<script>"}});
  EXPECT_NE(odd.Header("X-Request-Id"), "<script>");
  EXPECT_FALSE(odd.Header("X-Request-Id").empty());
  auto a = client->Get("/healthz");
  auto b = client->Get("/healthz");
  EXPECT_NE(a.Header("X-Request-Id"), b.Header("X-Request-Id"));
}

TEST_F(ServerTest, Readyz) {
  StartServer();
  auto client = Client();
  EXPECT_EQ(client->Get("/readyz").status, 200);
  // A search index still being built leaves the server ready, and says so.
  search_building_ = true;
  auto building = client->Get("/readyz");
  EXPECT_EQ(building.status, 200);
  EXPECT_EQ(building.body, R"({"status":"ready","search_index":"building"})");
  // A store that can no longer make writes durable takes the server out of rotation.
  writable_ = false;
  auto failed = client->Get("/readyz");
  ExpectJsonError(failed, 503, "not_ready");
  EXPECT_NE(failed.body.find("the disk failed"), std::string::npos) << failed.body;
}

TEST_F(ServerTest, MetricsAreForAdministratorsAndTheMetricsToken) {
  ServerOptions options;
  options.metrics_token = "scrape-0123456789abcdef";
  StartServer(options);
  auto client = Client();
  EXPECT_EQ(client->Get("/healthz").status, 200);
  EXPECT_EQ(client->Get("/healthz").status, 200);
  ExpectJsonError(client->Get("/nothing/here"), 404, "not_found");
  const std::string operator_token = Login(*client);
  const std::string admin_token = Login(*client, "admin");
  ExpectJsonError(client->Get("/metrics"), 401, "unauthenticated");
  EXPECT_EQ(client->Get("/metrics", {{"Authorization", "Bearer scrape-0123456789abcdeX"}}).status,
            401);
  ExpectJsonError(client->Get("/metrics", {{"Authorization", "Bearer " + operator_token}}), 403,
                  "forbidden");

  // A unit's answer goes out before the writer counts it: let the counts settle.
  store_->Drain();
  auto scraped = client->Get("/metrics", {{"Authorization", "Bearer " + options.metrics_token}});
  ASSERT_EQ(scraped.status, 200) << scraped.body;
  EXPECT_EQ(scraped.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = scraped.body;
  for (const char* line : {
           // What was answered before this scrape, by route and status class.
           "civicgrid_http_requests_total{method=\"GET\",route=\"/healthz\",code=\"2xx\"} 2\n",
           "civicgrid_http_requests_total{route=\"unmatched\",code=\"4xx\"} 1\n",
           "civicgrid_http_requests_total{method=\"POST\",route=\"/api/v1/auth/login\","
           "code=\"2xx\"} 2\n",
           "civicgrid_http_requests_total{method=\"GET\",route=\"/metrics\",code=\"4xx\"} 3\n",
           "# TYPE civicgrid_http_request_duration_seconds histogram\n",
           "civicgrid_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\","
           "le=\"+Inf\"} 2\n",
           "civicgrid_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"} 2\n",
           "civicgrid_store_writes_durable 1\n",
           "civicgrid_search_index_state{state=\"ready\"} 1\n",
           "civicgrid_search_index_state{state=\"building\"} 0\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "in:\n" << text;
  }
  // The store's writer, as the store counts it (the seed and the two logins' sessions).
  const std::string units =
      "civicgrid_store_write_units_total " + std::to_string(store_->writer_stats().units) + "\n";
  EXPECT_EQ(store_->writer_stats().units, 3);
  EXPECT_NE(text.find(units), std::string::npos) << text;
  // Routes that answered nothing are left out.
  EXPECT_EQ(text.find("route=\"/api/v1/events\""), std::string::npos) << text;

  // An administrator's session token opens it too; the failed disk shows.
  writable_ = false;
  auto by_admin = client->Get("/metrics", {{"Authorization", "Bearer " + admin_token}});
  ASSERT_EQ(by_admin.status, 200) << by_admin.body;
  EXPECT_NE(by_admin.body.find("civicgrid_store_writes_durable 0\n"), std::string::npos);
  EXPECT_NE(
      by_admin.body.find(
          "civicgrid_http_requests_total{method=\"GET\",route=\"/metrics\",code=\"2xx\"} 1\n"),
      std::string::npos)
      << by_admin.body;
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedAreJson) {
  StartServer();
  auto client = Client();
  ExpectJsonError(client->Get("/api/v1/nothing"), 404, "not_found");
  ExpectJsonError(client->Get("/"), 404, "not_found");  // no static dir
  auto r = client->Request("DELETE", "/api/v1/events");
  ExpectJsonError(r, 405, "method_not_allowed");
  EXPECT_EQ(r.Header("Allow"), "POST, GET");
}

TEST_F(ServerTest, AuthenticationIsRequired) {
  StartServer();
  auto client = Client();
  for (const char* path : {"/api/v1/me", "/api/v1/events", "/api/v1/events/1", "/api/v1/categories",
                           "/api/v1/calendar/deadline"}) {
    auto r = client->Get(path);
    ExpectJsonError(r, 401, "unauthenticated");
    EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer");
  }
  ExpectJsonError(client->Get("/api/v1/me", {{"Authorization", "Bearer nope"}}), 401,
                  "invalid_token");
  ExpectJsonError(client->Get("/api/v1/me", {{"Authorization", "Basic b3A6cA=="}}), 401,
                  "unauthenticated");
}

TEST_F(ServerTest, LoginMeLogout) {
  StartServer();
  auto client = Client();
  ExpectJsonError(
      client->Post("/api/v1/auth/login", R"({"username":"operator","password":"wrong"})"), 401,
      "invalid_credentials");
  ExpectJsonError(client->Post("/api/v1/auth/login", R"({"username":"nobody","password":"wrong"})"),
                  401, "invalid_credentials");
  ExpectJsonError(client->Post("/api/v1/auth/login", R"({"username":"operator"})"), 400,
                  "missing_field");
  ExpectJsonError(client->Post("/api/v1/auth/login", "username=operator",
                               {{"Content-Type", "application/x-www-form-urlencoded"}}),
                  415, "unsupported_media_type");

  auto r = client->Post("/api/v1/auth/login", R"({"username":"operator","password":"secret"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  simdjson::dom::parser parser;
  auto login = ParseJson(parser, r.body);
  std::string_view token, expires_at, username, display_name;
  ASSERT_FALSE(login["token"].get(token));
  ASSERT_FALSE(login["expires_at"].get(expires_at));
  EXPECT_EQ(expires_at.substr(19), "+08:00");
  ASSERT_FALSE(login["user"]["username"].get(username));
  EXPECT_EQ(username, "operator");
  ASSERT_FALSE(login["user"]["display_name"].get(display_name));
  EXPECT_EQ(display_name, "话务员小王");

  client->set_token(std::string(token));
  auto me = client->Get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  auto doc = ParseJson(parser, me.body);
  int64_t id = 0;
  EXPECT_FALSE(doc["id"].get(id));
  EXPECT_EQ(id, 7);
  std::string_view role, region_name, region_level;
  ASSERT_FALSE(doc["roles"].at(0).get(role));
  EXPECT_EQ(role, "operator");
  EXPECT_TRUE(doc["department"].is_null());
  ASSERT_FALSE(doc["region"]["name"].get(region_name));
  EXPECT_EQ(region_name, "和平区");
  ASSERT_FALSE(doc["region"]["level"].get(region_level));
  EXPECT_EQ(region_level, "district");

  auto out = client->Post("/api/v1/auth/logout", "");
  EXPECT_EQ(out.status, 200) << out.body;
  ExpectJsonError(client->Get("/api/v1/me"), 401, "invalid_token");
}

TEST_F(ServerTest, ReferenceData) {
  StartServer();
  auto client = Client();
  client->set_token(Login(*client));
  simdjson::dom::parser parser;

  auto categories = client->Get("/api/v1/categories");
  ASSERT_EQ(categories.status, 200);
  auto c = ParseJson(parser, categories.body)["items"].at(1);
  EXPECT_EQ(std::string_view(c["code"]), "0101");
  EXPECT_EQ(std::string_view(c["parent"]), "01");
  EXPECT_EQ(int64_t(c["department"]["id"]), 11);
  EXPECT_EQ(int64_t(c["time_limit"]["amount"]), 3);
  EXPECT_EQ(std::string_view(c["time_limit"]["unit"]), "working_days");
  auto top = ParseJson(parser, categories.body)["items"].at(0);
  EXPECT_TRUE(top["parent"].is_null());
  EXPECT_TRUE(top["time_limit"].is_null());
  EXPECT_TRUE(top["department"].is_null());

  auto departments = client->Get("/api/v1/departments");
  ASSERT_EQ(departments.status, 200);
  EXPECT_EQ(std::string_view(ParseJson(parser, departments.body)["items"].at(0)["name"]),
            "城市管理局");

  auto regions = client->Get("/api/v1/regions");
  ASSERT_EQ(regions.status, 200);
  auto tree = ParseJson(parser, regions.body)["items"];
  EXPECT_EQ(tree.get_array().size(), 1u);
  auto grid = tree.at(0)["children"].at(0)["children"].at(0)["children"].at(0)["children"].at(0);
  EXPECT_EQ(std::string_view(grid["level"]), "grid");
  EXPECT_EQ(std::string_view(grid["name"]), "第一网格");
  EXPECT_TRUE(grid["geometry"].error());  // omitted by default
  auto with_geometry = client->Get("/api/v1/regions?geometry=1");
  auto g = ParseJson(parser, with_geometry.body)["items"]
               .at(0)["children"]
               .at(0)["children"]
               .at(0)["children"]
               .at(0)["children"]
               .at(0)["geometry"];
  EXPECT_EQ(std::string_view(g["type"]), "Polygon");
  EXPECT_EQ(double(g["coordinates"].at(0).at(1).at(0)), 123.1);
}

TEST_F(ServerTest, CalendarDeadline) {
  StartServer();
  auto client = Client();
  client->set_token(Login(*client));
  auto r = client->Get(
      "/api/v1/calendar/deadline?start=2026-03-02T10:00:00%2B08:00&amount=3&unit=working_days");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"deadline":"2026-03-05T17:30:00+08:00"})");
  ExpectJsonError(client->Get("/api/v1/calendar/deadline?start=2026-03-02&amount=3&unit=weeks"),
                  422, "invalid_argument");
  ExpectJsonError(client->Get("/api/v1/calendar/deadline?amount=3&unit=hours"), 422,
                  "invalid_argument");
  ExpectJsonError(client->Get("/api/v1/calendar/deadline?start=yesterday&amount=3&unit=hours"), 422,
                  "invalid_argument");
  ExpectJsonError(client->Get("/api/v1/calendar/deadline?start=2026-03-02&amount=-1&unit=hours"),
                  422, "invalid_argument");
}

TEST_F(ServerTest, EventRequestsRefusedBeforeTheUseCase) {
  StartServer();
  auto client = Client();
  client->set_token(Login(*client));
  const std::string good =
      R"({"source":"hotline","category":"0101","title":"井盖缺失","location":{"lon":123.43,"lat":41.8}})";
  ExpectJsonError(client->Post("/api/v1/events", good, {{"Content-Type", "text/plain"}}), 415,
                  "unsupported_media_type");
  ExpectJsonError(
      client->Post("/api/v1/events", good, {{"Content-Type", "application/json; charset=gbk"}}),
      415, "unsupported_media_type");
  ExpectJsonError(client->Post("/api/v1/events", "{"), 400, "invalid_json");
  ExpectJsonError(client->Post("/api/v1/events", "{\"title\":\"\xff\"}"), 400, "invalid_utf8");
  ExpectJsonError(client->Post("/api/v1/events", R"({"source":"hotline"})"), 400, "missing_field");
  ExpectJsonError(client->Post("/api/v1/events", R"({"source":"fax","category":"0101","title":"t",)"
                                                 R"("location":{"lon":1,"lat":2}})"),
                  422, "unknown_source");
  ExpectJsonError(
      client->Post("/api/v1/events", good, {{"Idempotency-Key", std::string(300, 'k')}}), 422,
      "invalid_idempotency_key");

  ExpectJsonError(client->Get("/api/v1/events/abc"), 404, "not_found");
  ExpectJsonError(client->Get("/api/v1/events/0"), 404, "not_found");
  ExpectJsonError(client->Get("/api/v1/events/-3/history"), 404, "not_found");
  ExpectJsonError(client->Post("/api/v1/events/x/actions", R"({"action":"accept"})"), 404,
                  "not_found");
  ExpectJsonError(client->Post("/api/v1/events/5/actions", R"({"action":"accept"})"), 400,
                  "missing_field");
  ExpectJsonError(
      client->Post("/api/v1/events/5/actions", R"({"action":"fly","expected_version":1})"), 422,
      "unknown_action");

  for (const char* query : {"limit=501", "limit=0", "limit=x", "cursor=%21%21", "from=tomorrow",
                            "to=2026-13-01", "region=999", "region=abc", "grid=-1", "status=open",
                            "source=fax", "overdue=maybe", "department=0"}) {
    ExpectJsonError(client->Get(std::string("/api/v1/events?") + query), 422, "invalid_argument");
  }
  ExpectJsonError(client->Get("/api/v1/events?q=%ff"), 400, "invalid_utf8");
}

// Every filter of the query string reaches the store: two events match them all, and each of the
// others misses one of them.
TEST_F(ServerTest, ListAppliesEveryFilter) {
  auto event = [](EventId id, std::string title) {
    Event e;
    e.id = id;
    e.number = "20260101-" + std::to_string(1000000 + id).substr(1);
    e.source = EventSource::kHotline;
    e.category = "0101";
    e.title = std::move(title);
    e.lon = 123.08;
    e.lat = 41.02;
    e.grid_id = 5;
    e.community_id = 4;
    e.street_id = 3;
    e.district_id = 2;
    e.owner_region_id = 3;
    e.status = EventStatus::kAccepted;
    e.department_id = 11;
    e.deadline = At("2026-02-10T17:30:00+08:00");    // before the clock's now: overdue
    e.created_at = At("2026-01-01T00:00:00+08:00");  // `from` is inclusive
    e.updated_at = e.created_at;
    return e;
  };
  std::vector<Event> events;
  events.push_back(event(1, "井盖缺失"));  // matches
  events.push_back(event(2, "井盖缺失"));
  events.back().status = EventStatus::kDispatched;
  events.push_back(event(3, "井盖缺失"));
  events.back().category = "0201";
  events.push_back(event(4, "井盖缺失"));  // another street (and grid)
  events.back().lon = 123.28;
  events.back().grid_id = 9;
  events.back().community_id = 8;
  events.back().street_id = 7;
  events.back().owner_region_id = 7;
  events.push_back(event(5, "井盖缺失"));  // the same street, another grid
  events.back().lon = 123.02;
  events.back().lat = 41.08;
  events.back().grid_id = 6;
  events.push_back(event(6, "井盖缺失"));
  events.back().department_id = 12;
  events.push_back(event(7, "井盖缺失"));
  events.back().source = EventSource::kWeb;
  events.push_back(event(8, "井盖缺失"));
  events.back().created_at = At("2025-12-31T23:59:59+08:00");
  events.push_back(event(9, "井盖缺失"));  // `to` is exclusive; 00:00Z is 08:00+08:00
  events.back().created_at = At("2026-02-01T08:00:00+08:00");
  events.push_back(event(10, "井盖缺失"));
  events.back().deadline = At("2026-03-05T17:30:00+08:00");
  events.push_back(event(11, "井盖缺失"));
  events.back().deadline.reset();
  events.push_back(event(12, "路灯不亮"));
  events.push_back(event(13, "路面井盖松动"));  // matches
  events.back().status = EventStatus::kReported;
  events.back().created_at = At("2026-02-01T07:59:59+08:00");
  Status seeded = Write(*store_, [&](WriteTx& tx) -> Status {
    for (Event& e : events) {
      if (auto s = tx.InsertEvent(e); !s) return s;
    }
    return Status::Ok();
  });
  ASSERT_TRUE(seeded.ok()) << seeded.error().message;

  StartServer();
  auto client = Client();
  client->set_token(Login(*client));
  const std::string head = "/api/v1/events?status=reported,accepted&category=01";
  const std::string rest =
      "&department=11&source=hotline&from=2026-01-01&to=2026-02-01T00:00:00Z&overdue=true"
      "&q=%E4%BA%95%E7%9B%96";
  const std::string filter = head + "&region=3&grid=5" + rest;
  simdjson::dom::parser parser;
  auto r = client->Get(filter + "&limit=20");
  ASSERT_EQ(r.status, 200) << r.body;
  auto page = ParseJson(parser, r.body);
  auto items = page["items"].get_array();
  ASSERT_FALSE(items.error()) << r.body;
  ASSERT_EQ(items.size(), 2u) << r.body;
  EXPECT_EQ(int64_t(items.at(0)["id"]), 13) << r.body;  // newest first
  EXPECT_EQ(std::string_view(items.at(0)["status"]), "reported");
  EXPECT_EQ(std::string_view(items.at(0)["title"]), "路面井盖松动");
  EXPECT_TRUE(bool(items.at(0)["overdue"]));
  EXPECT_EQ(int64_t(items.at(1)["id"]), 1) << r.body;
  EXPECT_EQ(std::string_view(items.at(1)["status"]), "accepted");
  EXPECT_TRUE(page["next_cursor"].is_null());

  // The region alone: the street's other grid is in it, the other street is not.
  auto street = client->Get(head + "&region=3" + rest + "&limit=20");
  ASSERT_EQ(street.status, 200) << street.body;
  auto street_items = ParseJson(parser, street.body)["items"].get_array();
  ASSERT_EQ(street_items.size(), 3u) << street.body;
  EXPECT_EQ(int64_t(street_items.at(1)["id"]), 5) << street.body;

  // The limit reaches the store too: one a page, then the next page from the cursor.
  auto first = client->Get(filter + "&limit=1");
  ASSERT_EQ(first.status, 200) << first.body;
  auto first_page = ParseJson(parser, first.body);
  ASSERT_EQ(first_page["items"].get_array().size(), 1u) << first.body;
  EXPECT_EQ(int64_t(first_page["items"].at(0)["id"]), 13);
  std::string_view cursor;
  ASSERT_FALSE(first_page["next_cursor"].get(cursor)) << first.body;
  const std::string next_url = filter + "&limit=1&cursor=" + std::string(cursor);
  auto second = client->Get(next_url);
  ASSERT_EQ(second.status, 200) << second.body;
  auto second_page = ParseJson(parser, second.body);
  ASSERT_EQ(second_page["items"].get_array().size(), 1u) << second.body;
  EXPECT_EQ(int64_t(second_page["items"].at(0)["id"]), 1);
}

TEST_F(ServerTest, GetOfAMissingEventIs404) {
  StartServer();
  auto client = Client();
  client->set_token(Login(*client));
  ExpectJsonError(client->Get("/api/v1/events/12345"), 404, "not_found");
}

TEST_F(ServerTest, BodyTooLargeIs413AndCloses) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  auto client = Client();
  auto r = client->Post("/api/v1/auth/login", std::string(5000, ' '));
  ExpectJsonError(r, 413, "payload_too_large");
  EXPECT_TRUE(r.closed);
  // Chunked bodies are limited too.
  auto chunked = Client();
  std::string body(3000, 'x');
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  auto c = chunked->Raw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
      std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n");
  ExpectJsonError(c, 413, "payload_too_large");
}

TEST_F(ServerTest, HeadersTooLargeIs431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  StartServer(options);
  auto client = Client();
  auto r = client->Get("/healthz", {{"X-Padding", std::string(4000, 'a')}});
  ExpectJsonError(r, 431, "headers_too_large");
  EXPECT_TRUE(r.closed);
}

TEST_F(ServerTest, MalformedHttpIs400) {
  StartServer();
  auto client = Client();
  auto r = client->Raw("GET /healthz HTTP/1.1\r\nHost x\r\n\r\n");
  ExpectJsonError(r, 400, "bad_request");
  EXPECT_TRUE(r.closed);
  auto bad_length = Client();
  ExpectJsonError(bad_length->Raw("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                                  "Content-Length: abc\r\n\r\n"),
                  400, "bad_request");
}

TEST_F(ServerTest, ExpectContinue) {
  StartServer();
  auto client = Client();
  ASSERT_TRUE(client->SendRaw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: 43\r\n\r\n"));
  auto interim = client->ReadResponse();
  ASSERT_TRUE(interim.ok) << interim.error;
  EXPECT_EQ(interim.status, 100);
  ASSERT_TRUE(client->SendRaw(R"({"username":"operator","password":"secret"})"));
  auto final_response = client->ReadResponse();
  EXPECT_EQ(final_response.status, 200) << final_response.body;
}

TEST_F(ServerTest, HeadAnswersLikeGetWithoutABody) {
  StartServer();
  auto client = Client();
  auto head = client->Request("HEAD", "/healthz");
  ASSERT_TRUE(head.ok) << head.error;
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("Content-Length"), "15");
  EXPECT_EQ(head.body, "");
  auto get = client->Get("/healthz");  // the connection is still in step
  EXPECT_EQ(get.body, R"({"status":"ok"})");
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAlive) {
  StartServer();
  auto client = Client();
  auto r = client->Raw("GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.closed);
}

TEST_F(ServerTest, ReadTimeoutClosesSlowAndIdleConnections) {
  ServerOptions options;
  options.read_timeout = 300ms;
  StartServer(options);
  auto slow = Client();
  ASSERT_TRUE(slow->SendRaw("GET /healthz HTTP/1.1\r\nHo"));
  EXPECT_TRUE(slow->PeerClosed(3000ms));
  auto idle = Client();
  EXPECT_EQ(idle->Get("/healthz").status, 200);
  EXPECT_TRUE(idle->PeerClosed(3000ms));
}

TEST_F(ServerTest, StopClosesIdleConnectionsAndRunReturns) {
  StartServer();
  auto idle = Client();
  EXPECT_EQ(idle->Get("/healthz").status, 200);
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  runner_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_TRUE(idle->PeerClosed(1000ms));
  server_.reset();
}

TEST_F(ServerTest, StopLetsInFlightRequestsFinish) {
  StartServer();
  gate_.Close(*store_);  // the login's session insert cannot commit until the gate opens
  auto client = Client();
  const int clock_reads = clock_.reads();
  ASSERT_TRUE(client->SendRaw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 43\r\n\r\n{\"username\":\"operator\",\"password\":\"secret\"}"));
  // The login has checked the password and dates its session: it is in flight, and its commit
  // waits behind the gate.
  ASSERT_TRUE(clock_.WaitForReadsAbove(clock_reads, 10s));
  server_->Stop();
  gate_.Open();
  auto r = client->ReadResponse();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.closed);
  runner_.join();
  EXPECT_TRUE(run_done_);
  // No new connections after Stop.
  HttpClient late("127.0.0.1", server_->port());
  EXPECT_FALSE(late.Get("/healthz").ok);
  server_.reset();
}

TEST_F(ServerTest, ManyConcurrentClients) {
  StartServer();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      HttpClient c("127.0.0.1", server_->port());
      for (int i = 0; i < 50; ++i) {
        if (c.Get("/healthz").status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 16 * 50);
}

TEST_F(ServerTest, StaticFilesBesideTheApi) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("civicgrid-www-" + std::to_string(::getpid()));
  fs::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<!doctype html>";
  std::ofstream(dir / "assets" / "app.js") << "1";
  ServerOptions options;
  options.static_dir = dir.string();
  StartServer(options);
  auto client = Client();
  auto index = client->Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html>");
  EXPECT_EQ(index.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(index.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(index.Header("Content-Security-Policy").empty());
  EXPECT_EQ(client->Get("/dashboard/grids").body, "<!doctype html>");
  EXPECT_EQ(client->Get("/assets/app.js").Header("Content-Type"), "text/javascript; charset=utf-8");
  ExpectJsonError(client->Get("/%2e%2e/%2e%2e/etc/passwd"), 400, "invalid_path");
  ExpectJsonError(client->Get("/api/v1/unknown"), 404, "not_found");
  ExpectJsonError(client->Post("/index.html", "{}"), 404, "not_found");
  StopServer();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace civicgrid
