#include "kube/rate_limiter.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(RateLimiter, SpendsTheBurstThenPacesAtQps) {
  FakeClock clock;
  RateLimiter limiter({.qps = 10, .burst = 3}, clock);
  EXPECT_EQ(limiter.reserve(), Millis(0));
  EXPECT_EQ(limiter.reserve(), Millis(0));
  EXPECT_EQ(limiter.reserve(), Millis(0));
  // The queue: each caller waits 100 ms longer than the one before.
  EXPECT_EQ(limiter.reserve(), Millis(100));
  EXPECT_EQ(limiter.reserve(), Millis(200));
  clock.advance(Millis(200));  // both waited; the bucket is empty again
  EXPECT_EQ(limiter.reserve(), Millis(100));
  clock.advance(Millis(10'000));  // a long idle refills at most the burst
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.reserve(), Millis(0));
  EXPECT_EQ(limiter.reserve(), Millis(100));
}

TEST(RateLimiter, ZeroQpsIsUnlimited) {
  FakeClock clock;
  RateLimiter limiter({.qps = 0, .burst = 0}, clock);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.reserve(), Millis(0));
}

}  // namespace
}  // namespace fusion
