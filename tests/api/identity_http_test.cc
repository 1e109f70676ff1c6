// Identity over HTTP (issue 4): user administration, forced change of initial passwords,
// disable kills tokens at once, refresh, logout, every write in the audit log, the auditor's
// read API, recorded full views of phone numbers, security headers.
#include "api/identity_http_support.h"

namespace civicgrid::testing {
namespace {

class IdentityTest : public DemoServerTest {
 protected:
  std::int64_t RegionOf(const std::string& user) {
    Json me(As(user)->Get("/api/v1/me").body);
    return me.ok() ? int64_t(me["region"]["id"]) : 0;
  }
  // The audit records of one object, newest first.
  std::vector<std::string> ActionsOf(const std::string& type, std::int64_t id) {
    auto r = As("auditor")->Get("/api/v1/audit?object_type=" + type +
                                "&object_id=" + std::to_string(id));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    Json j(r.body);
    for (auto item : j["items"].get_array()) {
      out.emplace_back(std::string_view(item["action"]));
    }
    return out;
  }
};

TEST_F(IdentityTest, AdminCreatesUserWhoMustChangeTheInitialPassword) {
  auto admin = As("admin");
  const std::int64_t street = RegionOf("street_lead");
  const std::int64_t id =
      CreateUser(*admin, "zhang.san", R"(["dispatcher","handler"])",
                 R"("display_name":"张三","region_id":)" + std::to_string(street) +
                     R"(,"department_id":)" + std::to_string(handler_department_));
  ASSERT_GT(id, 0);
  auto got = admin->Get("/api/v1/users/" + std::to_string(id));
  ASSERT_EQ(got.status, 200) << got.body;
  Json user(got.body);
  EXPECT_EQ(std::string_view(user["display_name"]), "张三");
  EXPECT_EQ(user["roles"].get_array().size(), 2u);
  EXPECT_EQ(int64_t(user["region"]["id"]), street);
  EXPECT_TRUE(bool(user["must_change_password"]));

  HttpClient c("127.0.0.1", port());
  auto login = c.Post("/api/v1/auth/login", R"({"username":"zhang.san","password":")" +
                                                std::string(kInitialPassword) + R"("})");
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_TRUE(bool(Json(login.body)["user"]["must_change_password"]));
  c.set_token(StringField(login, "token"));
  auto refused = c.Get("/api/v1/events");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(ErrorCodeOf(refused), "password_change_required");
  EXPECT_EQ(c.Post("/api/v1/events", CreateBody("未改密码")).status, 403);
  EXPECT_EQ(c.Get("/api/v1/me").status, 200);

  auto wrong_old =
      c.Post("/api/v1/auth/password", R"({"old_password":"nope-nope","new_password":"abcdefgh1"})");
  EXPECT_EQ(wrong_old.status, 403) << wrong_old.body;
  auto weak =
      c.Post("/api/v1/auth/password", R"({"old_password":")" + std::string(kInitialPassword) +
                                          R"(","new_password":"short"})");
  EXPECT_EQ(weak.status, 422) << weak.body;
  auto changed =
      c.Post("/api/v1/auth/password", R"({"old_password":")" + std::string(kInitialPassword) +
                                          R"(","new_password":")" + kChosenPassword + R"("})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_FALSE(bool(Json(changed.body)["user"]["must_change_password"]));
  // The old session ended with the change; the new token works everywhere.
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
  c.set_token(StringField(changed, "token"));
  EXPECT_EQ(c.Get("/api/v1/events?limit=1").status, 200);
  HttpClient again("127.0.0.1", port());
  EXPECT_TRUE(Login(again, "zhang.san", kInitialPassword).empty());
  EXPECT_FALSE(Login(again, "zhang.san", kChosenPassword).empty());

  auto actions = ActionsOf("user", id);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "user.create"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "user.password_change"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "auth.login"), actions.end());
}

TEST_F(IdentityTest, DemoUsersAreNotForcedToChangePasswords) {
  Json me(As("dispatcher")->Get("/api/v1/me").body);
  EXPECT_FALSE(bool(me["must_change_password"]));
  EXPECT_EQ(As("dispatcher")->Get("/api/v1/events?limit=1").status, 200);
}

