// Keeps the authorization matrix honest (issue 4): every route the server registers has at least
// one row in a matrix table, or is exempt here with the reason. A new endpoint without a row
// fails this test, naming the route and where to add the row.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "api/api.h"
#include "api/authorization_matrix.h"

namespace civicgrid::testing {
namespace {

// Routes with no matrix row: nobody's object is at stake, so there is no role or scope to check.
const std::map<std::string, std::string> kExempt = {
    {"GET /healthz", "public liveness probe"},
    {"GET /readyz", "public readiness probe"},
    {"GET /metrics", "administrators or the metrics token (server_test.cc)"},
    {"POST /api/v1/auth/login", "public: anyone may try to log in (lockout: identity tests)"},
    {"POST /api/v1/auth/logout", "the caller's own token (identity_http_test.cc)"},
    {"POST /api/v1/auth/password", "the caller's own password (identity_http_test.cc)"},
};

// A row's path as the router sees it: no query, each {placeholder} a segment ({rule} two).
std::string ConcretePath(std::string path) {
  if (auto q = path.find('?'); q != std::string::npos) path.resize(q);
  std::string out;
  for (std::size_t i = 0; i < path.size();) {
    if (path[i] != '{') {
      out += path[i++];
      continue;
    }
    const std::size_t end = path.find('}', i);
    out += path.compare(i, end - i + 1, "{rule}") == 0 ? "category/level" : "1";
    i = end + 1;
  }
  return out;
}

TEST(AuthorizationMatrixCoverageTest, EveryRegisteredRouteHasARowOrIsExempt) {
  Api api(ApiEnv{}, "");
  const Router& router = api.router();
  std::set<std::string> covered;
  std::vector<MatrixRoute> rows = EventsMatrixRoutes();
  for (const MatrixRoute& r : BaseDataMatrixRoutes()) rows.push_back(r);
  for (const MatrixRoute& row : rows) {
    Router::Match match = router.Find(row.method, ConcretePath(row.path));
    ASSERT_EQ(match.outcome, Router::Outcome::kFound)
        << "the matrix row " << row.method << " " << row.path << " reaches no route";
    covered.insert(match.route->method + " " + match.route->pattern);
  }
  std::set<std::string> registered;
  for (const Router::Route& route : router.routes()) {
    const std::string key = route.method + " " + route.pattern;
    registered.insert(key);
    if (covered.count(key) || kExempt.count(key)) continue;
    ADD_FAILURE() << "route " << key
                  << " has no row in the authorization matrix: add one to the table of its "
                     "resource (tests/api/authorization_matrix_test.cc or "
                     "authorization_matrix_base_data_test.cc, or a new table file listed in "
                     "authorization_matrix.h), or exempt it here with the reason";
  }
  for (const auto& [key, reason] : kExempt) {
    EXPECT_TRUE(registered.count(key)) << "exempt route " << key << " (" << reason
                                       << ") is no longer registered: drop the exemption";
    EXPECT_FALSE(covered.count(key)) << key << " is both exempt and in the matrix";
  }
  // Today's surface, so a shrinking router (a lost Add...Routes call) is noticed too.
  EXPECT_GE(registered.size(), 83u);
  EXPECT_EQ(covered.size() + kExempt.size(), registered.size());
}

}  // namespace
}  // namespace civicgrid::testing
