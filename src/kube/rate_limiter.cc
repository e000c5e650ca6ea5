#include "kube/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace fusion {

RateLimiter::RateLimiter(Options options, const Clock& clock)
    : options_(options), clock_(clock), tokens_(std::max(1, options.burst)), last_(clock.now()) {}

Millis RateLimiter::reserve() {
  if (options_.qps <= 0) return Millis(0);
  std::lock_guard lock(mutex_);
  TimePoint now = clock_.now();
  double elapsed = std::chrono::duration<double>(now - last_).count();
  if (elapsed > 0) {
    tokens_ = std::min<double>(std::max(1, options_.burst), tokens_ + elapsed * options_.qps);
    last_ = now;
  }
  // A negative balance is the queue of callers already waiting: each one more waits 1/qps longer.
  tokens_ -= 1;
  if (tokens_ >= 0) return Millis(0);
  return Millis(static_cast<long>(std::ceil(-tokens_ / options_.qps * 1000.0)));
}

}  // namespace fusion
