// Hostile input (issue 4): SQL metacharacters in every string field and query parameter, JSON
// with duplicate keys, deep nesting, huge numbers, invalid UTF-8 and overlong encodings, path
// traversal. Each is answered with a clear 4xx (or, for free text, stored verbatim), nothing is
// written on refusal (the audit log, which every write appends to, keeps its length), and the
// server stays healthy.
#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

constexpr const char* kSqlPayloads[] = {
    "' OR '1'='1",
    "'; DROP TABLE events; --",
    "\\\" OR 1=1 --",
    "1; DELETE FROM audit_log",
    "%' UNION SELECT password_hash FROM users --",
    "Robert'); DROP TABLE users;--",
};

class InjectionTest : public DemoServerTest {
 protected:
  void ExpectHealthy() {
    auto anon = Anonymous();
    EXPECT_EQ(anon->Get("/healthz").status, 200);
    EXPECT_EQ(As("admin")->Get("/api/v1/events?limit=1").status, 200);
  }
  // Sends the request as the admin (no full-contact views, so reads write nothing) and checks
  // the answer is a 4xx with a JSON error and that the audit log did not grow.
  HttpResult ExpectRefused(const std::string& method, const std::string& target,
                           const std::string& body = {}, const HttpHeaders& headers = {}) {
    auto auditor = As("auditor");
    const std::int64_t before = AuditTail(*auditor);
    auto r = As("admin")->Request(method, target, body, headers);
    EXPECT_GE(r.status, 400) << method << " " << target << " " << body << "\n" << r.body;
    EXPECT_LT(r.status, 500) << method << " " << target << "\n" << r.body;
    EXPECT_FALSE(ErrorCodeOf(r).empty()) << r.body;
    EXPECT_EQ(AuditTail(*auditor), before) << method << " " << target << " wrote something";
    return r;
  }
};

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

TEST_F(InjectionTest, SqlMetacharactersInFreeTextAreStoredVerbatim) {
  auto admin = As("admin");
  for (const char* const& payload : kSqlPayloads) {
    const std::string text = JsonEscape(payload);
    std::string body = CreateBody("注入" + text);
    auto r = admin->Post("/api/v1/events", body);
    ASSERT_EQ(r.status, 201) << r.body;
    Json e(r.body);
    EXPECT_EQ(std::string_view(e["title"]), "注入" + std::string(payload));
    // Address and reporter name too.
    std::string other_fields = CreateBody("注入其他字段");
    other_fields.replace(other_fields.find("东门"), std::string("东门").size(), text);
    other_fields.replace(other_fields.find("王先生"), std::string("王先生").size(), text);
    auto stored = admin->Post("/api/v1/events", other_fields);
    ASSERT_EQ(stored.status, 201) << stored.body;
    Json o(stored.body);
    EXPECT_EQ(std::string_view(o["location"]["address"]), payload) << stored.body;
    EXPECT_EQ(std::string_view(o["reporter"]["name"]), payload) << stored.body;
    // A user's display name, through create and update.
    const std::string name = "inj.user." + std::to_string(&payload - kSqlPayloads);
    auto user =
        admin->Post("/api/v1/users", R"({"username":")" + name + R"(","display_name":")" + text +
                                         R"(","password":"initial-pass-1","roles":["citizen"]})");
    ASSERT_EQ(user.status, 201) << user.body;
    EXPECT_EQ(StringField(user, "display_name"), payload);
    auto patched = admin->Request("PATCH", "/api/v1/users/" + std::to_string(IntField(user, "id")),
                                  R"({"display_name":"改)" + text + R"("})");
    EXPECT_EQ(patched.status, 200) << patched.body;
    // The same text as a search finds it or nothing, never an error.
    auto search = admin->Get("/api/v1/events?q=" + std::string("%27%20OR%20%271%27%3D%271"));
    EXPECT_EQ(search.status, 200) << search.body;
  }
  ExpectHealthy();
}

