// Integration fixture: one demo city and one real `civicgrid serve` per test suite, logins for
// the demo roles, and JSON helpers. Tests talk to it only over HTTP on 127.0.0.1.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "api/http_client.h"
#include "api/test_server.h"

namespace civicgrid::testing {

inline constexpr const char* kDemoPassword = "it-demo-pass-1";

// A parsed JSON document that owns its parser.
class Json {
 public:
  explicit Json(const std::string& text);
  simdjson::dom::element root() const { return root_; }
  simdjson::dom::element operator[](const char* key) const { return root_[key]; }
  bool ok() const { return ok_; }

 private:
  std::unique_ptr<simdjson::dom::parser> parser_;
  simdjson::dom::element root_;
  bool ok_ = false;
};

// The error code of an error body ({"error":{"code":..}}), or "" when it is not one.
std::string ErrorCodeOf(const HttpResult& r);

class DemoServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // A client logged in as `username` (a demo user named after its role).
  std::unique_ptr<HttpClient> As(const std::string& username);
  std::unique_ptr<HttpClient> Anonymous();

  struct LonLat {
    double lon = 0, lat = 0;
  };
  // A valid create body with the given title, at `at` or else at a point inside the demo city.
  std::string CreateBody(const std::string& title, const std::string& category = {},
                         std::optional<LonLat> at = std::nullopt) const;
  // A point inside grid `grid_id`, whether or not the day's demo events fell there: a lattice
  // over the grid's polygon (GET /api/v1/regions/export), checked with /api/v1/regions/locate.
  std::optional<LonLat> PointInGrid(std::int64_t grid_id);
  // Creates an event as `who`; returns its id (fails the test otherwise).
  std::int64_t CreateEvent(HttpClient& who, const std::string& title);
  // Applies an action; returns the HTTP result. `fields` is JSON members without braces.
  HttpResult Act(HttpClient& who, std::int64_t id, const std::string& action, std::int64_t version,
                 const std::string& fields = {});
  // GET /api/v1/events/{id} as the dispatcher: (status, version, history length).
  struct Snapshot {
    std::string status;
    std::int64_t version = 0;
    std::size_t history = 0;
    friend bool operator==(const Snapshot&, const Snapshot&) = default;
  };
  Snapshot Look(std::int64_t id);

  static std::uint16_t port() { return server_->port(); }
  static std::string db_path() { return dir_->path() + "/city.db"; }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::map<std::string, std::string> tokens_;
  static inline std::string category_;  // a category handled by the demo handler's dept
  static inline std::int64_t handler_department_ = 0;
  static inline double lon_ = 0, lat_ = 0;  // a point in the demo city
};

}  // namespace civicgrid::testing
