#pragma once
// A token bucket shared by every call of one client, as client-go's: `qps` tokens a second, at
// most `burst` saved up. Pure: it answers how long a caller must wait, it never sleeps.

#include <mutex>

#include "util/clock.h"

namespace fusion {

class RateLimiter {
 public:
  struct Options {
    double qps = 100;  ///< 0: unlimited
    int burst = 200;
  };
  RateLimiter(Options options, const Clock& clock);

  /// Takes one token and returns how long to wait before using it (zero when one was saved
  /// up). Callers that wait then go in the order they called.
  Millis reserve();

 private:
  Options options_;
  const Clock& clock_;
  std::mutex mutex_;
  double tokens_;
  TimePoint last_;
};

}  // namespace fusion
