// Scale checks of the SQLite adapter on a city-sized database, run on demand:
//   CIVICGRID_STORE_SCALE=1000000 build-store/civicgrid_store_tests --gtest_filter='SqliteScale*'
// (CIVICGRID_STORE_SCALE_DB=path keeps the database between runs). Prints the figures.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <thread>

#include "store_test_support.h"

namespace civicgrid::store_test {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

constexpr TimeMs kStart = 1'735'660'800'000;  // 2025-01-01

const char* const kPhrases[] = {
    "井盖缺失", "路灯不亮",     "道路破损", "垃圾满溢", "违章停车",     "占道经营",   "噪音扰民",
    "油烟污染", "私搭乱建",     "绿地脏乱", "积水严重", "树木倒伏",     "广告牌松动", "下水道堵塞",
    "楼道堆物", "电动车充电",   "高空抛物", "邻里纠纷", "物业纠纷",     "欠薪讨薪",   "无证经营",
    "施工扰民", "消防通道堵塞", "小区东门", "学校门口", "菜市场旁",     "公交站台",   "十字路口",
    "老旧小区", "请尽快处理",   "居民反映", "多次投诉", "存在安全隐患", "影响出行"};
constexpr int kPhraseCount = sizeof(kPhrases) / sizeof(kPhrases[0]);

// An event of a city after `i` reports: the old are closed, the newest still open.
Event CityEvent(std::int64_t i, std::int64_t total, std::mt19937_64& rng) {
  Event e;
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  e.number = "N" + std::to_string(i);
  const int src = pick(100);
  e.source = src < 45   ? EventSource::kGridApp
             : src < 75 ? EventSource::kHotline
             : src < 85 ? EventSource::kWeb
             : src < 90 ? EventSource::kOpen311
             : src < 97 ? EventSource::kCamera
                        : static_cast<EventSource>(5 + pick(3));
  const int cls = 1 + pick(8);
  char code[32];
  std::snprintf(code, sizeof code, "%02d%02d", cls, 1 + pick(10));
  e.category = code;
  e.title = std::string(kPhrases[pick(kPhraseCount)]) + kPhrases[pick(kPhraseCount)];
  e.description = std::string(kPhrases[pick(kPhraseCount)]) + "，" + kPhrases[pick(kPhraseCount)] +
                  "，" + kPhrases[pick(kPhraseCount)] + " near block " + std::to_string(pick(50));
  e.grid_id = 100000 + pick(10000);
  e.community_id = 10000 + (e.grid_id - 100000) / 20;
  e.street_id = 1000 + (e.grid_id - 100000) / 200;
  e.district_id = 100 + (e.grid_id - 100000) / 1000;
  e.owner_region_id = e.grid_id;
  e.reporter_user_id = e.source == EventSource::kGridApp ? 1 + pick(20000) : 0;
  e.created_at = kStart + i * 30'000;
  e.updated_at = e.created_at + pick(86'400'000);
  const double age = static_cast<double>(total - i) / static_cast<double>(total);
  if (age < 0.03) {
    const EventStatus open[] = {EventStatus::kReported, EventStatus::kAccepted,
                                EventStatus::kDispatched, EventStatus::kInProgress,
                                EventStatus::kHandled};
    e.status = open[pick(5)];
  } else {
    const int r = pick(100);
    e.status = r < 55   ? EventStatus::kEvaluated
               : r < 90 ? EventStatus::kClosed
               : r < 96 ? EventStatus::kRejected
                        : EventStatus::kMerged;
  }
  if (e.status != EventStatus::kReported && e.status != EventStatus::kRejected) {
    e.department_id = 1 + pick(60);
    e.deadline = e.created_at + 3 * 86'400'000;
  }
  return e;
}

std::int64_t ScaleFromEnv() {
  const char* v = std::getenv("CIVICGRID_STORE_SCALE");
  return v == nullptr ? 0 : std::atoll(v);
}

TEST(SqliteScale, BulkInsertListAndCreate) {
  const std::int64_t total = ScaleFromEnv();
  if (total <= 0) GTEST_SKIP() << "set CIVICGRID_STORE_SCALE=<events> to run";
  TempDir dir;
  const char* kept = std::getenv("CIVICGRID_STORE_SCALE_DB");
  const std::string path = kept != nullptr ? kept : dir.File("scale.db");
  SqliteOptions options;
  options.replay_units = std::getenv("CIVICGRID_STORE_SCALE_REPLAY") != nullptr;
  if (const char* page = std::getenv("CIVICGRID_STORE_SCALE_PAGE"))
    options.page_size = std::atoi(page);
  auto opened = SqliteStore::Open(path, options);
  ASSERT_TRUE(opened) << opened.error().message;
  Store& store = **opened;

  EventQuery everything;
  everything.visibility.all = true;
  everything.limit = 1;
  const bool fresh = store.ListEvents(everything)->items.empty();
  if (fresh) {
    // The demo generator's path: large units of events with six history rows each.
    constexpr std::int64_t kUnit = 5000;
    std::atomic<int> failures{0};
    const auto t0 = Clock::now();
    for (std::int64_t first = 0; first < total; first += kUnit) {
      const std::int64_t end = std::min(total, first + kUnit);
      store.Submit(
          [first, end, total](WriteTx& tx) -> Status {
            std::mt19937_64 rng(static_cast<std::uint64_t>(first));
            for (std::int64_t i = first; i < end; ++i) {
              Event e = CityEvent(i, total, rng);
              if (Status s = tx.InsertEvent(e); !s.ok()) return s;
              for (std::int64_t seq = 1; seq <= 6; ++seq) {
                if (Status s = tx.AppendHistory(SampleHistory(e, seq)); !s.ok()) return s;
              }
            }
            return Status::Ok();
          },
          [&](Status s) {
            if (!s.ok()) failures.fetch_add(1);
          });
    }
    store.Drain();
    const double ms = MsSince(t0);
    ASSERT_EQ(failures.load(), 0);
    std::printf("bulk insert: %lld events + %lld history rows in %.1f s (%.0f events/s)\n",
                static_cast<long long>(total), static_cast<long long>(total * 6), ms / 1000,
                static_cast<double>(total) * 1000 / ms);
  }

  struct Case {
    const char* name;
    EventQuery q;
  };
  std::vector<Case> cases;
  const auto add = [&](const char* name, auto edit) {
    EventQuery q;
    q.visibility.all = true;
    q.limit = 50;
    q.now = kStart + total * 30'000;
    edit(q);
    cases.push_back({name, q});
  };
  const TimeMs end = kStart + total * 30'000;
  add("newest", [](EventQuery&) {});
  add("status reported", [](EventQuery& q) { q.statuses = {EventStatus::kReported}; });
  add("status merged", [](EventQuery& q) { q.statuses = {EventStatus::kMerged}; });
  add("open statuses", [](EventQuery& q) {
    q.statuses = {EventStatus::kReported, EventStatus::kAccepted, EventStatus::kDispatched,
                  EventStatus::kInProgress, EventStatus::kHandled};
  });
  add("category 0305", [](EventQuery& q) { q.category = "0305"; });
  add("category class 07", [](EventQuery& q) { q.category = "07"; });
  add("source petition", [](EventQuery& q) { q.source = EventSource::kPetition; });
  add("department 17", [](EventQuery& q) { q.department_id = 17; });
  add("district", [](EventQuery& q) {
    q.region_level = RegionLevel::kDistrict;
    q.region_id = 103;
  });
  add("street", [](EventQuery& q) {
    q.region_level = RegionLevel::kStreet;
    q.region_id = 1017;
  });
  add("community", [](EventQuery& q) {
    q.region_level = RegionLevel::kCommunity;
    q.region_id = 10123;
  });
  add("grid", [](EventQuery& q) { q.grid_id = 104321; });
  add("created last week", [&](EventQuery& q) { q.created_from = end - 7 * 86'400'000LL; });
  add("created a month, a year ago", [&](EventQuery& q) {
    q.created_from = end - 395 * 86'400'000LL;
    q.created_to = end - 365 * 86'400'000LL;
  });
  add("created before a year ago", [&](EventQuery& q) { q.created_to = end - 365 * 86'400'000LL; });
  add("updated since yesterday", [&](EventQuery& q) { q.updated_from = end - 86'400'000LL; });
  add("updated before a year ago", [&](EventQuery& q) { q.updated_to = end - 365 * 86'400'000LL; });
  add("overdue", [](EventQuery& q) { q.overdue = true; });
  add("not overdue", [](EventQuery& q) { q.overdue = false; });
  add("text 井盖", [](EventQuery& q) { q.text = "井盖"; });
  add("text 井盖缺失 东门", [](EventQuery& q) { q.text = "井盖缺失 东门"; });
  add("text rare", [](EventQuery& q) { q.text = "欠薪讨薪 消防通道"; });
  add("text absent", [](EventQuery& q) { q.text = "地震"; });
  add("text one char", [](EventQuery& q) { q.text = "薪"; });
  add("text block 7", [](EventQuery& q) { q.text = "block 7"; });
  add("grid worker", [](EventQuery& q) {
    q.visibility = Visibility{false, RegionLevel::kGrid, 104321, 0, 777};
  });
  add("street lead, open", [](EventQuery& q) {
    q.visibility = Visibility{false, RegionLevel::kStreet, 1017, 0, 0};
    q.statuses = {EventStatus::kReported, EventStatus::kAccepted, EventStatus::kDispatched,
                  EventStatus::kInProgress, EventStatus::kHandled};
  });
  add("department queue", [](EventQuery& q) {
    q.visibility = Visibility{false, RegionLevel::kGrid, 0, 17, 0};
    q.statuses = {EventStatus::kDispatched, EventStatus::kInProgress};
  });
  add("handler, text", [](EventQuery& q) {
    q.visibility = Visibility{false, RegionLevel::kDistrict, 103, 17, 0};
    q.text = "路灯";
  });
  add("page 100 deep", [](EventQuery& q) { q.before_id = 5000; });

  if (std::getenv("CIVICGRID_STORE_SCALE_SKIP_LISTS") != nullptr) cases.clear();
  for (const Case& c : cases) {
    double first = 0, best = 1e9;
    std::size_t items = 0;
    for (int run = 0; run < 3; ++run) {
      const auto t0 = Clock::now();
      auto page = store.ListEvents(c.q);
      const double ms = MsSince(t0);
      ASSERT_TRUE(page) << c.name << ": " << page.error().message;
      items = page->items.size();
      if (run == 0) first = ms;
      best = std::min(best, ms);
    }
    std::printf("  %-28s %3zu items  first %7.2f ms  warm %7.2f ms\n", c.name, items, first, best);
    EXPECT_LT(best, 50.0) << c.name;
  }

  // The create path of the server: five steps in one unit, from many threads at once.
  constexpr int kThreads = 8;
  constexpr int kPerThread = 12'500;
  std::atomic<int> failures{0};
  const auto t0 = Clock::now();
  const std::clock_t cpu0 = std::clock();
  const std::string run = std::to_string(t0.time_since_epoch().count());
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<std::uint64_t>(t) + 99);
      for (int i = 0; i < kPerThread; ++i) {
        auto e = std::make_shared<Event>(CityEvent(total, total, rng));
        const std::string key = run + "-" + std::to_string(t) + "-" + std::to_string(i);
        store.Submit(
            [e, key, t](WriteTx& tx) -> Status {
              auto seen = tx.FindIdempotentEvent(t + 1, key);
              if (!seen) return seen.error();
              if (seen->has_value()) return Status::Ok();
              auto seq = tx.NextDailySequence("20991231");
              if (!seq) return seq.error();
              auto id = tx.NextEventId();
              if (!id) return id.error();
              e->id = *id;
              e->number = "20991231-" + std::to_string(*seq);
              if (Status s = tx.InsertEvent(*e); !s.ok()) return s;
              if (Status s = tx.AppendHistory(SampleHistory(*e, 1)); !s.ok()) return s;
              return tx.PutIdempotencyKey(t + 1, key, e->id, e->created_at);
            },
            [&](Status s) {
              if (!s.ok()) failures.fetch_add(1);
            });
      }
    });
  }
  for (auto& t : threads) t.join();
  store.Drain();
  const double ms = MsSince(t0);
  EXPECT_EQ(failures.load(), 0);
  const double cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  std::printf("creates: %d in %.0f ms = %.0f/s (%.1f s of CPU: %.0f per CPU second)\n",
              kThreads * kPerThread, ms, kThreads * kPerThread * 1000.0 / ms, cpu_s,
              kThreads * kPerThread / cpu_s);
}

}  // namespace
}  // namespace civicgrid::store_test
