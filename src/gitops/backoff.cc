#include "gitops/backoff.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace fusion {

Backoff::Backoff(Options options, std::function<double()> random)
    : options_(options), random_(std::move(random)) {}

Millis Backoff::nominal_delay() const {
  // failures_ >= 1 here. Doubling stops at the cap, long before 2^n could overflow. The cap is
  // waited once; from the failure after it on, the interval when that is longer.
  Millis delay = options_.base;
  int at_cap = 0;  // failures whose delay was the cap
  for (int i = 1; i < failures_; ++i) {
    if (delay >= options_.cap) ++at_cap;
    delay = std::min(delay * 2, options_.cap);
  }
  delay = std::min(delay, options_.cap);
  return at_cap > 0 ? std::max(delay, options_.interval) : delay;
}

Millis Backoff::next_delay() {
  ++failures_;
  Millis nominal = nominal_delay();
  double share = std::clamp(random_(), 0.0, 1.0) * std::clamp(options_.jitter, 0.0, 1.0);
  auto shortened = static_cast<double>(nominal.count()) * (1.0 - share);
  return Millis(std::llround(shortened));
}

}  // namespace fusion
