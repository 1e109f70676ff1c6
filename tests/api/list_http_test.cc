// GET /api/v1/events: filters, Chinese search, keyset pagination and scope.
#include <set>

#include "api/demo_fixture.h"

namespace civicgrid::testing {
namespace {

class ListTest : public DemoServerTest {
 protected:
  std::vector<std::int64_t> Ids(HttpClient& who, const std::string& query,
                                std::string* next_cursor = nullptr) {
    auto r = who.Get("/api/v1/events?" + query);
    EXPECT_EQ(r.status, 200) << query << " → " << r.body;
    Json j(r.body);
    std::vector<std::int64_t> ids;
    if (!j.ok()) return ids;
    for (auto e : j["items"].get_array()) ids.push_back(int64_t(e["id"]));
    if (next_cursor != nullptr) {
      auto c = j["next_cursor"];
      *next_cursor = c.is_null() ? "" : std::string(std::string_view(c));
    }
    return ids;
  }
};

TEST_F(ListTest, TwoCharacterChineseWordsMatch) {
  auto op = As("operator");
  const std::int64_t id = CreateEvent(*op, "和平小区东门井盖缺失");
  auto di = As("dispatcher");
  for (const char* q : {"%E4%BA%95%E7%9B%96",                    // 井盖
                        "%E4%BA%95%E7%9B%96%E7%BC%BA%E5%A4%B1",  // 井盖缺失
                        "%E9%97%A8%E4%BA%95"}) {                 // 门井 (spans two words)
    auto ids = Ids(*di, std::string("limit=500&q=") + q);
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << q;
  }
  auto none = Ids(*di, "q=%E7%81%AB%E6%98%9F%E5%9F%BA%E5%9C%B0");  // 火星基地
  EXPECT_TRUE(none.empty());
  // FTS syntax in user input is just text.
  EXPECT_EQ(di->Get("/api/v1/events?q=%22%20AND%20(").status, 200);
}

TEST_F(ListTest, FiltersNarrowTheList) {
  auto di = As("dispatcher");
  auto r = di->Get("/api/v1/events?status=in_progress&limit=100");
  ASSERT_EQ(r.status, 200);
  Json j(r.body);
  ASSERT_GT(j["items"].get_array().size(), 0u);
  for (auto e : j["items"].get_array()) EXPECT_EQ(std::string_view(e["status"]), "in_progress");

  Json by_source(di->Get("/api/v1/events?source=camera&limit=100").body);
  for (auto e : by_source["items"].get_array()) EXPECT_EQ(std::string_view(e["source"]), "camera");

  Json by_category(di->Get("/api/v1/events?category=" + category_ + "&limit=100").body);
  for (auto e : by_category["items"].get_array()) {
    EXPECT_EQ(std::string_view(e["category"]).substr(0, category_.size()), category_);
  }
  Json by_dept(
      di->Get("/api/v1/events?department=" + std::to_string(handler_department_) + "&limit=100")
          .body);
  for (auto e : by_dept["items"].get_array()) {
    EXPECT_EQ(int64_t(e["department"]["id"]), handler_department_);
  }
  Json overdue(di->Get("/api/v1/events?overdue=true&limit=100").body);
  for (auto e : overdue["items"].get_array()) EXPECT_TRUE(bool(e["overdue"]));
  Json several(di->Get("/api/v1/events?status=closed,evaluated&limit=100").body);
  for (auto e : several["items"].get_array()) {
    const std::string_view s = e["status"];
    EXPECT_TRUE(s == "closed" || s == "evaluated") << s;
  }
}

TEST_F(ListTest, KeysetPaginationWalksEveryEventOnce) {
  auto admin = As("admin");
  std::set<std::int64_t> seen;
  std::string cursor;
  std::int64_t last = INT64_MAX;
  int pages = 0;
  do {
    auto ids = Ids(*admin, "limit=97" + (cursor.empty() ? "" : "&cursor=" + cursor), &cursor);
    for (auto id : ids) {
      EXPECT_LT(id, last) << "newest first, no repeats";
      last = id;
      EXPECT_TRUE(seen.insert(id).second);
    }
    ++pages;
  } while (!cursor.empty() && pages < 100);
  EXPECT_GE(seen.size(), 600u);
  EXPECT_GT(pages, 5);
}

TEST_F(ListTest, ScopeLimitsWhatEachRoleSees) {
  auto handler = As("handler");
  Json mine(handler->Get("/api/v1/events?limit=500").body);
  ASSERT_GT(mine["items"].get_array().size(), 0u);
  for (auto e : mine["items"].get_array()) {
    EXPECT_EQ(int64_t(e["department"]["id"]), handler_department_);
  }
  auto gw = As("grid_worker");
  Json me(gw->Get("/api/v1/me").body);
  const std::int64_t grid = int64_t(me["region"]["id"]);
  const std::int64_t gw_id = int64_t(me["id"]);
  // A hotline report in the worker's grid (the day's demo city may have none there).
  const auto at = PointInGrid(grid);
  ASSERT_TRUE(at.has_value()) << "no point found in grid " << grid;
  auto created = As("operator")->Post("/api/v1/events", CreateBody("路灯不亮", {}, *at));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t in_my_grid = int64_t(Json(created.body)["id"]);
  Json seen(gw->Get("/api/v1/events?limit=500").body);
  bool sees_it = false;
  for (auto e : seen["items"].get_array()) sees_it |= int64_t(e["id"]) == in_my_grid;
  EXPECT_TRUE(sees_it) << "the grid worker does not see a report in their grid";
  for (auto e : seen["items"].get_array()) {
    simdjson::dom::element g = e["grid"];
    const bool in_grid = !g.is_null() && int64_t(g["id"]) == grid;
    simdjson::dom::element reporter = e["reporter"]["user_id"];
    const bool reported = !reporter.is_null() && int64_t(reporter) == gw_id;
    EXPECT_TRUE(in_grid || reported) << int64_t(e["id"]);
  }
  // An event of another grid is invisible to the grid worker: 404, not 403.
  auto admin = As("admin");
  Json all(admin->Get("/api/v1/events?limit=500").body);
  for (auto e : all["items"].get_array()) {
    simdjson::dom::element g = e["grid"];
    if (!g.is_null() && int64_t(g["id"]) != grid) {
      EXPECT_EQ(gw->Get("/api/v1/events/" + std::to_string(int64_t(e["id"]))).status, 404);
      break;
    }
  }
}

TEST_F(ListTest, PhonesAreMaskedForRolesThatMayNotSeeThem) {
  auto op = As("operator");
  const std::int64_t id = CreateEvent(*op, "号码遮蔽");
  Json full(op->Get("/api/v1/events/" + std::to_string(id)).body);
  EXPECT_EQ(std::string_view(full["reporter"]["phone"]), "13800138000");
  Json masked(As("leader")->Get("/api/v1/events/" + std::to_string(id)).body);
  EXPECT_EQ(std::string_view(masked["reporter"]["phone"]), "138****8000");
}

}  // namespace
}  // namespace civicgrid::testing
