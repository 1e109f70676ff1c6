#include "app/demo/demo_city.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "app/application.h"
#include "app/demo/demo_territory.h"
#include "core/events/history_chain.h"
#include "core/identity/role.h"
#include "crypto/sodium_crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid {
namespace {

constexpr std::int64_t kEvents = 2000;
constexpr std::uint64_t kSeed = 7;
constexpr const char* kPassword = "demo-test-pass";

TimeMs FixedNow() { return *ParseIso("2026-03-16T10:00:00+08:00"); }

struct Generated {
  std::filesystem::path path;
  std::unique_ptr<SqliteStore> store;
  DemoSummary summary;
};

const SodiumCrypto& TestCrypto() {
  static const SodiumCrypto crypto(SodiumCrypto::kOpsLimitMin, SodiumCrypto::kMemLimitMin);
  return crypto;
}

Generated Generate(std::uint64_t seed, std::int64_t events, const std::string& name) {
  Generated g;
  g.path = std::filesystem::temp_directory_path() /
           ("civicgrid_demo_" + std::to_string(::getpid()) + "_" + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(g.path.string() + suffix);
  }
  auto store = SqliteStore::Open(g.path.string());
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message);
  g.store = std::move(*store);
  auto calendar = LoadCalendar("");
  EXPECT_TRUE(calendar.has_value());
  DemoOptions options;
  options.events = events;
  options.seed = seed;
  options.password = kPassword;
  options.now = FixedNow();
  double last_fraction = -1;
  std::string last_stage;
  options.progress = [&](std::string_view stage, double fraction) {
    if (stage == last_stage) {
      EXPECT_GE(fraction, last_fraction) << stage;
    }
    last_stage = std::string(stage);
    last_fraction = fraction;
  };
  auto summary = GenerateDemoCity(*g.store, TestCrypto(), *calendar, options);
  EXPECT_TRUE(summary.has_value()) << (summary ? "" : summary.error().message);
  if (summary) g.summary = std::move(*summary);
  return g;
}

void Remove(Generated& g) {
  if (g.store) (void)g.store->Close();
  g.store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(g.path.string() + suffix);
  }
}

std::vector<Event> AllEvents(Store& store) {
  std::vector<Event> events;
  EventQuery q;
  q.visibility.all = true;
  q.limit = 500;
  for (;;) {
    auto page = store.ListEvents(q);
    EXPECT_TRUE(page.has_value());
    if (!page) break;
    for (auto& e : page->items) events.push_back(std::move(e));
    if (!page->has_more || events.empty()) break;
    q.before_id = events.back().id;
  }
  std::reverse(events.begin(), events.end());
  return events;
}

std::map<EventId, std::vector<HistoryEntry>> AllHistory(Store& store) {
  std::map<EventId, std::vector<HistoryEntry>> rows;
  EXPECT_TRUE(store
                  .ScanHistory([&](const HistoryEntry& h) {
                    rows[h.event_id].push_back(h);
                    return true;
                  })
                  .ok());
  return rows;
}

// Every stored field of every event and history row, in order.
std::string Digest(Store& store) {
  std::string all;
  for (const Event& e : AllEvents(store)) {
    all += std::to_string(e.id) + '|' + e.number + '|' + std::string(SourceName(e.source)) + '|' +
           e.category + '|' + e.title + '|' + e.description + '|' + std::to_string(e.lon) + '|' +
           std::to_string(e.lat) + '|' + e.address + '|' + std::to_string(e.grid_id) + '|' +
           std::to_string(e.owner_region_id) + '|' + e.reporter_name + '|' + e.reporter_phone +
           '|' + std::to_string(e.reporter_user_id) + '|' + std::to_string(e.priority) + '|' +
           std::string(StatusName(e.status)) + '|' + std::to_string(e.version) + '|' +
           std::to_string(e.department_id) + '|' + std::to_string(e.assignee_user_id) + '|' +
           std::to_string(e.deadline.value_or(-1)) + '|' + std::to_string(e.supervision_level) +
           '|' + std::to_string(e.escalation_level) + '|' + std::to_string(e.merged_into) + '|' +
           std::to_string(e.rating) + '|' + std::to_string(e.attachments.size()) + '|' +
           std::to_string(e.created_at) + '|' + std::to_string(e.updated_at) + '|' +
           std::to_string(e.closed_at.value_or(-1)) + '|' + e.last_hash + '\n';
  }
  for (const auto& [id, rows] : AllHistory(store)) {
    for (const auto& h : rows) all += h.hash + '\n';
  }
  return TestCrypto().Sha256Hex(all);
}

class DemoCityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    city_ = new Generated(Generate(kSeed, kEvents, "a"));
    ASSERT_TRUE(city_->store);
    auto regions = city_->store->LoadRegions();
    ASSERT_TRUE(regions.has_value());
    regions_ = new std::vector<Region>(std::move(*regions));
  }
  static void TearDownTestSuite() {
    Remove(*city_);
    delete city_;
    delete regions_;
  }
  static Store& store() { return *city_->store; }
  static const DemoSummary& summary() { return city_->summary; }
  static std::unordered_map<RegionId, const Region*> ById() {
    std::unordered_map<RegionId, const Region*> by_id;
    for (const auto& r : *regions_) by_id[r.id] = &r;
    return by_id;
  }
  static std::vector<const Region*> Level(RegionLevel level) {
    std::vector<const Region*> out;
    for (const auto& r : *regions_) {
      if (r.level == level) out.push_back(&r);
    }
    return out;
  }

  static inline Generated* city_ = nullptr;
  static inline std::vector<Region>* regions_ = nullptr;
};

bool Contains(const Region& r, double lon, double lat) {
  return !r.polygon.rings.empty() && PointInRing(r.polygon.rings.front(), lon, lat);
}

TEST_F(DemoCityTest, SummaryCountsWhatWasStored) {
  EXPECT_EQ(summary().events, kEvents);
  EXPECT_EQ(summary().regions, static_cast<std::int64_t>(regions_->size()));
  EXPECT_EQ(summary().grids, static_cast<std::int64_t>(Level(RegionLevel::kGrid).size()));
  EXPECT_GE(summary().grids, 200);
  EXPECT_EQ(summary().logins.size(), static_cast<std::size_t>(kRoleCount));
  std::int64_t rows = 0;
  for (const auto& [id, history] : AllHistory(store()))
    rows += static_cast<std::int64_t>(history.size());
  EXPECT_EQ(summary().history_rows, rows);
}

TEST_F(DemoCityTest, RegionTreeHasCodesByPrefixAndAPolygonAtEveryLevel) {
  const auto by_id = ById();
  ASSERT_EQ(Level(RegionLevel::kCity).size(), 1u);
  ASSERT_EQ(Level(RegionLevel::kDistrict).size(), 1u);
  EXPECT_EQ(Level(RegionLevel::kCity)[0]->code, "2101");
  EXPECT_EQ(Level(RegionLevel::kDistrict)[0]->code, "210102");
  EXPECT_GE(Level(RegionLevel::kStreet).size(), 8u);
  std::map<RegionId, int> children;
  for (const auto& r : *regions_) {
    EXPECT_FALSE(r.polygon.rings.empty()) << r.code;
    EXPECT_GE(r.polygon.rings.front().size(), 4u) << r.code;
    if (r.level == RegionLevel::kCity) continue;
    const auto parent = by_id.find(r.parent_id);
    ASSERT_NE(parent, by_id.end()) << r.code;
    EXPECT_EQ(static_cast<int>(parent->second->level) + 1, static_cast<int>(r.level)) << r.code;
    EXPECT_EQ(r.code.rfind(parent->second->code, 0), 0u) << r.code;
    ++children[r.parent_id];
    if (r.level == RegionLevel::kStreet) {
      EXPECT_EQ(r.code.size(), 9u);
    }
    if (r.level == RegionLevel::kCommunity) {
      EXPECT_EQ(r.code.size(), 12u);
    }
    if (r.level == RegionLevel::kGrid) {
      EXPECT_EQ(r.code.size(), 15u);
    }
  }
  for (const Region* street : Level(RegionLevel::kStreet)) {
    EXPECT_GE(children[street->id], 4) << street->code;
    EXPECT_LE(children[street->id], 7) << street->code;
  }
}

