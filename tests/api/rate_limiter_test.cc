#include "api/rate_limiter.h"

#include <gtest/gtest.h>

namespace civicgrid {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiterTest, AllowsTheBurstThenAsksToWaitAndRefills) {
  RateLimiter limiter(2, 4);  // 2/s, bursts of 4
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.Take("a", t0), 0) << i;
  EXPECT_EQ(limiter.Take("a", t0), 1);
  EXPECT_EQ(limiter.Take("b", t0), 0);          // keys are independent
  EXPECT_EQ(limiter.Take("a", t0 + 500ms), 0);  // one token back after 0.5 s
  EXPECT_EQ(limiter.Take("a", t0 + 500ms), 1);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.Take("a", t0 + 10s), 0) << i;  // full again
  EXPECT_EQ(limiter.Take("a", t0 + 10s), 1);
}

TEST(RateLimiterTest, ASlowRateAsksForSeveralSeconds) {
  RateLimiter limiter(0.1, 1);
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  EXPECT_EQ(limiter.Take("a", t0), 0);
  EXPECT_EQ(limiter.Take("a", t0), 10);
}

TEST(RateLimiterTest, ZeroRateIsOff) {
  RateLimiter limiter(0, 0);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Take("a"), 0);
}

}  // namespace
}  // namespace civicgrid
