#include "kube_runtime/port_forward.h"

#include <fmt/format.h>

#include <algorithm>

namespace fusion {
namespace {

using Json = nlohmann::json;

constexpr Millis kFirstBackoff{1000};
constexpr Millis kMaxBackoff{30000};
/// A forward that ran this long before it ended is started again at once.
constexpr Millis kHealthyRun{10000};

bool pod_ready(const Json& pod) {
  if (pod["metadata"].contains("deletionTimestamp")) return false;
  const Json& status = pod.value("status", Json::object());
  if (status.value("phase", "") != "Running") return false;
  for (const Json& c : status.value("conditions", Json::array())) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

std::string ports_text(const ForwardTarget& t) {
  std::vector<std::string> parts;
  for (auto [local, remote] : t.ports) parts.push_back(fmt::format("{}→{}", local, remote));
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

std::vector<ForwardTarget> forward_targets(const Registry& registry,
                                           const std::vector<std::string>& services) {
  std::vector<ForwardTarget> out;
  for (const Service& s : registry.services) {
    if (!services.empty() &&
        std::find(services.begin(), services.end(), s.name.value) == services.end()) {
      continue;
    }
    ForwardTarget t{s.name.value, {}};
    for (const PortMapping& p : s.ports) {
      if (p.protocol != Protocol::kTcp) continue;  // kubectl port-forward speaks TCP only
      t.ports.emplace_back(p.host_port ? p.host_port : p.container_port, p.container_port);
    }
    if (!t.ports.empty()) out.push_back(std::move(t));
  }
  return out;
}

std::map<std::string, std::vector<std::string>> ready_pods(const std::vector<Json>& pods) {
  std::map<std::string, std::vector<const Json*>> by_service;
  for (const Json& pod : pods) {
    if (!pod_ready(pod)) continue;
    const Json& labels = pod["metadata"].value("labels", Json::object());
    by_service[labels.value("app.kubernetes.io/name", "")].push_back(&pod);
  }
  std::map<std::string, std::vector<std::string>> out;
  for (auto& [service, list] : by_service) {
    // RFC 3339 in UTC: text order is time order; ties by name, so the choice is stable.
    std::sort(list.begin(), list.end(), [](const Json* a, const Json* b) {
      auto key = [](const Json* p) {
        return std::pair(p->at("metadata").value("creationTimestamp", ""),
                         p->at("metadata").value("name", ""));
      };
      return key(a) > key(b);
    });
    for (const Json* p : list) out[service].push_back(p->at("metadata").value("name", ""));
  }
  return out;
}

ForwardSupervisor::ForwardSupervisor(std::vector<ForwardTarget> targets)
    : targets_(std::move(targets)), states_(targets_.size()) {}

std::vector<ForwardAction> ForwardSupervisor::step(
    TimePoint now, const std::map<std::string, std::vector<std::string>>& ready,
    const std::vector<bool>& running) {
  static const std::vector<std::string> kNone;
  std::vector<ForwardAction> actions;
  for (size_t i = 0; i < targets_.size(); ++i) {
    auto pods = ready.find(targets_[i].service);
    step_one(i, now, pods == ready.end() ? kNone : pods->second, i < running.size() && running[i],
             actions);
  }
  return actions;
}

void ForwardSupervisor::step_one(size_t i, TimePoint now, const std::vector<std::string>& pods,
                                 bool running, std::vector<ForwardAction>& actions) {
  State& s = states_[i];
  const ForwardTarget& t = targets_[i];
  bool pod_still_ready = std::find(pods.begin(), pods.end(), s.pod) != pods.end();
  if (!s.pod.empty() && running && pod_still_ready) return;  // all is well
  if (!s.pod.empty()) {
    std::string why;
    if (!pod_still_ready) {
      why = fmt::format("{}: pod {} is gone or not ready", t.service, s.pod);
      if (running) actions.push_back({ForwardAction::kStop, i, s.pod, why});
      s.backoff = Millis{0};
    } else {
      // The process ended on a pod that is still there: back off unless it had run a while.
      bool short_lived = now - s.started < kHealthyRun;
      s.backoff =
          short_lived ? std::min(kMaxBackoff, std::max(kFirstBackoff, s.backoff * 2)) : Millis{0};
      why = fmt::format("{}: the forward to {} ended", t.service, s.pod);
    }
    s.retry_at = now + s.backoff;
    s.pod.clear();
    if (pod_still_ready) actions.push_back({ForwardAction::kEnded, i, "", why});
  }
  if (pods.empty()) {
    if (!s.waiting) {
      actions.push_back(
          {ForwardAction::kWait, i, "",
           fmt::format("{}: waiting for a ready pod ({})", t.service, ports_text(t))});
      s.waiting = true;
    }
    return;
  }
  if (now < s.retry_at) return;
  s.waiting = false;
  s.pod = pods.front();
  s.started = now;
  actions.push_back({ForwardAction::kStart, i, s.pod,
                     fmt::format("{}: localhost {} to pod {}", t.service, ports_text(t), s.pod)});
}

std::optional<TimePoint> ForwardSupervisor::next_retry() const {
  std::optional<TimePoint> soonest;
  for (const State& s : states_) {
    if (!s.pod.empty() || s.backoff.count() == 0) continue;
    if (!soonest || s.retry_at < *soonest) soonest = s.retry_at;
  }
  return soonest;
}

}  // namespace fusion