// Points on a fine lattice over the district: each lies in exactly one grid, whose community and
// street contain it too, and in no other community: grids tile communities without overlapping.
TEST_F(DemoCityTest, GridsTileTheDistrictWithoutOverlap) {
  const auto by_id = ById();
  const auto grids = Level(RegionLevel::kGrid);
  const auto communities = Level(RegionLevel::kCommunity);
  struct Box {
    double min_lon = 1e9, min_lat = 1e9, max_lon = -1e9, max_lat = -1e9;
  };
  std::vector<Box> boxes;
  for (const Region* g : grids) {
    Box b;
    for (const auto& p : g->polygon.rings.front()) {
      b.min_lon = std::min(b.min_lon, p.lon);
      b.max_lon = std::max(b.max_lon, p.lon);
      b.min_lat = std::min(b.min_lat, p.lat);
      b.max_lat = std::max(b.max_lat, p.lat);
    }
    boxes.push_back(b);
  }
  const Region& district = *Level(RegionLevel::kDistrict)[0];
  int sampled = 0;
  for (int i = 0; i < 300; ++i) {
    for (int j = 0; j < 240; ++j) {
      // Irrational offsets keep samples off the vertices' 6-decimal lattice.
      const double lon = 123.38 + (i + 0.5 + 0.1 * std::sqrt(2.0)) * (0.10 / 300);
      const double lat = 41.76 + (j + 0.5 + 0.1 * std::sqrt(3.0)) * (0.08 / 240);
      ASSERT_TRUE(Contains(district, lon, lat)) << lon << "," << lat;
      const Region* found = nullptr;
      int hits = 0;
      for (std::size_t k = 0; k < grids.size(); ++k) {
        const Box& b = boxes[k];
        if (lon < b.min_lon || lon > b.max_lon || lat < b.min_lat || lat > b.max_lat) continue;
        if (Contains(*grids[k], lon, lat)) {
          ++hits;
          found = grids[k];
        }
      }
      ASSERT_EQ(hits, 1) << lon << "," << lat;
      const Region& community = *by_id.at(found->parent_id);
      EXPECT_TRUE(Contains(community, lon, lat)) << found->code;
      EXPECT_TRUE(Contains(*by_id.at(community.parent_id), lon, lat)) << found->code;
      int in_communities = 0;
      for (const Region* c : communities) in_communities += Contains(*c, lon, lat) ? 1 : 0;
      EXPECT_EQ(in_communities, 1) << lon << "," << lat;
      ++sampled;
    }
  }
  EXPECT_EQ(sampled, 300 * 240);
}

