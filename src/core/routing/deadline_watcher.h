// The deadline watcher: a min-heap of the instants at which open events next need automatic
// supervision, and one thread that sleeps on a condition variable until the earliest of them (or
// until a write moves one earlier), so it costs no CPU between crossings. When an instant comes
// it calls `fire(id)`, which submits the supervision write; the write's outcome re-arms the
// event through Watch. Updates replace an event's instant (stale heap entries are skipped).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/common/time.h"
#include "core/events/event.h"

namespace civicgrid {

class Clock;

class DeadlineWatcher {
 public:
  using Fire = std::function<void(EventId)>;
  // `fire` runs on the watcher's thread and must not block for long.
  DeadlineWatcher(const Clock& clock, Fire fire);
  ~DeadlineWatcher();
  DeadlineWatcher(const DeadlineWatcher&) = delete;
  DeadlineWatcher& operator=(const DeadlineWatcher&) = delete;

  void Start();
  void Stop();  // idempotent; joins the thread

  // The event's next instant (nullopt: not watched any more). Thread-safe.
  void Watch(EventId id, std::optional<TimeMs> due);
  // Re-reads the clock now (tests move an injected clock and call this).
  void Wake();

  std::size_t watched() const;
  // How often the thread woke up (a measure of its cost at rest).
  std::int64_t wakeups() const;
  std::int64_t fired() const;

 private:
  struct Entry {
    TimeMs due;
    EventId id;
    std::uint64_t generation;
    bool operator>(const Entry& o) const { return due > o.due; }
  };
  void Run();

  const Clock& clock_;
  Fire fire_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap_;  // guarded by mu_
  std::unordered_map<EventId, std::uint64_t> current_;                        // guarded by mu_
  std::uint64_t next_generation_ = 0;                                         // guarded by mu_
  bool poked_ = false;                                                        // guarded by mu_
  bool stop_ = false;                                                         // guarded by mu_
  std::int64_t wakeups_ = 0;                                                  // guarded by mu_
  std::int64_t fired_ = 0;                                                    // guarded by mu_
  std::thread thread_;
};

}  // namespace civicgrid
