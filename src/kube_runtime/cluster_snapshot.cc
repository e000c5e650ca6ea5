#include "kube_runtime/cluster_snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace fusion {
namespace {

using Json = nlohmann::json;

constexpr const char* kServiceNameLabel = "app.kubernetes.io/name";

/// Waiting reasons `up` fails on at once: none passes without a change to the image, the
/// config or the program (ErrImagePull does: it is the first try, before the back-off).
bool hopeless(const ReadinessProblem& problem) {
  static const std::set<std::string> kReasons = {
      "CrashLoopBackOff",           "ImagePullBackOff",     "ErrImageNeverPull", "InvalidImageName",
      "CreateContainerConfigError", "CreateContainerError", "RunContainerError"};
  return kReasons.contains(problem.reason);
}

/// The config-hash annotation the generator puts on a pod template (and so on its pods).
std::string template_hash(const Json& object) {
  const Json& metadata = object.value("metadata", Json::object());
  return metadata.value("annotations", Json::object()).value("io.fusion/config-hash", "");
}

}  // namespace

Result<LiveObjects> list_live(KubeClient& client, const std::string& namespace_,
                              const std::string& selector, const std::vector<StackKind>& kinds) {
  LiveObjects live;
  for (const StackKind& k : kinds) {
    auto list = client.list(k.api_version, k.kind, namespace_, {.label_selector = selector});
    if (!list) {
      if (list.error().not_found()) continue;
      return Error{fmt::format("listing {}s: {}", k.kind, list.error().describe())};
    }
    for (Json& item : list.value().items) {
      std::string name = item["metadata"].value("name", "");
      live[k.kind][name] = std::move(item);
    }
  }
  return live;
}

Result<StackWorkloads> list_workloads(KubeClient& client, const std::string& namespace_,
                                      const std::string& selector) {
  auto live = list_live(
      client, namespace_, selector,
      {{"apps/v1", "Deployment"}, {"apps/v1", "StatefulSet"}, {"batch/v1", "Job"}, {"v1", "Pod"}});
  if (!live) return Error{live.error()};
  StackWorkloads out;
  for (auto& [name, pod] : live.value()["Pod"]) {
    const Json& labels = pod["metadata"].value("labels", Json::object());
    out.pods[labels.value(kServiceNameLabel, "")].push_back(std::move(pod));
  }
  live.value().erase("Pod");
  out.workloads = std::move(live).value();
  return out;
}

WorkloadVerdict judge_workload(const Json& workload, const std::vector<Json>& pods,
                               bool must_complete, std::chrono::system_clock::time_point now) {
  if (workload.is_null()) return {WorkloadVerdict::kNotYet, "not seen on the cluster yet"};
  Readiness r = compute_readiness(workload, now);
  if (r.status == ReadinessStatus::kFailed) return {WorkloadVerdict::kFailed, r.message};
  // Only the pods of the workload's current template: an old ReplicaSet's broken pod is on
  // its way out, and says nothing about the new one.
  std::string current = template_hash(workload["spec"].value("template", Json::object()));
  for (const Json& pod : pods) {
    if (template_hash(pod) != current) continue;
    Readiness p = compute_readiness(pod, now);
    bool stuck = std::any_of(p.problems.begin(), p.problems.end(), hopeless);
    if (p.status == ReadinessStatus::kFailed || stuck) {
      return {WorkloadVerdict::kFailed,
              fmt::format("pod {}: {}", pod["metadata"].value("name", ""), p.message)};
    }
  }
  bool ready = must_complete ? r.completed : r.status == ReadinessStatus::kCurrent;
  return {ready ? WorkloadVerdict::kReady : WorkloadVerdict::kNotYet, r.message};
}

ClusterSnapshot::ClusterSnapshot(KubeClient& client, std::string namespace_name,
                                 std::string selector, std::chrono::milliseconds max_age)
    : client_(client),
      namespace_(std::move(namespace_name)),
      selector_(std::move(selector)),
      max_age_(max_age) {}

void ClusterSnapshot::refresh() {
  auto now = std::chrono::steady_clock::now();
  if (now - listed_at_ < max_age_) return;
  listed_at_ = now;
  error_.clear();
  auto listed = list_workloads(client_, namespace_, selector_);
  if (!listed) {
    error_ = listed.error();
    listed_ = {};
    return;
  }
  listed_ = std::move(listed).value();
}

void ClusterSnapshot::invalidate() {
  std::lock_guard lock(mutex_);
  listed_at_ = {};
}

WorkloadVerdict ClusterSnapshot::verdict(const std::string& service, const std::string& kind,
                                         const std::string& name, bool must_complete) {
  std::lock_guard lock(mutex_);
  refresh();
  if (!error_.empty()) return {WorkloadVerdict::kNotYet, error_};
  static const Json kNone;
  const Json* workload = &kNone;
  if (auto k = listed_.workloads.find(kind); k != listed_.workloads.end()) {
    if (auto it = k->second.find(name); it != k->second.end()) workload = &it->second;
  }
  static const std::vector<Json> kNoPods;
  auto pods = listed_.pods.find(service);
  return judge_workload(*workload, pods == listed_.pods.end() ? kNoPods : pods->second,
                        must_complete, std::chrono::system_clock::now());
}

}  // namespace fusion
