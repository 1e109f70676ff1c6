// `civicgrid demo --now`: the city's year of events ends at a given time, so that a seed and a
// time give the same city on any day; a time that is not ISO 8601 is refused before anything is
// written.
#include <sqlite3.h>

#include <filesystem>

#include "api/demo_fixture.h"
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

}  // namespace
}  // namespace civicgrid::testing
