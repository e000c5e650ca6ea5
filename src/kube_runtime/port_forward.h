#pragma once
// `fusion forward`: each service's published ports on localhost, forwarded to one of its ready
// pods, and forwarded again by itself when that pod goes (a rollout, a restart, a crash) or the
// forward's process ends — the thing a bare `kubectl port-forward` does not do. The supervisor
// decides and never runs anything: the caller lists the pods, runs the forwards and steps it.

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "registry/model.h"
#include "util/clock.h"

namespace fusion {

/// One service's ports to forward: localhost port → container port.
struct ForwardTarget {
  std::string service;
  std::vector<std::pair<uint16_t, uint16_t>> ports;
  auto operator<=>(const ForwardTarget&) const = default;
};

/// The TCP ports of `services` (empty: all) that fusion.yaml publishes (`ports`), each on the
/// same localhost port as on the engine; one published on an ephemeral port there ("8080") on
/// its own number, as `kubectl port-forward` reads "8080". Services that publish none are left
/// out.
std::vector<ForwardTarget> forward_targets(const Registry& registry,
                                           const std::vector<std::string>& services);

/// The stack's pods that can take a forward, by service (app.kubernetes.io/name): Running,
/// Ready and not being deleted; newest first.
std::map<std::string, std::vector<std::string>> ready_pods(const std::vector<nlohmann::json>& pods);

struct ForwardAction {
  /// kStart: start the forward on `pod`; kStop: stop the running one; kEnded: its process ended
  /// by itself (the caller says why); kWait: no pod to forward to yet.
  enum Kind { kStart, kStop, kEnded, kWait };
  Kind kind = kWait;
  size_t target = 0;  ///< index into the supervisor's targets
  std::string pod;    ///< for kStart: the pod to forward to
  std::string why;    ///< for the user: what happened
};

class ForwardSupervisor {
 public:
  explicit ForwardSupervisor(std::vector<ForwardTarget> targets);

  const std::vector<ForwardTarget>& targets() const { return targets_; }

  /// What to do at `now`, given the ready pods by service and whether each target's forward
  /// still runs (`running[i]`, as the caller last started it). A forward whose pod is no longer
  /// ready is stopped and started on the newest ready pod; one whose process ended is started
  /// again, at once when it had run a while, else after 1, 2, 4 … 30 s. kWait is reported once
  /// each time a target starts waiting for a ready pod. Actions come in the order to do them.
  std::vector<ForwardAction> step(TimePoint now,
                                  const std::map<std::string, std::vector<std::string>>& ready,
                                  const std::vector<bool>& running);

  /// The soonest time a step would act without new input (a backoff ending); nullopt: none.
  std::optional<TimePoint> next_retry() const;

 private:
  struct State {
    std::string pod;  ///< the pod its forward was started on; empty: none running
    TimePoint started{};
    TimePoint retry_at{};
    Millis backoff{0};
    bool waiting = false;  ///< kWait reported, no ready pod since
  };

  void step_one(size_t i, TimePoint now, const std::vector<std::string>& pods, bool running,
                std::vector<ForwardAction>& actions);

  std::vector<ForwardTarget> targets_;
  std::vector<State> states_;
};

}  // namespace fusion
