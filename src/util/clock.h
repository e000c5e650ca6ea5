#pragma once
// Time as the core sees it: a Clock passed in, so schedulers and probes are tested in fake
// milliseconds without sleeping.

#include <chrono>

namespace fusion {

using TimePoint = std::chrono::steady_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SteadyClock : public Clock {
 public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

/// A clock that moves only when told to.
class FakeClock : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void advance_to(TimePoint t) {
    if (t > now_) now_ = t;
  }
  void advance(Millis d) { now_ += d; }

 private:
  TimePoint now_{};
};

}  // namespace fusion
