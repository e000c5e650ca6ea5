#pragma once
// How long a failing GitRepository waits before it tries again: exponential from `base`,
// doubling per failure up to `cap` (1 s, 2 s, 4 s … 32 s, 60 s), then every `interval` when that
// is longer than the cap, so a repository that stays broken costs no more than a healthy one.
// Each delay is shortened by a random share of up to `jitter`, so repositories that failed
// together (the API server went away) do not all come back in the same millisecond; the
// randomness comes in from outside, so tests see exact schedules.

#include <functional>

#include "util/clock.h"

namespace fusion {

class Backoff {
 public:
  struct Options {
    Millis base{1000};
    Millis cap{60'000};
    Millis interval{0};   ///< the poll interval: the delay after the cap was waited once, if longer
    double jitter = 0.2;  ///< each delay is between (1 - jitter) × and 1 × its nominal length
  };
  /// `random` returns a number in [0, 1): std::uniform_real_distribution over an engine for real,
  /// a constant in tests.
  Backoff(Options options, std::function<double()> random);

  /// The delay before the next attempt, counting one more failure.
  Millis next_delay();
  /// After a success: the next failure waits `base` again.
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }
  void set_interval(Millis interval) { options_.interval = interval; }

 private:
  Millis nominal_delay() const;

  Options options_;
  std::function<double()> random_;
  int failures_ = 0;
};

}  // namespace fusion