TEST_F(DemoCityTest, EveryRoleHasAUserNamedAfterIt) {
  auto departments = store().LoadDepartments();
  ASSERT_TRUE(departments.has_value());
  EXPECT_GE(departments->size(), 15u);
  std::map<std::string, DepartmentId> department_by_code;
  for (const auto& d : *departments) department_by_code[d.code] = d.id;
  const Region& district = *Level(RegionLevel::kDistrict)[0];
  const auto by_id = ById();
  for (int i = 0; i < kRoleCount; ++i) {
    const Role role = static_cast<Role>(i);
    auto user = store().FindUserByName(RoleName(role));
    ASSERT_TRUE(user.has_value());
    ASSERT_TRUE(user->has_value()) << RoleName(role);
    const User& u = **user;
    EXPECT_TRUE(u.roles.Has(role)) << u.username;
    EXPECT_TRUE(TestCrypto().VerifyPassword(u.password_hash, kPassword)) << u.username;
    EXPECT_EQ(summary().logins[static_cast<std::size_t>(i)].username, RoleName(role));
    EXPECT_EQ(summary().logins[static_cast<std::size_t>(i)].password, kPassword);
    switch (role) {
      case Role::kDispatcher:
      case Role::kLeader:
      case Role::kOperator: EXPECT_EQ(u.region_id, district.id) << u.username; break;
      case Role::kGridWorker: EXPECT_EQ(by_id.at(u.region_id)->level, RegionLevel::kGrid); break;
      case Role::kStreetLead: EXPECT_EQ(by_id.at(u.region_id)->level, RegionLevel::kStreet); break;
      case Role::kHandler: EXPECT_EQ(u.department_id, department_by_code.at("urban")); break;
      default: break;
    }
  }
  // Grid workers for every grid, handlers for every department.
  const Region& first_grid = *Level(RegionLevel::kGrid)[0];
  auto gw = store().FindUserByName("gw_" + first_grid.code);
  ASSERT_TRUE(gw.has_value() && gw->has_value());
  EXPECT_EQ((*gw)->region_id, first_grid.id);
  for (const auto& d : *departments) {
    auto handler = store().FindUserByName("handler_" + d.code);
    ASSERT_TRUE(handler.has_value() && handler->has_value()) << d.code;
    EXPECT_EQ((*handler)->department_id, d.id);
  }
}

TEST_F(DemoCityTest, CategoriesHaveResponsibleDepartmentsAndLimits) {
  auto categories = store().LoadCategories();
  auto departments = store().LoadDepartments();
  ASSERT_TRUE(categories.has_value() && departments.has_value());
  std::set<DepartmentId> ids;
  for (const auto& d : *departments) ids.insert(d.id);
  std::set<std::string> codes;
  for (const auto& c : *categories) codes.insert(c.code);
  int leaves = 0;
  for (const auto& c : *categories) {
    EXPECT_TRUE(ids.count(c.department_id)) << c.code;
    EXPECT_GT(c.time_limit, 0) << c.code;
    if (c.parent_code.empty()) continue;
    ++leaves;
    EXPECT_TRUE(codes.count(c.parent_code)) << c.code;
    EXPECT_EQ(c.code.rfind(c.parent_code, 0), 0u) << c.code;
  }
  EXPECT_GE(leaves, 40);
}

TEST_F(DemoCityTest, EventsArePlacedInTheirGridAndSpreadOverTheYear) {
  const auto by_id = ById();
  const auto events = AllEvents(store());
  ASSERT_EQ(static_cast<std::int64_t>(events.size()), kEvents);
  std::set<EventStatus> statuses;
  std::set<EventSource> sources;
  std::set<std::string> numbers;
  for (const Event& e : events) {
    statuses.insert(e.status);
    sources.insert(e.source);
    EXPECT_TRUE(numbers.insert(e.number).second) << e.number;
    ASSERT_EQ(e.number.size(), 15u) << e.number;
    EXPECT_LT(e.created_at, FixedNow());
    EXPECT_GE(e.created_at, FixedNow() - 366 * kMsPerDay);
    EXPECT_GE(e.updated_at, e.created_at);
    EXPECT_LE(e.updated_at, FixedNow());
    EXPECT_FALSE(e.title.empty());
    EXPECT_FALSE(e.description.empty());
    const Region& grid = *by_id.at(e.grid_id);
    ASSERT_EQ(grid.level, RegionLevel::kGrid);
    EXPECT_TRUE(Contains(grid, e.lon, e.lat)) << e.id;
    EXPECT_EQ(grid.parent_id, e.community_id);
    EXPECT_EQ(by_id.at(e.community_id)->parent_id, e.street_id);
    EXPECT_EQ(by_id.at(e.street_id)->parent_id, e.district_id);
    if (e.escalation_level == 0) {
      EXPECT_EQ(e.owner_region_id, e.street_id);
    } else {
      EXPECT_EQ(e.owner_region_id, e.district_id);
    }
    if (e.reporter_phone.size() != 0) {
      EXPECT_EQ(e.reporter_phone.size(), 11u);
    }
    if (e.status == EventStatus::kMerged) {
      EXPECT_NE(e.merged_into, 0);
    }
  }
  EXPECT_EQ(statuses.size(), static_cast<std::size_t>(kEventStatusCount));
  EXPECT_EQ(sources.size(), static_cast<std::size_t>(kEventSourceCount));
}