TEST_F(InjectionTest, SqlMetacharactersInIdentifierFieldsAreRefused) {
  for (const char* payload : kSqlPayloads) {
    const std::string p = JsonEscape(payload);
    std::string bad_category = CreateBody("类别注入", p);
    ExpectRefused("POST", "/api/v1/events", bad_category);
    std::string bad_source = CreateBody("来源注入");
    bad_source.replace(bad_source.find("hotline"), 7, p);
    ExpectRefused("POST", "/api/v1/events", bad_source);
    ExpectRefused("POST", "/api/v1/users",
                  R"({"username":")" + p + R"(","password":"initial-pass-1","roles":["citizen"]})");
    ExpectRefused("POST", "/api/v1/users",
                  R"({"username":"ok.name","password":"initial-pass-1","roles":[")" + p + R"("]})");
    ExpectRefused("POST", "/api/v1/events/1/actions",
                  R"({"action":")" + p + R"(","expected_version":1})");
  }
  // Logins with metacharacters are wrong credentials, nothing more.
  auto anon = Anonymous();
  auto login =
      anon->Post("/api/v1/auth/login", R"({"username":"admin' --","password":"x' OR 1=1"})");
  EXPECT_EQ(login.status, 401) << login.body;
  ExpectHealthy();
}

TEST_F(InjectionTest, SqlMetacharactersInQueryParametersAreRefusedOrHarmless) {
  const std::string encoded = "%27%3B%20DROP%20TABLE%20events%3B%20--";
  for (const char* param : {"status", "source", "department", "grid", "region", "from", "to",
                            "updated_from", "updated_to", "overdue", "cursor", "limit"}) {
    ExpectRefused("GET", "/api/v1/events?" + std::string(param) + "=" + encoded);
  }
  for (const char* param : {"user_id", "from", "to", "cursor", "limit"}) {
    ExpectRefused("GET", "/api/v1/audit?" + std::string(param) + "=" + encoded);
  }
  for (const char* param : {"cursor", "limit"}) {
    ExpectRefused("GET", "/api/v1/users?" + std::string(param) + "=" + encoded);
  }
  ExpectRefused("GET", "/api/v1/events/" + encoded);
  ExpectRefused("GET", "/api/v1/users/" + encoded);
  // Text search treats it as words: it finds the event stored with that title in an earlier
  // test (if any) and nothing else.
  auto admin = As("admin");
  auto search = admin->Get("/api/v1/events?q=" + encoded);
  ASSERT_EQ(search.status, 200) << search.body;
  Json found(search.body);
  for (auto item : found["items"].get_array()) {
    EXPECT_NE(std::string_view(item["title"]).find("DROP TABLE events"), std::string_view::npos);
  }
  // Other free-text filters match nothing rather than everything.
  for (const std::string& target :
       {"/api/v1/events?category=" + encoded,
        "/api/v1/audit?object_type=" + encoded + "&object_id=" + encoded}) {
    auto r = admin->Get(target);
    EXPECT_EQ(r.status, 200) << target << "\n" << r.body;
    EXPECT_EQ(Json(r.body)["items"].get_array().size(), 0u) << target;
  }
  ExpectHealthy();
}

TEST_F(InjectionTest, DuplicateKeysAreRefused) {
  ExpectRefused("POST", "/api/v1/events",
                R"({"title":"a","title":"b","source":"hotline","category":")" + category_ +
                    R"(","location":{"lon":1,"lat":1}})");
  ExpectRefused(
      "POST", "/api/v1/users",
      R"({"username":"dup.one","username":"admin","password":"initial-pass-1","roles":["citizen"]})");
  ExpectRefused(
      "POST", "/api/v1/users",
      R"({"username":"dup.two","password":"initial-pass-1","roles":["citizen"],"roles":["admin"]})");
  ExpectRefused("POST", "/api/v1/events/1/actions",
                R"({"action":"comment","action":"accept","expected_version":1})");
  auto r = Anonymous()->Post("/api/v1/auth/login",
                             R"({"username":"citizen","username":"admin","password":"x"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCodeOf(r), "duplicate_key");
  ExpectHealthy();
}