TEST_F(IdentityTest, DisablingAUserKillsTheirTokensAtOnce) {
  auto admin = As("admin");
  const std::int64_t id = CreateUser(*admin, "li.si", R"(["operator"])");
  HttpClient li("127.0.0.1", port());
  li.set_token(FirstLogin(port(), "li.si"));
  ASSERT_EQ(li.Get("/api/v1/me").status, 200);  // now cached by the server
  auto disabled = admin->Post("/api/v1/users/" + std::to_string(id) + "/disable", "");
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_TRUE(bool(Json(disabled.body)["disabled"]));
  EXPECT_EQ(li.Get("/api/v1/me").status, 401);
  HttpClient c("127.0.0.1", port());
  EXPECT_TRUE(Login(c, "li.si", kChosenPassword).empty());
  ASSERT_EQ(admin->Post("/api/v1/users/" + std::to_string(id) + "/enable", "").status, 200);
  EXPECT_FALSE(Login(c, "li.si", kChosenPassword).empty());
  // An admin may not lock themselves out.
  Json me(admin->Get("/api/v1/me").body);
  auto self = admin->Post("/api/v1/users/" + std::to_string(int64_t(me["id"])) + "/disable", "");
  EXPECT_EQ(self.status, 409) << self.body;
}

TEST_F(IdentityTest, RoleAndScopeChangesApplyToTheNextRequest) {
  auto admin = As("admin");
  const std::int64_t id = CreateUser(*admin, "wang.wu", R"(["citizen"])");
  HttpClient w("127.0.0.1", port());
  w.set_token(FirstLogin(port(), "wang.wu"));
  EXPECT_EQ(w.Get("/api/v1/audit").status, 403);
  auto patched = admin->Request("PATCH", "/api/v1/users/" + std::to_string(id),
                                R"({"roles":["auditor"],"display_name":"王五"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(w.Get("/api/v1/audit?limit=1").status, 200);
  auto unknown_role =
      admin->Request("PATCH", "/api/v1/users/" + std::to_string(id), R"({"roles":["king"]})");
  EXPECT_EQ(unknown_role.status, 422);
  auto bad_region =
      admin->Request("PATCH", "/api/v1/users/" + std::to_string(id), R"({"region_id":999999})");
  EXPECT_EQ(bad_region.status, 422);
  auto taken =
      admin->Post("/api/v1/users", R"({"username":"wang.wu","password":")" +
                                       std::string(kInitialPassword) + R"(","roles":["citizen"]})");
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(admin->Get("/api/v1/users/99999999").status, 404);
}

TEST_F(IdentityTest, PasswordResetForcesAChangeAndEndsSessions) {
  auto admin = As("admin");
  const std::int64_t id = CreateUser(*admin, "zhao.liu", R"(["citizen"])");
  HttpClient z("127.0.0.1", port());
  z.set_token(FirstLogin(port(), "zhao.liu"));
  ASSERT_EQ(z.Get("/api/v1/events?limit=1").status, 200);
  auto reset = admin->Post("/api/v1/users/" + std::to_string(id) + "/password",
                           R"({"password":"reset-pass-3"})");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(z.Get("/api/v1/me").status, 401);
  HttpClient c("127.0.0.1", port());
  c.set_token(Login(c, "zhao.liu", "reset-pass-3"));
  EXPECT_EQ(ErrorCodeOf(c.Get("/api/v1/events")), "password_change_required");
}

TEST_F(IdentityTest, RefreshIssuesANewTokenAndEndsTheOld) {
  HttpClient c("127.0.0.1", port());
  const std::string old_token = Login(c, "leader", kDemoPassword);
  ASSERT_FALSE(old_token.empty());
  c.set_token(old_token);
  ASSERT_EQ(c.Get("/api/v1/me").status, 200);
  auto refreshed = c.Post("/api/v1/auth/refresh", "");
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string new_token = StringField(refreshed, "token");
  EXPECT_NE(new_token, old_token);
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
  c.set_token(new_token);
  EXPECT_EQ(c.Get("/api/v1/me").status, 200);
  auto logout = c.Post("/api/v1/auth/logout", "");
  EXPECT_EQ(logout.status, 200);
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
}

TEST_F(IdentityTest, EventWritesLandInTheAuditLogWithBeforeAndAfter) {
  auto dispatcher = As("dispatcher");
  const std::int64_t id = CreateEvent(*dispatcher, "审计测试井盖缺失");
  ASSERT_GT(id, 0);
  ASSERT_EQ(Act(*dispatcher, id, "accept", 1).status, 200);
  auto r = As("auditor")->Get("/api/v1/audit?object_type=event&object_id=" + std::to_string(id));
  ASSERT_EQ(r.status, 200) << r.body;
  Json j(r.body);
  std::vector<std::string> actions;
  for (auto item : j["items"].get_array()) {
    const std::string action{std::string_view(item["action"])};
    actions.push_back(action);
    EXPECT_EQ(std::string_view(item["actor"]["username"]), "dispatcher");
    EXPECT_EQ(std::string_view(item["remote_address"]), "127.0.0.1");
    if (action == "event.accept") {
      EXPECT_EQ(std::string_view(item["before"]["status"]), "reported");
      EXPECT_EQ(std::string_view(item["after"]["status"]), "accepted");
      EXPECT_EQ(int64_t(item["after"]["version"]), 2);
    }
    if (action == "event.create") {
      EXPECT_TRUE(item["before"].is_null());
    }
  }
  EXPECT_NE(std::find(actions.begin(), actions.end(), "event.create"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "event.accept"), actions.end());
}

