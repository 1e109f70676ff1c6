// Helpers of the identity and audit integration tests (issue 4): JSON field readers, the audit
// log's tail as the "was anything written?" oracle, and admin-created users.
#pragma once

#include <string>

#include "api/demo_fixture.h"

namespace civicgrid::testing {

inline constexpr const char* kInitialPassword = "initial-pass-1";
inline constexpr const char* kChosenPassword = "chosen-pass-2";

inline std::string StringField(const HttpResult& r, const char* key) {
  Json j(r.body);
  std::string_view v;
  if (!j.ok() || j[key].get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

inline std::int64_t IntField(const HttpResult& r, const char* key) {
  Json j(r.body);
  std::int64_t v = 0;
  if (!j.ok() || j[key].get(v) != simdjson::SUCCESS) return 0;
  return v;
}

// The seq of the newest audit record (every write appends one), read as the auditor.
inline std::int64_t AuditTail(HttpClient& auditor) {
  auto r = auditor.Get("/api/v1/audit?limit=1");
  EXPECT_EQ(r.status, 200) << r.body;
  Json j(r.body);
  if (!j.ok()) return -1;
  auto items = j["items"].get_array();
  if (items.error() || items.size() == 0) return 0;
  return int64_t(items.at(0)["seq"]);
}

inline std::string Login(HttpClient& c, const std::string& user, const std::string& password) {
  auto r = c.Post("/api/v1/auth/login",
                  R"({"username":")" + user + R"(","password":")" + password + R"("})");
  if (r.status != 200) return "";
  return StringField(r, "token");
}

// Creates a user as `admin` (JSON members without braces besides username/password/roles);
// returns its id.
inline std::int64_t CreateUser(HttpClient& admin, const std::string& username,
                               const std::string& roles_json, const std::string& extra = {}) {
  std::string body = R"({"username":")" + username + R"(","password":")" + kInitialPassword +
                     R"(","roles":)" + roles_json;
  if (!extra.empty()) body += "," + extra;
  body += "}";
  auto r = admin.Post("/api/v1/users", body);
  EXPECT_EQ(r.status, 201) << r.body;
  return IntField(r, "id");
}

// Logs in with the initial password and chooses kChosenPassword; returns the new token.
inline std::string FirstLogin(std::uint16_t port, const std::string& username) {
  HttpClient c("127.0.0.1", port);
  std::string initial = Login(c, username, kInitialPassword);
  EXPECT_FALSE(initial.empty()) << username;
  c.set_token(initial);
  auto r = c.Post("/api/v1/auth/password", R"({"old_password":")" + std::string(kInitialPassword) +
                                               R"(","new_password":")" + kChosenPassword + R"("})");
  EXPECT_EQ(r.status, 200) << r.body;
  return StringField(r, "token");
}

}  // namespace civicgrid::testing
