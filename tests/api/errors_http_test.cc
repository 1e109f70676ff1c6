// Every refusal of issue 2 over HTTP: the status, a JSON error body, and nothing changed.
#include "api/demo_fixture.h"

namespace civicgrid::testing {
namespace {

class ErrorsTest : public DemoServerTest {
 protected:
  // A refused create with key K must leave K unused: the next valid create with K is a 201.
  void ExpectCreateRefused(const std::string& body, int status, const std::string& code,
                           const HttpHeaders& extra = {}) {
    static int n = 0;
    const std::string key = "refused-" + std::to_string(++n);
    HttpHeaders headers = extra;
    headers.emplace_back("Idempotency-Key", key);
    auto op = As("operator");
    auto r = op->Post("/api/v1/events", body, headers);
    EXPECT_EQ(r.status, status) << body.substr(0, 200) << " → " << r.body;
    if (!code.empty()) {
      EXPECT_EQ(ErrorCodeOf(r), code) << r.body;
    }
    EXPECT_NE(r.Header("Content-Type").find("application/json"), std::string::npos);
    auto ok = op->Post("/api/v1/events", CreateBody("核验未写入"), {{"Idempotency-Key", key}});
    EXPECT_EQ(ok.status, 201) << "the refused request wrote something under its key";
  }
};

TEST_F(ErrorsTest, NoOrBadTokenIs401) {
  auto anon = Anonymous();
  auto r = anon->Get("/api/v1/events");
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(ErrorCodeOf(r).empty());
  anon->set_token("not-a-real-token");
  EXPECT_EQ(anon->Get("/api/v1/me").status, 401);
  EXPECT_EQ(Anonymous()->Get("/healthz").status, 200);
}

TEST_F(ErrorsTest, MalformedJsonIs400) { ExpectCreateRefused(R"({"title": "x",)", 400, {}); }

TEST_F(ErrorsTest, WrongTypeIs400) {
  std::string body = CreateBody("类型错误");
  body.replace(body.find(R"("title":"类型错误")"), std::string(R"("title":"类型错误")").size(),
               R"("title":12345)");
  ExpectCreateRefused(body, 400, {});
  ExpectCreateRefused(
      R"({"source":"hotline","category":5,"title":"x","location":{"lon":1,"lat":1}})", 400, {});
  ExpectCreateRefused(R"([1,2,3])", 400, {});
}

TEST_F(ErrorsTest, MissingFieldIs400) {
  std::string body = CreateBody("缺少标题");
  body.erase(body.find(R"("title":"缺少标题",)"), std::string(R"("title":"缺少标题",)").size());
  ExpectCreateRefused(body, 400, {});
  ExpectCreateRefused(R"({"source":"hotline","category":"x","title":"无位置"})", 400, {});
}

TEST_F(ErrorsTest, SemanticallyInvalidIs422) {
  std::string far = CreateBody("坐标越界");
  const auto lon = far.find("\"lon\":");
  far.replace(lon, far.find(',', lon) - lon, "\"lon\":200.5");
  ExpectCreateRefused(far, 422, {});
  ExpectCreateRefused(CreateBody("未知类别", "no-such-category"), 422, "unknown_category");
  std::string source = CreateBody("未知来源");
  source.replace(source.find("hotline"), 7, "pigeon");
  ExpectCreateRefused(source, 422, {});
}

TEST_F(ErrorsTest, InvalidUtf8Is400) {
  std::string body = CreateBody("标题XX");
  const auto at = body.find("XX");
  body[at] = static_cast<char>(0xC3);  // a lead byte followed by ASCII
  body[at + 1] = 'A';
  ExpectCreateRefused(body, 400, {});
  std::string overlong = CreateBody("标题XX");
  const auto at2 = overlong.find("XX");
  overlong[at2] = static_cast<char>(0xC0);  // overlong encoding of '/'
  overlong[at2 + 1] = static_cast<char>(0xAF);
  ExpectCreateRefused(overlong, 400, {});
}

TEST_F(ErrorsTest, NotJsonIs415) {
  ExpectCreateRefused(CreateBody("不是JSON"), 415, {}, {{"Content-Type", "text/plain"}});
}

TEST_F(ErrorsTest, OversizedBodyIs413AndTheServerStaysHealthy) {
  std::string huge = CreateBody(std::string(2 << 20, 'a'));
  auto op = As("operator");
  auto r = op->Post("/api/v1/events", huge);
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
  EXPECT_EQ(Anonymous()->Get("/healthz").status, 200);
}

TEST_F(ErrorsTest, ActionRefusalsChangeNothing) {
  auto op = As("operator");
  auto di = As("dispatcher");
  auto ha = As("handler");
  const std::int64_t id = CreateEvent(*op, "拒绝的动作不改变任何东西");
  const Snapshot before = Look(id);
  ASSERT_EQ(before.version, 1);

  struct Case {
    HttpClient* who;
    std::string action;
    std::int64_t version;
    std::string fields;
    int status;
  };
  const Case cases[] = {
      {ha.get(), "accept", 1, "", 404},  // outside the handler's scope: not even seen
      {op.get(), "accept", 1, "", 403},  // the operator's role may not accept
      {di.get(), "accept", 7, "", 409},  // stale version
      {di.get(), "claim", 1, "", 403},   // claim is the handler's
      {di.get(), "verify", 1, R"("passed":true)", 409},     // not handled yet
      {di.get(), "reject", 1, "", 400},                     // a reason is required
      {di.get(), "fly", 1, "", 422},                        // no such action
      {di.get(), "dispatch", 1, R"("department":1)", 409},  // not accepted yet
      {op.get(), "rate", 1, R"("rating":7)", 409},          // not closed (and 7 is out of range)
  };
  for (const auto& c : cases) {
    auto r = Act(*c.who, id, c.action, c.version, c.fields);
    EXPECT_EQ(r.status, c.status) << c.action << " → " << r.body;
    EXPECT_FALSE(ErrorCodeOf(r).empty()) << r.body;
    EXPECT_EQ(Look(id), before) << c.action << " changed the event";
  }
  auto missing_version =
      di->Post("/api/v1/events/" + std::to_string(id) + "/actions", R"({"action":"accept"})");
  EXPECT_EQ(missing_version.status, 400);
  auto stale = Act(*di, id, "accept", 0);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(ErrorCodeOf(stale), "stale_version");
  EXPECT_EQ(Look(id), before);
}

TEST_F(ErrorsTest, RatingOutOfRangeIs422) {
  auto op = As("operator");
  auto di = As("dispatcher");
  auto gw = As("grid_worker");
  // Bring an event to closed quickly: the dispatcher accepts, dispatches, the handler claims,
  // reports back, the dispatcher verifies.
  auto ha = As("handler");
  const std::int64_t id = CreateEvent(*op, "评价越界");
  std::int64_t v = 1;
  for (auto [who, action, fields] : std::vector<std::tuple<HttpClient*, std::string, std::string>>{
           {di.get(), "accept", ""},
           {di.get(), "dispatch", R"("department":)" + std::to_string(handler_department_)},
           {ha.get(), "claim", ""},
           {ha.get(), "feedback", R"("note":"已处理")"},
           {di.get(), "verify", R"("passed":true)"}}) {
    auto r = Act(*who, id, action, v, fields);
    ASSERT_EQ(r.status, 200) << action << r.body;
    v = int64_t(Json(r.body)["version"]);
  }
  const Snapshot closed = Look(id);
  for (const char* rating : {"7", "0", "-1"}) {
    auto r = Act(*op, id, "rate", v, std::string(R"("rating":)") + rating);
    EXPECT_EQ(r.status, 422) << r.body;
  }
  auto not_a_number = Act(*op, id, "rate", v, R"("rating":"five")");
  EXPECT_EQ(not_a_number.status, 400) << not_a_number.body;
  EXPECT_EQ(Look(id), closed);
  (void)gw;
}

TEST_F(ErrorsTest, UnknownEventIs404) {
  auto di = As("dispatcher");
  EXPECT_EQ(di->Get("/api/v1/events/999999999").status, 404);
  EXPECT_EQ(di->Get("/api/v1/events/abc").status, 404);
  EXPECT_EQ(di->Get("/api/v1/events/999999999/history").status, 404);
  EXPECT_EQ(Act(*di, 999999999, "accept", 1).status, 404);
  EXPECT_EQ(di->Get("/api/v1/nothing-here").status, 404);
}

TEST_F(ErrorsTest, BadListParametersAre422) {
  auto di = As("dispatcher");
  EXPECT_EQ(di->Get("/api/v1/events?limit=501").status, 422);
  EXPECT_EQ(di->Get("/api/v1/events?limit=0").status, 422);
  EXPECT_EQ(di->Get("/api/v1/events?from=yesterday").status, 422);
  EXPECT_EQ(di->Get("/api/v1/events?status=sleeping").status, 422);
  EXPECT_EQ(di->Get("/api/v1/events?cursor=not-a-cursor").status, 422);
  EXPECT_EQ(di->Get("/api/v1/events?cursor=%%%").status, 400);  // not even a query string
}

}  // namespace
}  // namespace civicgrid::testing
