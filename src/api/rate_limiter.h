// Token-bucket rate limits by key (a client address, a bearer token): `rate` requests per
// second on average, bursts up to `burst`. Thread-safe; memory is bounded (idle buckets are
// dropped, they would be full anyway).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace civicgrid {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate <= 0 turns the limit off.
  RateLimiter(double rate, double burst);
  // 0 when the request may go ahead (and is counted), else the seconds to wait (at least 1).
  int Take(std::string_view key, Clock::time_point now = Clock::now());
  bool enabled() const { return rate_ > 0; }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point refilled{};
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;  // guarded by mu
  };
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kMaxBucketsPerShard = 8192;

  double rate_;
  double burst_;
  std::array<Shard, kShards> shards_;
};

}  // namespace civicgrid
