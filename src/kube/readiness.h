#pragma once
// Whether a Kubernetes object has reached the state its spec asks for, as kstatus
// (sigs.k8s.io/cli-utils pkg/kstatus/status) computes it: a pure function of the object as the
// API server returns it, with kstatus's statuses, reasons and messages, plus what kstatus leaves
// out and a person needs to act: the container waiting reasons, the scheduler's and the
// controllers' own messages, and whether a Job or a Pod ran to success.

#include <chrono>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fusion {

/// kstatus's statuses. NotFound is not one: an object that does not exist is the caller's to
/// report, from the API's 404.
enum class ReadinessStatus {
  kCurrent,      ///< reconciled: the controller reached what the spec asks
  kInProgress,   ///< not yet, and nothing says it will not get there
  kFailed,       ///< stalled: it will not get there without a change
  kTerminating,  ///< metadata.deletionTimestamp is set
  kUnknown,      ///< the object is malformed (a field of the wrong type, an unknown Pod phase)
};

/// One thing found wrong, from a condition or a container's state.
struct ReadinessProblem {
  std::string subject;  ///< "container web", "init container migrate", "condition Progressing"
  std::string reason;   ///< "ImagePullBackOff", "ProgressDeadlineExceeded", "BackoffLimitExceeded"
  std::string message;  ///< the kubelet's or the controller's text; may be empty
};

struct Readiness {
  ReadinessStatus status = ReadinessStatus::kUnknown;
  /// kstatus's CamelCase reason of the Reconciling or Stalled condition it would add
  /// ("LessReady", "ProgressDeadlineExceeded", "ContainerCrashLooping", "JobFailed"); empty when
  /// Current, Terminating or Unknown.
  std::string reason;
  /// One line: kstatus's message ("Deployment is available. Replicas: 3", "Ready: 1/3"), then
  /// the problems found, e.g. `Pod is in the Pending phase: container api: ImagePullBackOff:
  /// Back-off pulling image "registry.local/api:1.4"`.
  std::string message;
  std::vector<ReadinessProblem> problems;
  /// A Job with condition Complete=True, or a Pod in phase Succeeded: a one-shot workload that
  /// ran to success. kstatus reports a Job that is still running as Current too (it does not
  /// wait for Jobs to finish), so a caller that must wait for a Job checks this instead.
  bool completed = false;
};

/// The readiness of `object` (a JSON object as the API server returns it, with metadata, spec
/// and status). Kinds with rules of their own: Deployment, StatefulSet, DaemonSet, ReplicaSet
/// (apps and extensions), Job, Pod, PersistentVolumeClaim, Service, CustomResourceDefinition,
/// PodDisruptionBudget; Secret, ConfigMap and CronJob are always Current; any other kind is
/// judged by its `status.conditions` Reconciling and Stalled (kstatus's convention) and is
/// Current without them. `now` is for kstatus's 15 s grace before an unschedulable Pod counts
/// as Failed; without it the Pod is Failed at once.
Readiness compute_readiness(const nlohmann::json& object,
                            std::optional<std::chrono::system_clock::time_point> now = {});

/// "Current", "InProgress", "Failed", "Terminating", "Unknown": kstatus's spelling.
std::string_view to_string(ReadinessStatus status);

}  // namespace fusion
