// The demo city's base data (issue 3): 300-600 households per grid, and everything consistent
// with the grids — residents in their household's grid, places inside their grid's polygon, key
// persons looked after by their grid's worker, patrols placed where they were — plus the
// "latest patrol position per worker" read that camera alarms (issue 5) use.
#include "app/demo/demo_people.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "app/application.h"
#include "app/demo/demo_city.h"

namespace civicgrid {
namespace {

class DemoPeopleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = (std::filesystem::temp_directory_path() /
             ("civicgrid_demo_people_" + std::to_string(::getpid()) + ".db"))
                .string();
    for (const char* suffix : {"", "-wal", "-shm", ".key"}) std::filesystem::remove(path_ + suffix);
    AppOptions options;
    options.db_path = path_;
    auto app = Application::Open(options);
    ASSERT_TRUE(app.has_value()) << app.error().message;
    app_ = std::move(*app).release();
    DemoOptions city;
    city.events = 0;
    city.seed = 3;
    city.password = "demo-people-test";
    city.now = *ParseIso("2026-03-16T15:00:00+08:00");
    auto summary =
        GenerateDemoCity(app_->store(), app_->crypto(), app_->reference()->calendar(), city);
    ASSERT_TRUE(summary.has_value()) << summary.error().message;
    ASSERT_TRUE(app_->ReloadReference().ok());
    DemoPeopleOptions people;
    people.seed = 3;
    people.now = city.now;
    auto generated = GenerateDemoPeople(app_->store(), app_->crypto(), app_->cipher(),
                                        *app_->reference(), people);
    ASSERT_TRUE(generated.has_value()) << generated.error().message;
    summary_ = *generated;
  }
  static void TearDownTestSuite() {
    delete app_;
    for (const char* suffix : {"", "-wal", "-shm", ".key"}) std::filesystem::remove(path_ + suffix);
  }

  // The integer rows of `sql` (first two columns).
  static std::vector<std::pair<std::int64_t, std::int64_t>> Pairs(const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    while (sqlite3_step(s) == SQLITE_ROW) {
      out.emplace_back(sqlite3_column_int64(s, 0),
                       sqlite3_column_count(s) > 1 ? sqlite3_column_int64(s, 1) : 0);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
  }
  static std::int64_t One(const std::string& sql) { return Pairs(sql).at(0).first; }

  static inline std::string path_;
  static inline Application* app_ = nullptr;
  static inline DemoPeopleSummary summary_;
};

TEST_F(DemoPeopleTest, EveryGridHas300To600Households) {
  const auto per_grid = Pairs("SELECT grid_id, count(*) FROM households GROUP BY grid_id");
  EXPECT_EQ(per_grid.size(), 240u);
  for (const auto& [grid, count] : per_grid) {
    EXPECT_GE(count, 300) << grid;
    EXPECT_LE(count, 600) << grid;
  }
  EXPECT_EQ(One("SELECT count(*) FROM households"), summary_.households);
  EXPECT_EQ(One("SELECT count(*) FROM residents"), summary_.residents);
  EXPECT_GT(summary_.residents, summary_.households);
}

TEST_F(DemoPeopleTest, ResidentsLiveInTheirHouseholdsGridWithValidSealedIds) {
  EXPECT_EQ(One("SELECT count(*) FROM residents r JOIN households h ON h.id = r.household_id "
                "WHERE r.grid_id != h.grid_id OR r.street_id != h.street_id"),
            0);
  EXPECT_EQ(One("SELECT count(*) FROM residents WHERE household_id = 0"), 0);
  // Every resident type occurs; floating ones have arrivals, departed ones departures.
  EXPECT_GE(One("SELECT count(DISTINCT resident_type) FROM residents"), 5);
  EXPECT_EQ(
      One("SELECT count(*) FROM residents r WHERE resident_type = 'floating' AND NOT EXISTS "
          "(SELECT 1 FROM resident_moves m WHERE m.resident_id = r.id AND m.kind = 'arrive')"),
      0);
  EXPECT_EQ(
      One("SELECT count(*) FROM residents r WHERE status = 'departed' AND NOT EXISTS "
          "(SELECT 1 FROM resident_moves m WHERE m.resident_id = r.id AND m.kind = 'depart')"),
      0);
  EXPECT_GT(One("SELECT count(*) FROM residents WHERE status = 'departed'"), 0);
  // The sealed number opens to a valid ID number whose mask is the stored one.
  auto some = app_->store().FindResident(1);
  ASSERT_TRUE(some.has_value() && some->has_value());
  auto plain = app_->cipher().Open((*some)->id_sealed);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->substr(0, 4) + "**********" + plain->substr(14), (*some)->id_masked);
  EXPECT_EQ(app_->cipher().BlindIndex(*plain), (*some)->id_blind);
}

