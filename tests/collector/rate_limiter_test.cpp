// The collector's per-client token buckets: limits, refill, and a table that
// stays within its size by evicting the client seen longest ago.
#include "collector/rate_limiter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

using npskit::cli::rate_limiter;
using std::chrono::seconds;

TEST(RateLimiter, AllowsABurstOfOneMinuteThenAsksToWait) {
  rate_limiter limiter(60);
  const auto start = rate_limiter::clock::time_point{} + seconds(1000);
  for (int i = 0; i < 60; ++i) EXPECT_EQ(limiter.acquire("10.0.0.1", start), 0) << i;
  EXPECT_EQ(limiter.acquire("10.0.0.1", start), 1);
  // Another client has a bucket of its own.
  EXPECT_EQ(limiter.acquire("10.0.0.2", start), 0);
  // One token a second comes back.
  EXPECT_EQ(limiter.acquire("10.0.0.1", start + seconds(1)), 0);
  EXPECT_EQ(limiter.acquire("10.0.0.1", start + seconds(1)), 1);
}

TEST(RateLimiter, ZeroTurnsLimitingOff) {
  rate_limiter limiter(0, 1);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.acquire("client " + std::to_string(i)), 0);
  EXPECT_EQ(limiter.tracked_clients(), 0u);
}

TEST(RateLimiter, EvictsTheClientUsedLongestAgoWhenFull) {
  rate_limiter limiter(1, 3);
  const auto now = rate_limiter::clock::time_point{} + seconds(1000);
  for (const char* client : {"a", "b", "c"}) EXPECT_EQ(limiter.acquire(client, now), 0);
  for (const char* client : {"a", "b", "c"}) EXPECT_EQ(limiter.acquire(client, now), 60);
  // "a" is used again, so "b" is now the one seen longest ago.
  EXPECT_EQ(limiter.acquire("a", now), 60);
  EXPECT_EQ(limiter.acquire("d", now), 0);
  EXPECT_EQ(limiter.tracked_clients(), 3u);
  // "a" and "c" kept their empty buckets; "b" lost its bucket and starts full.
  EXPECT_EQ(limiter.acquire("a", now), 60);
  EXPECT_EQ(limiter.acquire("c", now), 60);
  EXPECT_EQ(limiter.acquire("b", now), 0);
  // Making room for "b" evicted "d", the least recently used by then.
  EXPECT_EQ(limiter.acquire("d", now), 0);
  EXPECT_EQ(limiter.tracked_clients(), 3u);
}

TEST(RateLimiter, TheTableNeverGrowsPastItsCap) {
  rate_limiter limiter(10, 1000);
  const auto now = rate_limiter::clock::time_point{} + seconds(1000);
  for (int i = 0; i < 200000; ++i) {
    ASSERT_EQ(limiter.acquire("198.51." + std::to_string(i), now), 0);
  }
  EXPECT_EQ(limiter.tracked_clients(), 1000u);
  // The most recent clients are still tracked: their buckets are not full.
  for (int i = 0; i < 9; ++i) EXPECT_EQ(limiter.acquire("198.51.199999", now), 0);
  EXPECT_EQ(limiter.acquire("198.51.199999", now), 6);
}

TEST(RateLimiter, ADefaultTableHoldsManyClients) {
  rate_limiter limiter(600);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.acquire("client " + std::to_string(i)), 0);
  EXPECT_EQ(limiter.tracked_clients(), 1000u);
  EXPECT_GE(rate_limiter::default_max_clients, 10000u);
}

}  // namespace