TEST_F(DemoCityTest, EveryHistoryReplaysToItsEvent) {
  const auto events = AllEvents(store());
  const auto history = AllHistory(store());
  HistoryChainVerifier verifier(TestCrypto());
  std::set<EventAction> actions;
  for (const Event& e : events) {
    const auto it = history.find(e.id);
    ASSERT_NE(it, history.end()) << e.id;
    const auto& rows = it->second;
    for (const auto& h : rows) {
      verifier.Add(h);
      actions.insert(h.action);
    }
    verifier.CheckHead(e.id, e.history_count, e.last_hash);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows.front().action, EventAction::kReport);
    EXPECT_EQ(rows.front().at, e.created_at);
    EXPECT_EQ(rows.back().to_status, e.status) << e.id;
    EXPECT_EQ(rows.back().at, e.updated_at) << e.id;
    EXPECT_EQ(static_cast<std::int64_t>(rows.size()), e.version) << e.id;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].from_status, rows[i - 1].to_status) << e.id;
      EXPECT_GT(rows[i].at, rows[i - 1].at) << e.id;
    }
  }
  for (const auto& b : verifier.broken()) {
    ADD_FAILURE() << "event " << b.event_id << " seq " << b.seq << ": " << b.problem;
  }
  EXPECT_EQ(verifier.events(), kEvents);
  // Every kind of step happens somewhere.
  EXPECT_EQ(actions.size(), static_cast<std::size_t>(kEventActionCount));
}

TEST_F(DemoCityTest, RefusesADatabaseThatAlreadyHasACity) {
  auto calendar = LoadCalendar("");
  ASSERT_TRUE(calendar.has_value());
  DemoOptions options;
  options.events = 10;
  options.now = FixedNow();
  auto again = GenerateDemoCity(store(), TestCrypto(), *calendar, options);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(DemoCityTest, SameSeedGivesTheSameCity) {
  Generated twin = Generate(kSeed, kEvents, "b");
  Generated other = Generate(kSeed + 1, kEvents, "c");
  ASSERT_TRUE(twin.store && other.store);
  const std::string digest = Digest(store());
  EXPECT_EQ(Digest(*twin.store), digest);
  EXPECT_NE(Digest(*other.store), digest);
  Remove(twin);
  Remove(other);
}

TEST(DemoCity, GeneratesAPasswordWhenNoneIsGiven) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("civicgrid_demo_" + std::to_string(::getpid()) + "_pw.db");
  auto store = SqliteStore::Open(path.string());
  ASSERT_TRUE(store.has_value());
  auto calendar = LoadCalendar("");
  ASSERT_TRUE(calendar.has_value());
  DemoOptions options;
  options.events = 20;
  options.now = FixedNow();
  auto summary = GenerateDemoCity(**store, TestCrypto(), *calendar, options);
  ASSERT_TRUE(summary.has_value()) << summary.error().message;
  const std::string password = summary->logins.front().password;
  EXPECT_GE(password.size(), 10u);
  auto admin = (*store)->FindUserByName("admin");
  ASSERT_TRUE(admin.has_value() && admin->has_value());
  EXPECT_TRUE(TestCrypto().VerifyPassword((*admin)->password_hash, password));
  (void)(*store)->Close();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace
}  // namespace civicgrid
