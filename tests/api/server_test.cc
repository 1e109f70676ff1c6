// The server in-process, over real sockets: transport behaviour (keep-alive, limits, timeouts,
// graceful stop), routing, authentication, and the validation the handlers do before calling a
// use case. The use cases run on a fake store that knows users and sessions only; the full
// closed loop runs against the real binary in the integration suite.
#include "api/server.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "api/http_client.h"
#include "core/events/event_service.h"
#include "core/identity/auth_service.h"
#include "core/ports/clock.h"
#include "core/ports/crypto.h"
#include "core/ports/geo_index.h"
#include "core/ports/store.h"
#include "core/routing/reference_data.h"
#include "core/territory/territory.h"

namespace civicgrid {
namespace {

using testing::HttpClient;
using testing::HttpResult;
using namespace std::chrono_literals;

class FakeClock final : public Clock {
 public:
  TimeMs Now() const override { return *ParseIso("2026-03-02T10:00:00+08:00"); }
};

class FakeCrypto final : public Crypto {
 public:
  std::string Sha256Hex(std::string_view data) const override { return "h:" + std::string(data); }
  Result<std::string> HashPassword(std::string_view password) const override {
    return "hash:" + std::string(password);
  }
  bool VerifyPassword(std::string_view hash, std::string_view password) const override {
    return hash == "hash:" + std::string(password);
  }
  std::string RandomToken() const override { return "token" + std::to_string(++counter_); }

 private:
  mutable std::atomic<int> counter_{0};
};

// Users and sessions in memory; commits on a separate thread after `commit_delay`, like the
// real group-committing writer. Events: none.
class FakeStore final : public Store {
 public:
  ~FakeStore() override { Drain(); }

  void AddUser(User u) { users_[u.username] = std::move(u); }
  std::chrono::milliseconds commit_delay{0};

  Result<std::vector<Region>> LoadRegions() override { return std::vector<Region>{}; }
  Result<std::vector<Department>> LoadDepartments() override { return std::vector<Department>{}; }
  Result<std::vector<Category>> LoadCategories() override { return std::vector<Category>{}; }
  Result<std::optional<User>> FindUserByName(std::string_view username) override {
    auto it = users_.find(std::string(username));
    if (it == users_.end()) return std::optional<User>();
    return std::optional<User>(it->second);
  }
  Result<std::optional<User>> FindUser(UserId id) override {
    for (const auto& [name, u] : users_) {
      if (u.id == id) return std::optional<User>(u);
    }
    return std::optional<User>();
  }
  Result<std::optional<Session>> FindSession(std::string_view token_hash) override {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(std::string(token_hash));
    if (it == sessions_.end()) return std::optional<Session>();
    return std::optional<Session>(it->second);
  }
  Result<std::optional<Event>> FindEvent(EventId) override { return std::optional<Event>(); }
  Result<EventPage> ListEvents(const EventQuery& query) override {
    std::lock_guard lock(mu_);
    last_query_ = query;
    return EventPage{};
  }
  Result<std::vector<HistoryEntry>> EventHistory(EventId) override {
    return std::vector<HistoryEntry>{};
  }
  Status ScanHistory(const std::function<bool(const HistoryEntry&)>&) override {
    return Status::Ok();
  }
  void Submit(WriteWork work, WriteDone done) override {
    std::lock_guard lock(mu_);
    writers_.emplace_back([this, work = std::move(work), done = std::move(done)] {
      std::this_thread::sleep_for(commit_delay);
      Tx tx(*this);
      Status s = work(tx);
      done(s);
    });
  }
  void Drain() override {
    std::vector<std::thread> writers;
    {
      std::lock_guard lock(mu_);
      writers.swap(writers_);
    }
    for (auto& t : writers) t.join();
  }
  EventQuery last_query() {
    std::lock_guard lock(mu_);
    return last_query_;
  }

 private:
  class Tx final : public WriteTx {
   public:
    explicit Tx(FakeStore& s) : s_(s) {}
    Result<std::optional<Event>> FindEvent(EventId) override { return std::optional<Event>(); }
    Result<std::optional<EventId>> FindIdempotentEvent(UserId, std::string_view) override {
      return std::optional<EventId>();
    }
    Status PutIdempotencyKey(UserId, std::string_view, EventId, TimeMs) override { return No(); }
    Result<std::int64_t> NextDailySequence(std::string_view) override { return No(); }
    Result<EventId> NextEventId() override { return No(); }
    Status InsertEvent(Event&) override { return No(); }
    Status UpdateEvent(const Event&) override { return No(); }
    Status AppendHistory(const HistoryEntry&) override { return No(); }
    Status InsertSession(const Session& session) override {
      std::lock_guard lock(s_.mu_);
      s_.sessions_[session.token_hash] = session;
      return Status::Ok();
    }
    Status DeleteSession(std::string_view token_hash) override {
      std::lock_guard lock(s_.mu_);
      s_.sessions_.erase(std::string(token_hash));
      return Status::Ok();
    }
    Status InsertRegion(Region&) override { return No(); }
    Status InsertDepartment(Department&) override { return No(); }
    Status UpsertCategory(const Category&) override { return No(); }
    Status InsertUser(User&) override { return No(); }

