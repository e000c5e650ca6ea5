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
    // A pod that ran to success is not a failure even when its phase says it is over.
    bool stuck = std::any_of(p.problems.begin(), p.problems.end(), hopeless);
    if ((p.status == ReadinessStatus::kFailed && !p.completed) || stuck) {
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
  workloads_.clear();
  pods_.clear();
  static const std::pair<const char*, const char*> kinds[] = {
      {"apps/v1", "Deployment"}, {"apps/v1", "StatefulSet"}, {"batch/v1", "Job"}, {"v1", "Pod"}};
  for (const auto& [api_version, kind] : kinds) {
    auto list = client_.list(api_version, kind, namespace_, {.label_selector = selector_});
    if (!list) {
      error_ = fmt::format("listing {}s: {}", kind, list.error().describe());
      return;
    }
    for (Json& item : list.value().items) {
      if (std::string(kind) == "Pod") {
        const Json& labels = item["metadata"].value("labels", Json::object());
        pods_[labels.value(kServiceNameLabel, "")].push_back(std::move(item));
      } else {
        std::string name = item["metadata"].value("name", "");
        workloads_[kind][name] = std::move(item);
      }
    }
  }
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
  if (auto k = workloads_.find(kind); k != workloads_.end()) {
    if (auto it = k->second.find(name); it != k->second.end()) workload = &it->second;
  }
  static const std::vector<Json> kNoPods;
  auto pods = pods_.find(service);
  return judge_workload(*workload, pods == pods_.end() ? kNoPods : pods->second, must_complete,
                        std::chrono::system_clock::now());
}

}  // namespace fusion
