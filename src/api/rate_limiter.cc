#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace civicgrid {

RateLimiter::RateLimiter(double rate, double burst)
    : rate_(rate), burst_(std::max(1.0, std::max(burst, rate))) {}

int RateLimiter::Take(std::string_view key, Clock::time_point now) {
  if (rate_ <= 0) return 0;
  Shard& shard = shards_[std::hash<std::string_view>()(key) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(std::string(key));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= kMaxBucketsPerShard) {
      // Drop the buckets that have refilled completely: forgetting them changes nothing.
      const double full_after_s = burst_ / rate_;
      std::erase_if(shard.buckets, [&](const auto& kv) {
        return std::chrono::duration<double>(now - kv.second.refilled).count() >= full_after_s;
      });
      if (shard.buckets.size() >= kMaxBucketsPerShard) shard.buckets.clear();
    }
    it = shard.buckets.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.refilled).count();
  if (elapsed > 0) {
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.refilled = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
}

}  // namespace civicgrid