   private:
    static Error No() { return Error(ErrorCode::kInternal, "not in the fake store"); }
    FakeStore& s_;
  };

  std::map<std::string, User> users_;  // fixed before the server starts
  std::mutex mu_;
  std::map<std::string, Session> sessions_;  // guarded by mu_
  std::vector<std::thread> writers_;         // guarded by mu_
  EventQuery last_query_;                    // guarded by mu_
};

std::shared_ptr<const ReferenceData> MakeReference() {
  std::vector<Region> regions;
  auto add = [&](RegionId id, RegionId parent, RegionLevel level, std::string code,
                 std::string name) {
    Region r;
    r.id = id;
    r.parent_id = parent;
    r.level = level;
    r.code = std::move(code);
    r.name = std::move(name);
    if (level == RegionLevel::kGrid) {
      r.polygon.rings = {{{123.0, 41.0}, {123.1, 41.0}, {123.1, 41.1}, {123.0, 41.0}}};
    }
    regions.push_back(std::move(r));
  };
  add(1, 0, RegionLevel::kCity, "2101", "沈阳市");
  add(2, 1, RegionLevel::kDistrict, "210102", "和平区");
  add(3, 2, RegionLevel::kStreet, "210102001", "太原街街道");
  add(4, 3, RegionLevel::kCommunity, "210102001001", "南京社区");
  add(5, 4, RegionLevel::kGrid, "210102001001001", "第一网格");
  std::vector<Department> departments = {{11, "urban", "城市管理局", "Urban Management", 2}};
  Category c;
  c.code = "0101";
  c.name = "井盖缺失";
  c.name_en = "Missing manhole cover";
  c.parent_code = "01";
  c.department_id = 11;
  c.time_limit = 3;
  c.time_unit = TimeUnit::kWorkingDays;
  Category parent;
  parent.code = "01";
  parent.name = "市政设施";
  return std::make_shared<const ReferenceData>(
      std::make_unique<Territory>(std::move(regions), nullptr), std::move(departments),
      std::vector<Category>{parent, c}, WorkingCalendar());
}

simdjson::dom::element ParseJson(simdjson::dom::parser& parser, const std::string& body) {
  auto r = parser.parse(body);
  EXPECT_FALSE(r.error()) << body;
  return r.value_unsafe();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reference_ = MakeReference();
    User op;
    op.id = 7;
    op.username = "operator";
    op.display_name = "话务员小王";
    op.password_hash = "hash:secret";
    op.roles = {Role::kOperator};
    op.region_id = 2;
    store_.AddUser(op);
    User handler;
    handler.id = 8;
    handler.username = "handler";
    handler.password_hash = "hash:secret";
    handler.roles = {Role::kHandler};
    handler.department_id = 11;
    store_.AddUser(handler);
    auto source = [this] { return reference_; };
    auth_ = std::make_unique<AuthService>(store_, clock_, crypto_, source);
    events_ = std::make_unique<EventService>(store_, clock_, crypto_, source);
  }

  void TearDown() override { StopServer(); }

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
    services.ready = [this] { return ready_.load(); };
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

  FakeClock clock_;
  FakeCrypto crypto_;
  FakeStore store_;
  std::shared_ptr<const ReferenceData> reference_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<EventService> events_;
  std::atomic<bool> ready_{true};
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
  EXPECT_EQ(third.body, R"({"status":"ready"})");
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
  ready_ = false;
  ExpectJsonError(client->Get("/readyz"), 503, "not_ready");
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

TEST_F(ServerTest, ListPassesTheFilterToTheStore) {
  StartServer();
  auto client = Client();
  client->set_token(Login(*client));
  auto r = client->Get(
      "/api/v1/events?status=reported,accepted&category=01&region=3&grid=5&department=11&"
      "source=hotline&from=2026-01-01&to=2026-02-01T00:00:00Z&overdue=true&q=%E4%BA%95%E7%9B%96"
      "&limit=20");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"items":[],"next_cursor":null})");
  EventQuery q = store_.last_query();
  ASSERT_EQ(q.statuses.size(), 2u);
  EXPECT_EQ(q.statuses[1], EventStatus::kAccepted);
  EXPECT_EQ(q.category, "01");
  EXPECT_EQ(q.region_id, 3);
  EXPECT_EQ(q.region_level, RegionLevel::kStreet);
  EXPECT_EQ(q.grid_id, 5);
  EXPECT_EQ(q.department_id, 11);
  EXPECT_EQ(q.source, EventSource::kHotline);
  EXPECT_EQ(q.created_from, ParseIso("2026-01-01"));
  EXPECT_EQ(q.created_to, ParseIso("2026-02-01T08:00:00+08:00"));
  EXPECT_EQ(q.overdue, true);
  EXPECT_EQ(q.text, "井盖");
  EXPECT_EQ(q.limit, 20);
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
  store_.commit_delay = 600ms;  // the login's session insert commits slowly
  StartServer();
  auto client = Client();
  ASSERT_TRUE(client->SendRaw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 43\r\n\r\n{\"username\":\"operator\",\"password\":\"secret\"}"));
  std::this_thread::sleep_for(150ms);  // the request is waiting for its commit
  server_->Stop();
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
