// The deadline watcher under load (issue 5): 1,000,000 watched open deadlines, of which
// `crossing` real events in the SQLite store cross their deadline within a 10-second window;
// each crossing writes its supervision notice (the production write, RoutingService::
// SuperviseDue). Reports the delay from crossing to committed notice, the latency of reads
// (event by id + a list page) before and during the window, and the process CPU at rest.
//   deadline_watch_bench [watched] [crossing]   (defaults 1,000,000 and 20,000)
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "app/application.h"
#include "app/demo/demo_city.h"
#include "core/routing/deadline_watcher.h"
#include "core/routing/reference_data.h"
#include "crypto/sodium_crypto.h"
#include "store/sqlite/sqlite_store.h"

namespace civicgrid {
namespace {

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Reads as an API request would make them, timing each pair until `stop`.
std::vector<double> ReadLoop(Store& store, EventId max_id, const std::atomic<bool>& stop) {
  std::vector<double> ms;
  std::mt19937_64 rng(7);
  while (!stop.load()) {
    const auto t0 = std::chrono::steady_clock::now();
    (void)store.FindEvent(1 + static_cast<EventId>(rng() % static_cast<std::uint64_t>(max_id)));
    EventQuery q;
    q.visibility.all = true;
    q.limit = 50;
    (void)store.ListEvents(q);
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return ms;
}

int Run(std::size_t watched, std::size_t crossing) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("deadline_watch_bench_" + std::to_string(::getpid()) + ".db"))
                               .string();
  {
    auto store = SqliteStore::Open(path);
    if (!store) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 1;
    auto calendar = LoadCalendar("");
    const SodiumCrypto crypto(SodiumCrypto::kOpsLimitMin, SodiumCrypto::kMemLimitMin);
    DemoOptions options;
    options.events = 0;
    options.password = "bench-pass-1";
    if (auto demo = GenerateDemoCity(**store, crypto, *calendar, options); !demo) {
      return std::fprintf(stderr, "%s\n", demo.error().message.c_str()), 1;
    }
    (void)(*store)->Close();
  }
  AppOptions app_options;
  app_options.db_path = path;
  auto opened = Application::Open(app_options);
  if (!opened) return std::fprintf(stderr, "%s\n", opened.error().message.c_str()), 1;
  Application& app = **opened;
  auto ref = app.reference();
  const Category& category = ref->categories().back();

  // The crossing events: dispatched, deadlines spread over [20 s, 30 s) from now.
  const TimeMs base = app.clock().Now() + 20'000;
  std::vector<EventId> ids(crossing);
  std::vector<TimeMs> due(crossing);
  {
    std::promise<Status> stored;
    app.store().Submit(
        [&](WriteTx& tx) -> Status {
          for (std::size_t i = 0; i < crossing; ++i) {
            Event e;
            e.number = "BENCH-" + std::to_string(i);
            e.category = category.code;
            e.title = "督办压测";
            e.status = EventStatus::kDispatched;
            e.department_id = ref->departments().front().id;
            e.created_at = e.updated_at = base - 86'400'000;
            e.deadline = base + static_cast<TimeMs>(i * 10'000 / crossing);
            e.last_hash = "genesis";
            if (auto s = tx.InsertEvent(e); !s) return s;
            EventRouting r;
            r.event_id = e.id;
            r.clock_start = e.created_at;
            r.limit_ms = 8 * 3'600'000;
            if (auto s = tx.PutEventRouting(r); !s) return s;
            ids[i] = e.id;
            due[i] = *e.deadline;
          }
          return Status::Ok();
        },
        [&](Status s) { stored.set_value(s); });
    if (auto s = stored.get_future().get(); !s) {
      return std::fprintf(stderr, "%s\n", s.error().message.c_str()), 1;
    }
  }
  if (app.clock().Now() >= base) return std::fprintf(stderr, "setup too slow\n"), 1;

  std::mutex mu;
  std::condition_variable cv;
  std::vector<double> delay_ms;
  std::unique_ptr<DeadlineWatcher> watcher;
  const Clock& clock = app.clock();
  watcher = std::make_unique<DeadlineWatcher>(clock, [&](EventId id) {
    const TimeMs crossed = due[static_cast<std::size_t>(id - ids.front())];
    app.routing().SuperviseDue(id, [&, id, crossed](Result<RoutingService::Supervised> r) {
      const TimeMs committed = clock.Now();
      if (r) watcher->Watch(id, r->next_due);
      std::lock_guard lock(mu);
      if (r && r->event.supervision_level >= 1)
        delay_ms.push_back(static_cast<double>(committed - crossed));
      cv.notify_all();
    });
  });
  for (std::size_t i = 0; i < crossing; ++i) watcher->Watch(ids[i], due[i]);
  const TimeMs far = clock.Now() + 86'400'000;  // the rest: open, far from their deadlines
  for (std::size_t i = crossing; i < watched; ++i) {
    watcher->Watch(1'000'000'000 + static_cast<EventId>(i), far + static_cast<TimeMs>(i));
  }
  watcher->Start();
  std::printf("deadline_watch_bench: %zu watched, %zu real events crossing over 10 s\n",
              watcher->watched(), crossing);

  // Reads before the window (baseline) and during it.
  std::atomic<bool> stop{false};
  std::vector<double> baseline;
  std::thread reader([&] { baseline = ReadLoop(app.store(), ids.back(), stop); });
  std::this_thread::sleep_until(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(base - 500)));
  stop = true;
  reader.join();
  stop = false;
  std::vector<double> during;
  std::thread reader2([&] { during = ReadLoop(app.store(), ids.back(), stop); });
  {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(60), [&] { return delay_ms.size() >= crossing; });
  }
  stop = true;
  reader2.join();
  std::printf("  notices written   : %zu of %zu\n", delay_ms.size(), crossing);
  std::printf("  crossing -> notice: p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
              Percentile(delay_ms, 0.5), Percentile(delay_ms, 0.99), Percentile(delay_ms, 1.0));
  std::printf("  reads before      : %zu, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", baseline.size(),
              Percentile(baseline, 0.5), Percentile(baseline, 0.99), Percentile(baseline, 1.0));
  std::printf("  reads during      : %zu, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", during.size(),
              Percentile(during, 0.5), Percentile(during, 0.99), Percentile(during, 1.0));

  // At rest: every remaining deadline is a day away.
  const std::int64_t wakeups0 = watcher->wakeups();
  const double cpu0 = CpuSeconds();
  std::this_thread::sleep_for(std::chrono::seconds(5));
  const double cpu = CpuSeconds() - cpu0;
  std::printf("  at rest (5 s, %zu watched): process CPU %.4f s, watcher wake-ups %lld\n",
              watcher->watched(), cpu, static_cast<long long>(watcher->wakeups() - wakeups0));
  watcher->Stop();
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  const bool ok = delay_ms.size() == crossing && Percentile(delay_ms, 1.0) <= 2000;
  return ok ? 0 : 2;
}

}  // namespace
}  // namespace civicgrid

int main(int argc, char** argv) {
  const std::size_t watched = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const std::size_t crossing = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20'000;
  return civicgrid::Run(watched, crossing);
}
