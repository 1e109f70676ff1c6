// Durability: events are created concurrently over HTTP, the server is killed with SIGKILL in
// the middle of the load and restarted. Every event that was acknowledged (201) must be there
// with its history, nothing may be half-written, and the database must be intact.
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "api/demo_fixture.h"

namespace civicgrid::testing {
namespace {

std::int64_t QueryInt(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  std::int64_t v = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return v;
}

std::string QueryText(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  std::string v;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    v = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return v;
}

TEST(CrashTest, AcknowledgedEventsSurviveKill9) {
  TempDir dir;
  const std::string db = dir.path() + "/city.db";
  MakeDemoDb(db, 50, kDemoPassword);
  ServerProcess server(db);
  ASSERT_TRUE(server.Start());

  HttpClient login("127.0.0.1", server.port());
  auto r = login.Post("/api/v1/auth/login", std::string(R"({"username":"operator","password":")") +
                                                kDemoPassword + "\"}");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string token(std::string_view(Json(r.body)["token"]));
  login.set_token(token);
  Json sample(login.Get("/api/v1/events?limit=1").body);
  auto first = sample["items"].at(0);
  char body[512];
  std::snprintf(
      body, sizeof body,
      R"({"source":"hotline","category":"%s","title":"崩溃测试 井盖缺失","description":"并发写入","location":{"lon":%.7f,"lat":%.7f}})",
      std::string(std::string_view(first["category"])).c_str(), double(first["location"]["lon"]),
      double(first["location"]["lat"]));

  constexpr int kThreads = 16;
  constexpr std::size_t kKillAfter = 1500;
  std::mutex mu;
  std::condition_variable enough;
  std::vector<std::int64_t> acked;  // guarded by mu
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c("127.0.0.1", server.port());
      c.set_token(token);
      for (int n = 0; !stop.load(); ++n) {
        auto res =
            c.Post("/api/v1/events", body,
                   {{"Idempotency-Key", "crash-" + std::to_string(t) + "-" + std::to_string(n)}});
        if (!res.ok) return;  // the server is gone
        if (res.status != 201) continue;
        Json j(res.body);
        std::lock_guard lock(mu);
        acked.push_back(int64_t(j["id"]));
        if (acked.size() >= kKillAfter) enough.notify_one();
      }
    });
  }
  {
    std::unique_lock lock(mu);
    enough.wait(lock, [&] { return acked.size() >= kKillAfter; });
  }
  server.Kill9();  // requests are still in flight on every thread
  stop = true;
  for (auto& t : threads) t.join();
  ASSERT_GE(acked.size(), kKillAfter);

  // Straight at the file, as the server left it.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  EXPECT_EQ(QueryText(raw, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(QueryInt(raw,
                     "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM "
                     "event_history h WHERE h.event_id = e.id)"),
            0)
      << "an event without its report row is half-written";
  EXPECT_EQ(QueryInt(raw,
                     "SELECT count(*) FROM events e WHERE history_count <> (SELECT "
                     "count(*) FROM event_history h WHERE h.event_id = e.id)"),
            0);
  std::string missing;
  for (auto id : acked) {
    if (QueryInt(raw, "SELECT count(*) FROM events WHERE id = " + std::to_string(id)) != 1) {
      missing += std::to_string(id) + " ";
    }
  }
  EXPECT_TRUE(missing.empty()) << "acknowledged but lost: " << missing;
  sqlite3_close(raw);

  // The restarted server serves them, and the hash chains hold.
  ServerProcess again(db);
  ASSERT_TRUE(again.Start());
  HttpClient c("127.0.0.1", again.port());
  c.set_token(token);
  for (std::size_t i = 0; i < acked.size(); i += 50) {
    auto got = c.Get("/api/v1/events/" + std::to_string(acked[i]));
    EXPECT_EQ(got.status, 200) << acked[i];
    auto h = c.Get("/api/v1/events/" + std::to_string(acked[i]) + "/history");
    EXPECT_EQ(Json(h.body)["items"].get_array().size(), 1u);
  }
  // ... and finds every one of them by its text: the search index (a file of its own, written
  // after the commits) catches up with what the kill cut off.
  std::set<std::int64_t> found;
  for (std::string cursor;;) {
    auto page = c.Get("/api/v1/events?q=%E5%B4%A9%E6%BA%83%E6%B5%8B%E8%AF%95&limit=500" +
                      (cursor.empty() ? "" : "&cursor=" + cursor));  // q=崩溃测试
    ASSERT_EQ(page.status, 200) << page.body;
    Json j(page.body);
    for (auto item : j["items"].get_array()) found.insert(std::int64_t(item["id"]));
    simdjson::dom::element next = j["next_cursor"];
    if (next.is_null()) break;
    cursor = std::string(std::string_view(next));
  }
  std::string unsearchable;
  for (auto id : acked) {
    if (found.count(id) == 0) unsearchable += std::to_string(id) + " ";
  }
  EXPECT_TRUE(unsearchable.empty()) << "acknowledged but not searchable: " << unsearchable;
  EXPECT_EQ(again.Terminate(), 0);
  std::string out;
  EXPECT_EQ(RunCivicgrid({"audit", "verify", "--db", db}, &out), 0) << out;
}

}  // namespace
}  // namespace civicgrid::testing