TEST_F(DemoPeopleTest, PlacesPatrolsAndKeyPersonsAreInTheirGrids) {
  const Territory& territory = app_->reference()->territory();
  BaseDataQuery all;
  all.scope.all = true;
  all.limit = 500;
  auto places = app_->store().ListPlaces(all);
  ASSERT_TRUE(places.has_value());
  ASSERT_FALSE(places->empty());
  for (const Place& p : *places) {
    const Region* grid = territory.LocateGrid(p.lon, p.lat);
    ASSERT_NE(grid, nullptr) << p.name;
    EXPECT_EQ(grid->id, p.path.grid_id) << p.name;
  }
  EXPECT_GE(One("SELECT count(DISTINCT kind) FROM places"), 5);
  auto patrols = app_->store().ListPatrols(all);
  ASSERT_TRUE(patrols.has_value());
  for (const PatrolCheckIn& p : *patrols) {
    const Region* grid = territory.LocateGrid(p.lon, p.lat);
    ASSERT_NE(grid, nullptr);
    EXPECT_EQ(grid->id, p.path.grid_id);
  }
  // Each patrol is by a grid worker of that grid; each key person is looked after by one.
  EXPECT_EQ(One("SELECT count(*) FROM patrols p JOIN users u ON u.id = p.user_id "
                "WHERE u.region_id != p.grid_id"),
            0);
  EXPECT_EQ(One("SELECT count(*) FROM key_persons k JOIN users u ON u.id = k.worker_id "
                "WHERE u.region_id != k.grid_id"),
            0);
  EXPECT_EQ(One("SELECT count(*) FROM key_persons k JOIN residents r ON r.id = k.resident_id "
                "WHERE r.grid_id != k.grid_id"),
            0);
  // Some key persons are overdue for a visit, most are not.
  const std::int64_t now = *ParseIso("2026-03-16T15:00:00+08:00");
  const std::int64_t overdue =
      One("SELECT count(*) FROM key_persons WHERE next_visit_due < " + std::to_string(now));
  EXPECT_GT(overdue, 0);
  EXPECT_LT(overdue, summary_.key_persons / 2);
  EXPECT_GE(One("SELECT count(DISTINCT day) FROM patrol_logs"), 6);
}

TEST_F(DemoPeopleTest, LatestPatrolPositionPerWorker) {
  auto workers = app_->store().ListUsersWithRole(Role::kGridWorker);
  ASSERT_TRUE(workers.has_value());
  std::vector<UserId> ids;
  for (const User& u : *workers) ids.push_back(u.id);
  const TimeMs since = *ParseIso("2026-03-16T00:00:00+08:00");
  auto latest = app_->store().LatestPatrolPositions(ids, since);
  ASSERT_TRUE(latest.has_value());
  EXPECT_GT(latest->size(), ids.size() / 2) << "most workers patrolled today";
  EXPECT_LT(latest->size(), ids.size()) << "some have not";
  const auto newest =
      Pairs("SELECT user_id, max(at) FROM patrols WHERE at >= " + std::to_string(since) +
            " GROUP BY user_id");
  std::map<std::int64_t, std::int64_t> expected(newest.begin(), newest.end());
  EXPECT_EQ(latest->size(), expected.size());
  for (const PatrolCheckIn& p : *latest) {
    EXPECT_EQ(p.at, expected[p.user_id]) << p.user_id;
    EXPECT_GE(p.at, since);
  }
  // Nobody patrols in the future.
  auto none = app_->store().LatestPatrolPositions(ids, since + 2 * kMsPerDay);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace civicgrid