TEST_F(InjectionTest, DeepNestingAndHugeNumbersAreRefused) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  ExpectRefused("POST", "/api/v1/events", deep);
  ExpectRefused("POST", "/api/v1/events", R"({"title":"x","extra":)" + deep + "}");
  ExpectRefused("POST", "/api/v1/users", R"({"username":"deep.one","x":)" + deep + "}");
  std::string huge_lon = CreateBody("巨大数字");
  huge_lon.replace(huge_lon.find("\"lon\":") + 6, 1, "1e999999,\"_\":");
  ExpectRefused("POST", "/api/v1/events", huge_lon);
  std::string huge_priority = CreateBody("巨大优先级");
  huge_priority.insert(1, R"("priority":123456789012345678901234567890,)");
  ExpectRefused("POST", "/api/v1/events", huge_priority);
  ExpectRefused(
      "POST", "/api/v1/users",
      R"({"username":"big.num","password":"initial-pass-1","roles":["citizen"],"region_id":99999999999999999999})");
  ExpectRefused(
      "POST", "/api/v1/users",
      R"({"username":"neg.num","password":"initial-pass-1","roles":["citizen"],"region_id":-1})");
  ExpectRefused("GET", "/api/v1/events/99999999999999999999999");
  ExpectRefused("GET", "/api/v1/events?limit=99999999999999999999999");
  ExpectRefused("GET", "/api/v1/audit?user_id=99999999999999999999999");
  ExpectHealthy();
}

TEST_F(InjectionTest, InvalidUtf8AndOverlongEncodingsAreRefused) {
  for (const std::string& bad : {std::string("\xC0\xAF"),          // overlong '/'
                                 std::string("\xE0\x80\xAF"),      // overlong '/', 3 bytes
                                 std::string("\xF0\x80\x80\xAF"),  // overlong '/', 4 bytes
                                 std::string("\xC0\x80"),          // overlong NUL
                                 std::string("\xED\xA0\x80"),      // a UTF-16 surrogate
                                 std::string("\xFF\xFE"),          // never valid
                                 std::string("\xE4\xB8")}) {       // truncated 中
    ExpectRefused("POST", "/api/v1/events", CreateBody("坏编码" + bad));
    ExpectRefused("POST", "/api/v1/users",
                  R"({"username":"utf.bad","display_name":")" + bad +
                      R"(","password":"initial-pass-1","roles":["citizen"]})");
    ExpectRefused("POST", "/api/v1/auth/password",
                  R"({"old_password":")" + std::string(kDemoPassword) + R"(","new_password":"abc)" +
                      bad + R"(defgh"})");
  }
  for (const char* encoded : {"%C0%AF", "%E0%80%AF", "%ED%A0%80", "%FF"}) {
    ExpectRefused("GET", std::string("/api/v1/events?q=") + encoded);
    ExpectRefused("GET", std::string("/api/v1/audit?object_type=") + encoded);
  }
  ExpectHealthy();
}

TEST_F(InjectionTest, PathTraversalIsRefused) {
  auto anon = Anonymous();
  for (const char* path :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
        "/%c0%ae%c0%ae/etc/passwd", "/..%5c..%5cwindows", "/index.html%00.png", "/.git/config",
        "/api/v1/../../etc/passwd"}) {
    auto r = anon->Get(path);
    EXPECT_GE(r.status, 400) << path;
    EXPECT_LT(r.status, 500) << path;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << path;
  }
  ExpectHealthy();
}

// The same traversal against a server that serves a web UI directory.
TEST(StaticTraversalTest, StaticFilesNeverLeaveTheirDirectory) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 20, kDemoPassword);
  const std::string web = dir.path() + "/web";
  ASSERT_EQ(std::system(("mkdir -p " + web + " && echo '<h1>ok</h1>' > " + web +
                         "/index.html && echo secret > " + dir.path() + "/secret.txt")
                            .c_str()),
            0);
  ServerProcess server(db, {"--static", web});
  ASSERT_TRUE(server.Start());
  HttpClient c("127.0.0.1", server.port());
  EXPECT_EQ(c.Get("/index.html").status, 200);
  for (const char* path :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt",
        "/%c0%ae%c0%ae/secret.txt", "/.%2e/secret.txt", "//secret.txt", "/..\\secret.txt"}) {
    auto r = c.Get(path);
    EXPECT_GE(r.status, 400) << path;
    EXPECT_LT(r.status, 500) << path;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << path;
  }
  EXPECT_EQ(c.Get("/healthz").status, 200);
  EXPECT_EQ(server.Terminate(), 0) << server.LogText();
}

}  // namespace
}  // namespace civicgrid::testing
