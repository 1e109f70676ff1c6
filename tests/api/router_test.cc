#include "api/router.h"

#include <gtest/gtest.h>

namespace civicgrid {
namespace {

Handler Named(std::string* called, std::string name) {
  return [called, name](RequestContext&, ReplyPtr) { *called = name; };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/healthz", Access::kPublic, Named(&called_, "health"));
    router_.Add("GET", "/api/v1/events", Access::kAuthenticated, Named(&called_, "list"));
    router_.Add("POST", "/api/v1/events", Access::kAuthenticated, Named(&called_, "create"));
    router_.Add("GET", "/api/v1/events/{id}", Access::kAuthenticated, Named(&called_, "get"));
    router_.Add("POST", "/api/v1/events/{id}/actions", Access::kAuthenticated,
                Named(&called_, "act"));
    router_.Add("GET", "/api/v1/events/{id}/history", Access::kAuthenticated,
                Named(&called_, "history"));
    router_.Add("GET", "/api/v1/a/{x}/b/{y}", Access::kAuthenticated, Named(&called_, "two"));
  }

  std::string Call(const Router::Match& m) {
    called_.clear();
    HttpRequest request;
    RequestContext ctx{request, m.params, std::nullopt, {}};
    m.route->handler(ctx, nullptr);
    return called_;
  }

  Router router_;
  std::string called_;
};

TEST_F(RouterTest, MatchesLiteralsAndParameters) {
  auto m = router_.Find("GET", "/healthz");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.route->access, Access::kPublic);
  EXPECT_EQ(Call(m), "health");

  m = router_.Find("GET", "/api/v1/events/42");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(Call(m), "get");
  EXPECT_EQ(m.params.Get("id"), "42");
  EXPECT_EQ(m.route->access, Access::kAuthenticated);

  m = router_.Find("POST", "/api/v1/events/7/actions");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(Call(m), "act");
  EXPECT_EQ(m.params.Get("id"), "7");

  m = router_.Find("GET", "/api/v1/a/1/b/2");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(m.params.Get("x"), "1");
  EXPECT_EQ(m.params.Get("y"), "2");
  EXPECT_EQ(m.params.Get("z"), "");
}

TEST_F(RouterTest, SamePathDifferentMethods) {
  auto list = router_.Find("GET", "/api/v1/events");
  auto create = router_.Find("POST", "/api/v1/events");
  ASSERT_EQ(list.outcome, Router::Outcome::kFound);
  ASSERT_EQ(create.outcome, Router::Outcome::kFound);
  EXPECT_EQ(Call(list), "list");
  EXPECT_EQ(Call(create), "create");
}

TEST_F(RouterTest, TrailingSlashIsIgnored) {
  auto m = router_.Find("GET", "/api/v1/events/");
  ASSERT_EQ(m.outcome, Router::Outcome::kFound);
  EXPECT_EQ(Call(m), "list");
}

TEST_F(RouterTest, MethodNotAllowedListsAllowedMethods) {
  auto m = router_.Find("DELETE", "/api/v1/events");
  EXPECT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, POST");
  m = router_.Find("PUT", "/api/v1/events/3/actions");
  EXPECT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST");
}

TEST_F(RouterTest, NotFound) {
  for (const char* path :
       {"/", "", "api/v1/events", "/api/v1/eventsx", "/api/v1/events/1/2", "/api/v1//actions",
        "/api/v1/events//actions", "/api/v2/events", "/API/V1/EVENTS", "/healthz/x",
        "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s"}) {
    EXPECT_EQ(router_.Find("GET", path).outcome, Router::Outcome::kNotFound) << path;
  }
  // An empty parameter segment does not match "{id}".
  EXPECT_EQ(router_.Find("POST", "/api/v1/events//actions").outcome, Router::Outcome::kNotFound);
}

}  // namespace
}  // namespace civicgrid
