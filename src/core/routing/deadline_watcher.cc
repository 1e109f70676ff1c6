#include "core/routing/deadline_watcher.h"

#include <chrono>

#include "core/ports/clock.h"

namespace civicgrid {

namespace {
constexpr std::size_t kMaxFiredPerWake = 4096;  // lets Watch calls in between large batches
}

DeadlineWatcher::DeadlineWatcher(const Clock& clock, Fire fire)
    : clock_(clock), fire_(std::move(fire)) {}

DeadlineWatcher::~DeadlineWatcher() { Stop(); }

void DeadlineWatcher::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void DeadlineWatcher::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeadlineWatcher::Watch(EventId id, std::optional<TimeMs> due) {
  bool earlier = false;
  {
    std::lock_guard lock(mu_);
    if (!due) {
      current_.erase(id);
      return;
    }
    const std::uint64_t generation = ++next_generation_;
    current_[id] = generation;
    earlier = heap_.empty() || *due < heap_.top().due;
    heap_.push(Entry{*due, id, generation});
    if (earlier) poked_ = true;
  }
  if (earlier) cv_.notify_one();
}

void DeadlineWatcher::Wake() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_one();
}

std::size_t DeadlineWatcher::watched() const {
  std::lock_guard lock(mu_);
  return current_.size();
}

std::int64_t DeadlineWatcher::wakeups() const {
  std::lock_guard lock(mu_);
  return wakeups_;
}

std::int64_t DeadlineWatcher::fired() const {
  std::lock_guard lock(mu_);
  return fired_;
}

void DeadlineWatcher::Run() {
  std::unique_lock lock(mu_);
  std::vector<EventId> due_now;
  while (!stop_) {
    // Skip entries that a later Watch replaced or removed.
    while (!heap_.empty()) {
      const Entry& top = heap_.top();
      auto it = current_.find(top.id);
      if (it != current_.end() && it->second == top.generation) break;
      heap_.pop();
    }
    const auto poked = [&] { return stop_ || poked_; };
    if (heap_.empty()) {
      cv_.wait(lock, poked);
      poked_ = false;
      ++wakeups_;
      continue;
    }
    const TimeMs now = clock_.Now();
    if (heap_.top().due > now) {
      cv_.wait_for(lock, std::chrono::milliseconds(heap_.top().due - now), poked);
      poked_ = false;
      ++wakeups_;
      continue;
    }
    due_now.clear();
    while (!heap_.empty() && heap_.top().due <= now && due_now.size() < kMaxFiredPerWake) {
      const Entry top = heap_.top();
      heap_.pop();
      auto it = current_.find(top.id);
      if (it == current_.end() || it->second != top.generation) continue;
      current_.erase(it);
      due_now.push_back(top.id);
    }
    fired_ += static_cast<std::int64_t>(due_now.size());
    lock.unlock();
    for (EventId id : due_now) fire_(id);
    lock.lock();
  }
}

}  // namespace civicgrid
