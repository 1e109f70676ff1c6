// Routing over the real server: the responsibility list's admin API, statutory dispatch on
// accept with the event's deadline colour and routing record, the department's queue,
// duplicate proposals, the organisation's calendar and the refusals of bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

#include "api/demo_fixture.h"

namespace civicgrid::testing {
namespace {

class RoutingHttpTest : public DemoServerTest {
 protected:
  // A category the list covers at street level with the handler's department.
  std::string ListedForHandler() {
    auto admin = As("admin");
    Json rules(admin->Get("/api/v1/rules").body);
    for (auto r : rules["items"].get_array()) {
      if (std::string_view(r["region_level"]) == "street" &&
          int64_t(r["department"]) == handler_department_) {
        return std::string(std::string_view(r["category"]));
      }
    }
    return {};
  }
};

TEST_F(RoutingHttpTest, RulesAreListedEditedInVersionsAndGuarded) {
  const std::string category = ListedForHandler();
  ASSERT_FALSE(category.empty());
  auto admin = As("admin");
  auto dispatcher = As("dispatcher");
  const std::string body =
      R"({"department":)" + std::to_string(handler_department_) +
      R"(,"time_limit":4,"time_unit":"working_days","verification":"reporter"})";
  EXPECT_EQ(dispatcher
                ->Request("PUT", "/api/v1/rules/" + category + "/street", body,
                          {{"Content-Type", "application/json"}})
                .status,
            403);
  auto missing = admin->Request("PUT", "/api/v1/rules/" + category + "/street",
                                R"({"time_limit":4,"time_unit":"working_days"})",
                                {{"Content-Type", "application/json"}});
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(ErrorCodeOf(missing), "missing_field");
  auto bad_unit = admin->Request("PUT", "/api/v1/rules/" + category + "/street",
                                 R"({"department":1,"time_limit":4,"time_unit":"fortnights"})",
                                 {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad_unit.status, 422) << bad_unit.body;
  auto put = admin->Request("PUT", "/api/v1/rules/" + category + "/street", body,
                            {{"Content-Type", "application/json"}});
  ASSERT_EQ(put.status, 200) << put.body;
  Json rule(put.body);
  EXPECT_EQ(int64_t(rule["version"]), 2);
  EXPECT_EQ(std::string_view(rule["verification"]), "reporter");
  auto again = admin->Post("/api/v1/rules", R"({"category":")" + category +
                                                R"(","region_level":"street","department":)" +
                                                std::to_string(handler_department_) +
                                                R"(,"time_limit":4,"time_unit":"working_days"})");
  EXPECT_EQ(again.status, 409) << again.body;
  Json all(admin->Get("/api/v1/rules?all_versions=true").body);
  int versions = 0;
  for (auto r : all["items"].get_array()) {
    versions += std::string_view(r["category"]) == category &&
                std::string_view(r["region_level"]) == "street";
  }
  EXPECT_EQ(versions, 2);
}

TEST_F(RoutingHttpTest, AcceptingAListedCategoryDispatchesItAndItShowsInTheQueue) {
  const std::string category = ListedForHandler();
  ASSERT_FALSE(category.empty());
  auto op = As("operator");
  auto dispatcher = As("dispatcher");
  auto created = op->Post("/api/v1/events", CreateBody("路灯不亮", category));
  ASSERT_EQ(created.status, 201) << created.body;
  Json event(created.body);
  const std::int64_t id = int64_t(event["id"]);
  EXPECT_EQ(std::string_view(event["deadline_state"]), "none");
  auto accepted = Act(*dispatcher, id, "accept", int64_t(event["version"]));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  Json after(accepted.body);
  EXPECT_EQ(std::string_view(after["status"]), "dispatched");
  EXPECT_EQ(int64_t(after["department"]["id"]), handler_department_);
  EXPECT_EQ(std::string_view(after["deadline_state"]), "green");
  Json routing(dispatcher->Get("/api/v1/events/" + std::to_string(id) + "/routing").body);
  EXPECT_EQ(std::string_view(routing["dispatch"]["mode"]), "statutory");
  EXPECT_GE(int64_t(routing["dispatch"]["rule_version"]), 1);
  auto handler = As("handler");
  auto queue = handler->Get("/api/v1/queue?kind=to_accept&limit=100");
  ASSERT_EQ(queue.status, 200) << queue.body;
  Json items(queue.body);
  bool found = false;
  for (auto e : items["items"].get_array()) found = found || int64_t(e["id"]) == id;
  EXPECT_TRUE(found);
  EXPECT_EQ(handler->Get("/api/v1/queue?kind=later").status, 422);
  EXPECT_EQ(handler->Get("/api/v1/queue").status, 400);
  EXPECT_EQ(As("citizen")->Get("/api/v1/queue?kind=overdue").status, 403);
}

TEST_F(RoutingHttpTest, ANearbyReportOfTheSameCategoryIsProposedAsADuplicate) {
  auto op = As("operator");
  auto first = op->Post("/api/v1/events", CreateBody("井盖缺失"));
  ASSERT_EQ(first.status, 201);
  auto second = op->Post("/api/v1/events", CreateBody("井盖缺失（再次来电）"));
  ASSERT_EQ(second.status, 201);
  const std::int64_t a = int64_t(Json(first.body)["id"]);
  const std::int64_t b = int64_t(Json(second.body)["id"]);
  auto dispatcher = As("dispatcher");
  Json proposals(dispatcher->Get("/api/v1/events/" + std::to_string(b) + "/duplicates").body);
  bool proposed = false;
  for (auto p : proposals["items"].get_array()) {
    proposed =
        proposed || (int64_t(p["candidate_id"]) == a && std::string_view(p["state"]) == "proposed");
  }
  EXPECT_TRUE(proposed);
  const std::string url =
      "/api/v1/events/" + std::to_string(b) + "/duplicates/" + std::to_string(a);
  EXPECT_EQ(dispatcher->Post(url, R"({"decision":"maybe"})").status, 422);
  auto kept = dispatcher->Post(url, R"({"decision":"keep"})");
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(std::string_view(Json(kept.body)["status"]), "reported");  // kept apart
}

TEST_F(RoutingHttpTest, TheOrganisationAddsALocalDayOffThatDeadlinesSkip) {
  auto admin = As("admin");
  const HttpHeaders json = {{"Content-Type", "application/json"}};
  EXPECT_EQ(
      As("dispatcher")->Request("PUT", "/api/v1/calendar/settings", R"({"days":[]})", json).status,
      403);
  auto bad = admin->Request("PUT", "/api/v1/calendar/settings",
                            R"({"office_hours":[{"start":"12:00","end":"09:00"}]})", json);
  EXPECT_EQ(bad.status, 422) << bad.body;
  auto bad_date = admin->Request("PUT", "/api/v1/calendar/settings",
                                 R"({"days":[{"date":"2026-13-01","working":false}]})", json);
  EXPECT_EQ(bad_date.status, 422) << bad_date.body;
  // Monday 2026-12-28 becomes a local day off: one working day from Friday 25 December is
  // Tuesday 29 December instead of Monday.
  const std::string query =
      "/api/v1/calendar/deadline?start=2026-12-25T10:00:00%2B08:00&amount=1&unit=working_days";
  EXPECT_EQ(std::string_view(Json(admin->Get(query).body)["deadline"]),
            "2026-12-28T17:30:00+08:00");
  auto put = admin->Request(
      "PUT", "/api/v1/calendar/settings",
      R"({"days":[{"date":"2026-12-28","working":false,"name":"区级休息日"}]})", json);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(std::string_view(Json(admin->Get(query).body)["deadline"]),
            "2026-12-29T17:30:00+08:00");
  Json settings(admin->Get("/api/v1/calendar/settings").body);
  EXPECT_EQ(std::string_view(settings["days"].at(0)["date"]), "2026-12-28");
}

// The demo city holds open events long past their deadlines: the server's deadline watcher,
// loaded at start, supervises each up to the level now due, once per level, as "system".
TEST_F(RoutingHttpTest, TheWatcherSupervisesOverdueEventsOncePerLevel) {
  auto dispatcher = As("dispatcher");
  // The watcher works in the background from the start: look (bounded; each look is a few
  // requests) until an overdue event shows automatic notices.
  std::int64_t id = 0;
  std::set<std::int64_t> automatic;
  for (int attempt = 0; attempt < 100 && id == 0; ++attempt) {
    Json page(dispatcher->Get("/api/v1/events?overdue=true&limit=20").body);
    for (auto e : page["items"].get_array()) {
      const std::int64_t candidate = int64_t(e["id"]);
      Json routing(
          dispatcher->Get("/api/v1/events/" + std::to_string(candidate) + "/routing").body);
      std::set<std::int64_t> levels;
      for (auto n : routing["supervision_notices"].get_array()) {
        if (bool(n["automatic"])) {
          EXPECT_TRUE(levels.insert(int64_t(n["level"])).second) << "a level noticed twice";
        }
      }
      if (!levels.empty()) {
        id = candidate;
        automatic = levels;
        break;
      }
    }
    if (id == 0) usleep(50'000);
  }
  ASSERT_NE(id, 0) << "no overdue event was supervised automatically";
  Json e(dispatcher->Get("/api/v1/events/" + std::to_string(id)).body);
  EXPECT_GE(int64_t(e["supervision_level"]), *automatic.rbegin());
  EXPECT_EQ(std::string_view(e["deadline_state"]), "red");
  Json history(dispatcher->Get("/api/v1/events/" + std::to_string(id) + "/history").body);
  std::size_t by_system = 0;
  for (auto h : history["items"].get_array()) {
    by_system += std::string_view(h["action"]) == "supervise" &&
                 std::string_view(h["actor"]["username"]) == "system";
  }
  EXPECT_EQ(by_system, automatic.size());
}

}  // namespace
}  // namespace civicgrid::testing
