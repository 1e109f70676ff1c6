// The event closed loop of SPEC §3 over HTTP against the real binary: every path a user takes.
#include <regex>

#include "api/demo_fixture.h"

namespace civicgrid::testing {
namespace {

class ClosedLoopTest : public DemoServerTest {
 protected:
  // Takes an action that must succeed; returns the new version.
  std::int64_t Ok(HttpClient& who, std::int64_t id, const std::string& action, std::int64_t version,
                  const std::string& fields = {}, const std::string& expect_status = {}) {
    auto r = Act(who, id, action, version, fields);
    EXPECT_EQ(r.status, 200) << action << ": " << r.body;
    Json j(r.body);
    if (!j.ok()) return version;
    if (!expect_status.empty()) {
      EXPECT_EQ(std::string_view(j["status"]), expect_status) << action;
    }
    EXPECT_EQ(int64_t(j["version"]), version + 1) << action;
    return int64_t(j["version"]);
  }

  std::vector<std::string> Actions(std::int64_t id) {
    auto admin = As("admin");
    Json h(admin->Get("/api/v1/events/" + std::to_string(id) + "/history").body);
    std::vector<std::string> out;
    for (auto row : h["items"].get_array()) out.emplace_back(std::string_view(row["action"]));
    return out;
  }
};

TEST_F(ClosedLoopTest, LoginGivesATokenAndMeDescribesTheCaller) {
  auto c = Anonymous();
  auto r = c->Post("/api/v1/auth/login",
                   std::string(R"({"username":"handler","password":")") + kDemoPassword + "\"}");
  ASSERT_EQ(r.status, 200) << r.body;
  Json login(r.body);
  EXPECT_FALSE(std::string_view(login["token"]).empty());
  EXPECT_FALSE(std::string_view(login["expires_at"]).empty());
  c->set_token(std::string(std::string_view(login["token"])));
  Json me(c->Get("/api/v1/me").body);
  EXPECT_EQ(std::string_view(me["username"]), "handler");
  bool has_role = false;
  for (auto role : me["roles"].get_array()) has_role |= std::string_view(role) == "handler";
  EXPECT_TRUE(has_role);
  EXPECT_GT(int64_t(me["department"]["id"]), 0);

  auto wrong = Anonymous()->Post("/api/v1/auth/login",
                                 R"({"username":"handler","password":"wrong-password"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_FALSE(ErrorCodeOf(wrong).empty());
  auto nobody = Anonymous()->Post("/api/v1/auth/login",
                                  R"({"username":"nobody","password":"wrong-password"})");
  EXPECT_EQ(nobody.status, 401);
  EXPECT_EQ(ErrorCodeOf(nobody), ErrorCodeOf(wrong)) << "must not reveal which names exist";
}

TEST_F(ClosedLoopTest, ReferenceListsAreThere) {
  auto d = As("dispatcher");
  Json cats(d->Get("/api/v1/categories").body);
  EXPECT_GT(cats["items"].get_array().size(), 10u);
  Json depts(d->Get("/api/v1/departments").body);
  EXPECT_GE(depts["items"].get_array().size(), 7u);
  Json regions(d->Get("/api/v1/regions").body);
  ASSERT_TRUE(regions.ok());
  // Count the grids in the tree.
  std::function<int(simdjson::dom::element)> grids = [&](simdjson::dom::element node) {
    int n = std::string_view(node["level"]) == "grid" ? 1 : 0;
    simdjson::dom::array children;
    if (node["children"].get(children) == simdjson::SUCCESS) {
      for (auto c : children) n += grids(c);
    }
    return n;
  };
  int total = 0;
  for (auto root : regions["items"].get_array()) total += grids(root);
  EXPECT_GE(total, 200);
}

TEST_F(ClosedLoopTest, CreateIsIdempotentAndLocatedInAGrid) {
  auto op = As("operator");
  const std::string body = CreateBody("小区门口井盖缺失");
  auto first = op->Post("/api/v1/events", body, {{"Idempotency-Key", "it-create-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = op->Post("/api/v1/events", body, {{"Idempotency-Key", "it-create-1"}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  Json a(first.body), b(again.body);
  EXPECT_EQ(int64_t(a["id"]), int64_t(b["id"]));
  EXPECT_EQ(std::string_view(a["status"]), "reported");
  EXPECT_EQ(int64_t(a["version"]), 1);
  EXPECT_TRUE(
      std::regex_match(std::string(std::string_view(a["number"])), std::regex(R"(\d{8}-\d{6})")));
  EXPECT_GT(int64_t(a["grid"]["id"]), 0);
  EXPECT_FALSE(std::string_view(a["grid"]["code"]).empty());
  EXPECT_TRUE(a["department"].is_null());
  EXPECT_TRUE(a["deadline"].is_null());
  auto other = op->Post("/api/v1/events", body, {{"Idempotency-Key", "it-create-2"}});
  ASSERT_EQ(other.status, 201);
  EXPECT_NE(int64_t(Json(other.body)["id"]), int64_t(a["id"]));
}

TEST_F(ClosedLoopTest, TheWholeLoopWithAFailedVerification) {
  auto op = As("operator");
  auto di = As("dispatcher");
  auto ha = As("handler");
  const std::int64_t id = CreateEvent(*op, "路灯不亮影响夜间出行");
  std::int64_t v = 1;
  v = Ok(*di, id, "accept", v, {}, "accepted");
  v = Ok(*di, id, "dispatch", v, R"("department":)" + std::to_string(handler_department_),
         "dispatched");
  {
    Json e(di->Get("/api/v1/events/" + std::to_string(id)).body);
    EXPECT_EQ(int64_t(e["department"]["id"]), handler_department_);
    EXPECT_FALSE(e["deadline"].is_null()) << "dispatch sets the category's deadline";
  }
  v = Ok(*ha, id, "claim", v, {}, "in_progress");
  v = Ok(*ha, id, "feedback", v,
         R"("note":"已更换灯泡","attachments":[{"type":"photo","url":"https://f.example/1.jpg"}])",
         "handled");
  v = Ok(*di, id, "verify", v, R"("passed":false,"note":"现场仍不亮")", "in_progress");
  v = Ok(*ha, id, "feedback", v, R"("note":"更换线路后恢复")", "handled");
  v = Ok(*di, id, "verify", v, R"("passed":true)", "closed");
  v = Ok(*op, id, "rate", v, R"("rating":5)", "evaluated");
  Json e(di->Get("/api/v1/events/" + std::to_string(id)).body);
  EXPECT_EQ(int64_t(e["rating"]), 5);
  EXPECT_FALSE(e["closed_at"].is_null());
  EXPECT_EQ(e["attachments"].get_array().size(), 1u);

  Json h(di->Get("/api/v1/events/" + std::to_string(id) + "/history").body);
  std::vector<std::string> actions;
  std::string prev;
  std::int64_t seq = 0;
  for (auto row : h["items"].get_array()) {
    actions.emplace_back(std::string_view(row["action"]));
    EXPECT_EQ(int64_t(row["seq"]), ++seq);
    if (seq > 1) {
      EXPECT_EQ(std::string_view(row["prev_hash"]), prev);
    }
    prev = std::string(std::string_view(row["hash"]));
    EXPECT_EQ(prev.size(), 64u);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"report", "accept", "dispatch", "claim", "feedback",
                                               "verify", "feedback", "verify", "rate"}));
}

TEST_F(ClosedLoopTest, RejectMergeAndReturn) {
  auto op = As("operator");
  auto di = As("dispatcher");
  auto ha = As("handler");
  const std::int64_t rejected = CreateEvent(*op, "重复来电咨询政策");
  Ok(*di, rejected, "reject", 1, R"("note":"非受理范围，已告知拨打相关热线")", "rejected");

  const std::int64_t target = CreateEvent(*op, "小区垃圾清运不及时");
  const std::int64_t duplicate = CreateEvent(*op, "小区垃圾清运不及时(重复)");
  Ok(*di, duplicate, "merge", 1, R"("target":)" + std::to_string(target), "merged");
  Json merged(di->Get("/api/v1/events/" + std::to_string(duplicate)).body);
  EXPECT_EQ(int64_t(merged["merged_into"]), target);
  // Merging into itself or a closed event is refused.
  auto self = Act(*di, target, "merge", 1, R"("target":)" + std::to_string(target));
  EXPECT_EQ(self.status, 422) << self.body;
  auto into_rejected = Act(*di, target, "merge", 1, R"("target":)" + std::to_string(rejected));
  EXPECT_EQ(into_rejected.status, 422) << into_rejected.body;

  std::int64_t v = Ok(*di, target, "accept", 1);
  v = Ok(*di, target, "dispatch", v, R"("department":)" + std::to_string(handler_department_));
  v = Ok(*ha, target, "return", v, R"("note":"不属于本部门职责")", "accepted");
  Json back(di->Get("/api/v1/events/" + std::to_string(target)).body);
  EXPECT_TRUE(back["department"].is_null());
  // The handler no longer sees it: it left the department's scope.
  EXPECT_EQ(ha->Get("/api/v1/events/" + std::to_string(target)).status, 404);
}

TEST_F(ClosedLoopTest, GridWorkerResolvesOnTheSpot) {
  auto gw = As("grid_worker");
  Json me(gw->Get("/api/v1/me").body);
  const std::int64_t grid = int64_t(me["region"]["id"]);
  // A point inside the grid worker's own grid.
  const auto at = PointInGrid(grid);
  ASSERT_TRUE(at.has_value()) << "no point found in grid " << grid;
  char body[512];
  std::snprintf(
      body, sizeof body,
      R"({"source":"grid_app","category":"%s","title":"楼道堆放杂物","location":{"lon":%.7f,"lat":%.7f}})",
      category_.c_str(), at->lon, at->lat);
  auto created = gw->Post("/api/v1/events", body);
  ASSERT_EQ(created.status, 201) << created.body;
  Json e(created.body);
  EXPECT_EQ(int64_t(e["grid"]["id"]), grid);
  auto r = Act(
      *gw, int64_t(e["id"]), "self_resolve", 1,
      R"("note":"已现场劝导清理","attachments":[{"type":"photo","url":"https://f.example/2.jpg"}])");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(std::string_view(Json(r.body)["status"]), "closed");
}

TEST_F(ClosedLoopTest, SuperviseEscalateSuspendResumeExtendComment) {
  auto op = As("operator");
  auto di = As("dispatcher");
  auto leader = As("leader");
  const std::int64_t id = CreateEvent(*op, "施工噪音扰民");
  std::int64_t v = Ok(*di, id, "accept", 1);
  v = Ok(*di, id, "dispatch", v, R"("department":)" + std::to_string(handler_department_));
  v = Ok(*leader, id, "supervise", v, R"("level":2,"note":"请加快办理")", "dispatched");
  Json sup(di->Get("/api/v1/events/" + std::to_string(id)).body);
  EXPECT_EQ(int64_t(sup["supervision_level"]), 2);
  const std::string deadline_before{std::string_view(sup["deadline"])};

  v = Ok(*di, id, "suspend", v, R"("note":"等待业主委员会意见")", "dispatched");
  EXPECT_TRUE(bool(Json(di->Get("/api/v1/events/" + std::to_string(id)).body)["suspended"]));
  auto blocked = Act(*As("handler"), id, "claim", v);
  EXPECT_EQ(blocked.status, 409) << blocked.body;
  v = Ok(*di, id, "resume", v, {}, "dispatched");
  v = Ok(*di, id, "extend", v, R"("deadline":"2099-01-01T17:30:00+08:00","note":"情况复杂")");
  Json extended(di->Get("/api/v1/events/" + std::to_string(id)).body);
  EXPECT_NE(std::string_view(extended["deadline"]), deadline_before);
  v = Ok(*op, id, "comment", v, R"("note":"市民再次来电催办")", "dispatched");
  v = Ok(*di, id, "escalate", v, R"("note":"街道层面无法协调，提请区级")", "accepted");
  Json up(di->Get("/api/v1/events/" + std::to_string(id)).body);
  EXPECT_EQ(int64_t(up["escalation_level"]), 1);
  EXPECT_EQ(Actions(id),
            (std::vector<std::string>{"report", "accept", "dispatch", "supervise", "suspend",
                                      "resume", "extend", "comment", "escalate"}));
}

TEST_F(ClosedLoopTest, CalendarDeadlineAnswersTheSpecExample) {
  auto op = As("operator");
  auto r = op->Get(
      "/api/v1/calendar/deadline?start=2026-03-02T10:00:00%2B08:00&amount=3&unit=working_days");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(std::string_view(Json(r.body)["deadline"]), "2026-03-05T17:30:00+08:00");
  auto bad = op->Get("/api/v1/calendar/deadline?start=2026-03-02&amount=3&unit=fortnights");
  EXPECT_EQ(bad.status, 422) << bad.body;
}

}  // namespace
}  // namespace civicgrid::testing
