#include "gitops/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace fusion {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

std::vector<Millis> delays(Backoff& backoff, int count) {
  std::vector<Millis> out;
  for (int i = 0; i < count; ++i) out.push_back(backoff.next_delay());
  return out;
}

TEST(Backoff, DoublesFromOneSecondUpToTheCap) {
  Backoff backoff({.jitter = 0}, [] { return 0.5; });
  std::vector<Millis> expected = {seconds(1),  seconds(2),  seconds(4),  seconds(8), seconds(16),
                                  seconds(32), seconds(60), seconds(60), seconds(60)};
  EXPECT_EQ(delays(backoff, 9), expected);
  EXPECT_EQ(backoff.failures(), 9);
}

TEST(Backoff, WaitsTheCapOnceThenEveryIntervalIfThatIsLonger) {
  Backoff backoff({.interval = minutes(5), .jitter = 0}, [] { return 0.0; });
  std::vector<Millis> expected = {seconds(1),  seconds(2),  seconds(4), seconds(8), seconds(16),
                                  seconds(32), seconds(60), minutes(5), minutes(5)};
  EXPECT_EQ(delays(backoff, 9), expected);
}

TEST(Backoff, AnIntervalShorterThanTheCapChangesNothing) {
  Backoff backoff({.interval = seconds(30), .jitter = 0}, [] { return 0.0; });
  EXPECT_EQ(delays(backoff, 8).back(), seconds(60));
}

TEST(Backoff, JitterShortensEachDelayByItsShareOfTheRandomNumber) {
  // 0.2 jitter × 0.5 random: every delay is 90 % of its nominal length.
  Backoff backoff({}, [] { return 0.5; });
  std::vector<Millis> expected = {Millis(900),    Millis(1800),   Millis(3600),   Millis(7200),
                                  Millis(14'400), Millis(28'800), Millis(54'000), Millis(54'000)};
  EXPECT_EQ(delays(backoff, 8), expected);
}

TEST(Backoff, JitterNeverGoesPastTheNominalDelayOrBelowItsShare) {
  double next = 0;
  Backoff backoff({.base = seconds(10), .cap = seconds(10)}, [&] { return next; });
  next = 0.0;
  EXPECT_EQ(backoff.next_delay(), seconds(10));
  next = 0.999'999;
  EXPECT_EQ(backoff.next_delay(), Millis(8000));
  next = 7;  // a source out of its range is clamped, never a negative or longer delay
  EXPECT_EQ(backoff.next_delay(), Millis(8000));
}

TEST(Backoff, ResetStartsOverFromTheBase) {
  Backoff backoff({.jitter = 0}, [] { return 0.0; });
  delays(backoff, 4);
  backoff.reset();
  EXPECT_EQ(backoff.failures(), 0);
  EXPECT_EQ(backoff.next_delay(), seconds(1));
  EXPECT_EQ(backoff.next_delay(), seconds(2));
}

TEST(Backoff, TheIntervalCanChangeWithTheSpec) {
  Backoff backoff({.jitter = 0}, [] { return 0.0; });
  delays(backoff, 8);  // … 32 s, 60 s, 60 s
  backoff.set_interval(minutes(10));
  EXPECT_EQ(backoff.next_delay(), minutes(10));
}

}  // namespace
}  // namespace fusion
