// `civicgrid demo --now`: the city's year of events ends at a given time, so that a seed and a
// time give the same city on any day; a time that is not ISO 8601 is refused before anything is
// written. And on whatever day the city is made, its printed logins can walk the loop from its
// newest report.
#include <sqlite3.h>

#include <filesystem>
#include <sstream>

#include "api/identity_http_support.h"
#include "core/common/time.h"

namespace civicgrid::testing {
namespace {

constexpr const char* kNow = "2025-06-30T18:00:00+08:00";

// Every event's number, place, text, status, times and last history hash, in id order: what
// another day's run must reproduce.
std::string EventsDigest(const std::string& db) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(raw,
                         "SELECT group_concat(number || '|' || title || '|' || lon || '|' || "
                         "lat || '|' || status || '|' || created_at || '|' || updated_at || "
                         "'|' || last_hash, char(10)) FROM (SELECT * FROM events ORDER BY id)",
                         -1, &s, nullptr),
      SQLITE_OK);
  std::string digest;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
    digest = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return digest;
}

std::int64_t LatestActivity(const std::string& db) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(raw, "SELECT max(at) FROM event_history", -1, &s, nullptr);
  const std::int64_t latest = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return latest;
}

std::vector<std::string> DemoArgs(const std::string& db, const std::string& now) {
  return {"demo", "--db",  db,  "--events",   "300",         "--seed",
          "11",   "--now", now, "--password", kDemoPassword, "--households-per-grid",
          "2"};
}

TEST(DemoCliTest, AFixedNowGivesTheSameEventsOnAnyDay) {
  TempDir dir;
  const std::string first = dir.path() + "/first.db", second = dir.path() + "/second.db";
  std::string out;
  ASSERT_EQ(RunCivicgrid(DemoArgs(first, kNow), &out), 0) << out;
  ASSERT_EQ(RunCivicgrid(DemoArgs(second, kNow), &out), 0) << out;
  const std::string digest = EventsDigest(first);
  ASSERT_FALSE(digest.empty());
  EXPECT_EQ(EventsDigest(second), digest);
  // The year ends at --now, not at the wall clock.
  const std::int64_t latest = LatestActivity(first);
  EXPECT_LE(latest, *ParseIso(kNow));
  EXPECT_GT(latest, *ParseIso(kNow) - 7 * kMsPerDay);
}

// --force through a symbolic link (a database kept on another disk, say) replaces the file the
// link points at, with its WAL, and keeps the link.
TEST(DemoCliTest, ForceThroughASymbolicLinkReplacesItsTarget) {
  TempDir dir;
  const std::string real = dir.path() + "/disk/city.db", link = dir.path() + "/city.db";
  std::filesystem::create_directory(dir.path() + "/disk");
  std::filesystem::create_symlink(real, link);
  std::string out;
  ASSERT_EQ(RunCivicgrid(DemoArgs(link, kNow), &out), 0) << out;
  std::vector<std::string> args = DemoArgs(link, "2025-01-31T18:00:00+08:00");
  args.push_back("--force");
  ASSERT_EQ(RunCivicgrid(args, &out), 0) << out;
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_TRUE(std::filesystem::is_regular_file(real));
  // The second city, whole: its year ends at the second --now.
  EXPECT_LE(LatestActivity(link), *ParseIso("2025-01-31T18:00:00+08:00"));
  EXPECT_GT(LatestActivity(link), *ParseIso("2025-01-31T18:00:00+08:00") - 7 * kMsPerDay);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(link.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "ok");
  sqlite3_finalize(s);
  sqlite3_close(raw);
}

TEST(DemoCliTest, ANowThatIsNotATimeIsRefusedAndWritesNothing) {
  TempDir dir;
  for (const std::string bad : {"yesterday", "2025-13-01", "2025-06-30T25:00:00+08:00", ""}) {
    const std::string db = dir.path() + "/bad.db";
    std::string out;
    EXPECT_EQ(RunCivicgrid(DemoArgs(db, bad), &out), 1) << bad << ": " << out;
    EXPECT_NE(out.find("--now"), std::string::npos) << out;
    EXPECT_FALSE(std::filesystem::exists(db)) << bad;
  }
}

// What an outside client does first (the contract smoke check among them): take the newest
// report the dispatcher sees as a sample of a category and a place, report a like one as the
// operator, accept it as the dispatcher, and claim it as the handler. The demo's newest report
// is a waiting hotline call about a matter of the handler's department, whatever the day; the
// days below cover working days, weekends, holidays and every season.
TEST(DemoCliTest, ThePrintedLoginsWalkTheLoopFromTheNewestReportOnAnyDay) {
  for (const std::string now :
       {"2026-01-01T09:00:00+08:00", "2026-02-17T03:00:00+08:00", "2026-03-08T14:00:00+08:00",
        "2026-05-02T22:30:00+08:00", "2026-07-20T10:00:00+08:00", "2026-10-03T08:00:00+08:00",
        "2026-11-21T16:45:00+08:00", "2026-12-26T23:59:00+08:00"}) {
    SCOPED_TRACE(now);
    TempDir dir;
    const std::string db = dir.path() + "/city.db";
    std::string out;
    ASSERT_EQ(RunCivicgrid(DemoArgs(db, now), &out), 0) << out;
    ServerProcess server(db);
    ASSERT_TRUE(server.Start());
    HttpClient op("127.0.0.1", server.port()), di("127.0.0.1", server.port()),
        ha("127.0.0.1", server.port());
    op.set_token(Login(op, "operator", kDemoPassword));
    di.set_token(Login(di, "dispatcher", kDemoPassword));
    ha.set_token(Login(ha, "handler", kDemoPassword));

    Json newest(di.Get("/api/v1/events?limit=1").body);
    ASSERT_TRUE(newest.ok());
    const auto sample = newest["items"].at(0);
    EXPECT_EQ(std::string_view(sample["status"]), "reported");
    EXPECT_EQ(std::string_view(sample["source"]), "hotline");
    std::ostringstream body;
    body.precision(10);
    body
        << R"({"source":"hotline","category":")" << std::string_view(sample["category"])
        << R"(","title":"小区门口井盖缺失","description":"居民来电反映井盖缺失","location":{"lon":)"
        << double(sample["location"]["lon"]) << R"(,"lat":)" << double(sample["location"]["lat"])
        << "}}";
    auto created = op.Post("/api/v1/events", body.str());
    ASSERT_EQ(created.status, 201) << created.body;
    const auto id = std::to_string(std::int64_t(Json(created.body)["id"]));

    auto accepted =
        di.Post("/api/v1/events/" + id + "/actions", R"({"action":"accept","expected_version":1})");
    ASSERT_EQ(accepted.status, 200) << accepted.body;
    Json event(accepted.body);
    EXPECT_EQ(std::string_view(event["status"]), "dispatched");
    Json me(ha.Get("/api/v1/me").body);
    EXPECT_EQ(std::int64_t(event["department"]["id"]), std::int64_t(me["department"]["id"]));
    auto claimed = ha.Post("/api/v1/events/" + id + "/actions",
                           R"({"action":"claim","expected_version":)" +
                               std::to_string(std::int64_t(event["version"])) + "}");
    EXPECT_EQ(claimed.status, 200) << claimed.body;
  }
}

}  // namespace
}  // namespace civicgrid::testing
