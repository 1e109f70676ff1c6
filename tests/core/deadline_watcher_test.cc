// The deadline watcher with an injected clock: it fires each watched instant once, when the
// clock has passed it, and a later Watch replaces or cancels an event's instant.
#include "core/routing/deadline_watcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "core/ports/clock.h"

namespace civicgrid {
namespace {

class FakeClock final : public Clock {
 public:
  TimeMs Now() const override { return now_.load(); }
  void Set(TimeMs t) { now_.store(t); }

 private:
  std::atomic<TimeMs> now_{1'000'000};
};

class Fired {
 public:
  void Add(EventId id) {
    {
      std::lock_guard lock(mu_);
      ids_.push_back(id);
    }
    cv_.notify_all();
  }
  // Waits until `n` ids have fired (a generous bound only against a hang).
  std::vector<EventId> WaitFor(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(20), [&] { return ids_.size() >= n; });
    return ids_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<EventId> ids_;
};

TEST(DeadlineWatcherTest, FiresOnceWhenTheClockPassesTheInstantInOrder) {
  FakeClock clock;
  Fired fired;
  DeadlineWatcher watcher(clock, [&](EventId id) { fired.Add(id); });
  watcher.Start();
  watcher.Watch(1, 2'000'000);
  watcher.Watch(2, 3'000'000);
  watcher.Watch(3, 9'000'000);
  EXPECT_EQ(watcher.watched(), 3u);
  clock.Set(3'000'000);
  watcher.Wake();
  EXPECT_EQ(fired.WaitFor(2), (std::vector<EventId>{1, 2}));
  EXPECT_EQ(watcher.watched(), 1u);  // fired instants are forgotten
  // Waking again without a crossing fires nothing more; the third fires at its own instant.
  watcher.Wake();
  clock.Set(9'000'000);
  watcher.Wake();
  EXPECT_EQ(fired.WaitFor(3), (std::vector<EventId>{1, 2, 3}));
  watcher.Stop();
  EXPECT_EQ(watcher.fired(), 3);
}

TEST(DeadlineWatcherTest, ALaterWatchReplacesOrCancelsTheInstant) {
  FakeClock clock;
  Fired fired;
  DeadlineWatcher watcher(clock, [&](EventId id) { fired.Add(id); });
  watcher.Start();
  watcher.Watch(1, 2'000'000);
  watcher.Watch(1, 5'000'000);  // the deadline moved (an extension)
  watcher.Watch(2, 2'000'000);
  watcher.Watch(2, std::nullopt);  // closed
  watcher.Watch(3, 2'500'000);
  clock.Set(3'000'000);
  watcher.Wake();
  EXPECT_EQ(fired.WaitFor(1), (std::vector<EventId>{3}));
  clock.Set(5'000'000);
  watcher.Wake();
  EXPECT_EQ(fired.WaitFor(2), (std::vector<EventId>{3, 1}));
  watcher.Stop();
  EXPECT_EQ(watcher.fired(), 2);
}

TEST(DeadlineWatcherTest, SleepsWithoutWakingWhenNothingIsDue) {
  FakeClock clock;
  DeadlineWatcher watcher(clock, [](EventId) {});
  watcher.Start();
  watcher.Watch(1, clock.Now() + 3'600'000);  // an hour ahead on a clock that does not move
  watcher.Stop();
  // Woken only by the Watch that moved the earliest instant (and possibly the stop).
  EXPECT_LE(watcher.wakeups(), 2);
}

}  // namespace
}  // namespace civicgrid