TEST_F(IdentityTest, AuditorReadsTheLogFilteredAndPaged) {
  auto auditor = As("auditor");
  Json me(As("operator")->Get("/api/v1/me").body);
  const std::int64_t operator_id = int64_t(me["id"]);
  CreateEvent(*As("operator"), "审计分页一");
  CreateEvent(*As("operator"), "审计分页二");
  auto by_user = auditor->Get("/api/v1/audit?user_id=" + std::to_string(operator_id));
  ASSERT_EQ(by_user.status, 200);
  Json j(by_user.body);
  ASSERT_GE(j["items"].get_array().size(), 2u);
  for (auto item : j["items"].get_array()) EXPECT_EQ(int64_t(item["actor"]["id"]), operator_id);

  // Pages of one record each, newest first, until the cursor runs out.
  std::string cursor;
  std::int64_t last_seq = INT64_MAX;
  int pages = 0;
  do {
    auto page = auditor->Get("/api/v1/audit?limit=1&user_id=" + std::to_string(operator_id) +
                             (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(page.status, 200) << page.body;
    Json p(page.body);
    ASSERT_EQ(p["items"].get_array().size(), 1u);
    const std::int64_t seq = int64_t(p["items"].at(0)["seq"]);
    EXPECT_LT(seq, last_seq);
    last_seq = seq;
    simdjson::dom::element next = p["next_cursor"];
    cursor = next.is_null() ? "" : std::string(std::string_view(next));
    ++pages;
  } while (!cursor.empty() && pages < 100);
  EXPECT_GE(pages, 2);

  EXPECT_EQ(auditor->Get("/api/v1/audit?from=2000-01-01&to=2000-01-02").body,
            R"({"items":[],"next_cursor":null})");
  EXPECT_EQ(auditor->Get("/api/v1/audit?from=yesterday").status, 422);
  EXPECT_EQ(auditor->Get("/api/v1/audit?limit=501").status, 422);
  EXPECT_EQ(auditor->Get("/api/v1/audit?cursor=%27%20OR%201%3D1").status, 422);
  EXPECT_EQ(As("admin")->Get("/api/v1/audit?limit=1").status, 200);
  for (const char* role : {"dispatcher", "operator", "handler", "citizen", "leader"}) {
    EXPECT_EQ(As(role)->Get("/api/v1/audit").status, 403) << role;
  }
}

TEST_F(IdentityTest, FullViewsOfPhoneNumbersAreRecorded) {
  const std::int64_t id = CreateEvent(*As("operator"), "电话查看记录");
  auto dispatcher = As("dispatcher");
  auto auditor = As("auditor");
  auto count_views = [&] {
    auto r = auditor->Get("/api/v1/audit?object_type=event&object_id=" + std::to_string(id));
    int n = 0;
    Json j(r.body);
    for (auto item : j["items"].get_array()) {
      if (std::string_view(item["action"]) == "event.view_contact") ++n;
    }
    return n;
  };
  const int before = count_views();
  auto full = dispatcher->Get("/api/v1/events/" + std::to_string(id));
  ASSERT_EQ(full.status, 200);
  EXPECT_NE(full.body.find("13800138000"), std::string::npos) << full.body;
  EXPECT_EQ(count_views(), before + 1);
  // A masked view (the leader may not see phones in full) is not a full view.
  auto masked = As("leader")->Get("/api/v1/events/" + std::to_string(id));
  ASSERT_EQ(masked.status, 200);
  EXPECT_EQ(masked.body.find("13800138000"), std::string::npos);
  EXPECT_EQ(count_views(), before + 1);
  // So does the answer to an action, which shows the event.
  auto acted = Act(*dispatcher, id, "comment", Look(id).version, R"("note":"回访")");
  ASSERT_EQ(acted.status, 200) << acted.body;
  EXPECT_EQ(count_views(), before + 2);
  // A list page with the event in it records it as well.
  auto list = dispatcher->Get("/api/v1/events?limit=5&q=" + std::string("%E7%94%B5%E8%AF%9D"));
  ASSERT_EQ(list.status, 200);
  if (list.body.find("\"id\":" + std::to_string(id) + ",") != std::string::npos) {
    EXPECT_EQ(count_views(), before + 3);
  }
}

TEST_F(IdentityTest, EveryResponseCarriesSecurityHeaders) {
  auto anon = Anonymous();
  for (const HttpResult& r :
       {anon->Get("/healthz"), anon->Get("/api/v1/events"), anon->Get("/nope"),
        As("dispatcher")->Get("/api/v1/events?limit=1")}) {
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
    EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer");
    EXPECT_NE(r.Header("Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace civicgrid::testing
