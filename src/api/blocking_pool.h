// A few threads for slow, blocking work (password hashing at login) that must not run on the
// I/O threads. Bounded: TrySubmit refuses when the queue is full, so a burst of logins is
// answered 429 instead of piling up.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace civicgrid {

class BlockingPool {
 public:
  BlockingPool(int threads, std::size_t max_queued);
  ~BlockingPool();  // Shutdown()
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // False when the queue is full or the pool is shut down; `job` is then not run.
  bool TrySubmit(std::function<void()> job);
  // Runs the jobs already queued, then joins the threads. Idempotent.
  void Shutdown();

 private:
  void Work();

  const std::size_t max_queued_;
  std::mutex join_mu_;  // serialises Shutdown
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace civicgrid
