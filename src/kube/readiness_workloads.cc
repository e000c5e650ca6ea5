// kstatus's rules for the workloads with replicas (Deployment, ReplicaSet, StatefulSet,
// DaemonSet) and for Job.
#include <fmt/format.h>

#include <limits>

#include "kube/readiness_rules.h"

namespace fusion::readiness_rules {
namespace {

constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();

/// A ReplicaFailure=True condition (a quota or an admission webhook refused the Pods), which
/// kstatus does not report for a Deployment but which is why its replicas never come.
Readiness with_replica_failure(Readiness readiness, const std::vector<Condition>& conditions) {
  if (const Condition* failure = find_condition(conditions, "ReplicaFailure", "True")) {
    add_problem(readiness, condition_problem(*failure));
  }
  return readiness;
}

/// kstatus's replica counts of a Deployment, first shortfall first.
std::optional<Readiness> deployment_replicas(const nlohmann::json& object) {
  std::int64_t spec = int_field(object, {"spec", "replicas"}, 1);
  std::int64_t replicas = int_field(object, {"status", "replicas"}, 0);
  std::int64_t updated = int_field(object, {"status", "updatedReplicas"}, 0);
  std::int64_t ready = int_field(object, {"status", "readyReplicas"}, 0);
  std::int64_t available = int_field(object, {"status", "availableReplicas"}, 0);
  if (spec > replicas)
    return in_progress("LessReplicas", fmt::format("Replicas: {}/{}", replicas, spec));
  if (spec > updated)
    return in_progress("LessUpdated", fmt::format("Updated: {}/{}", updated, spec));
  if (replicas > spec) {
    return in_progress("ExtraPods", fmt::format("Pending termination: {}", replicas - spec));
  }
  if (updated > available) {
    return in_progress("LessAvailable", fmt::format("Available: {}/{}", available, updated));
  }
  if (spec > ready) return in_progress("LessReady", fmt::format("Ready: {}/{}", ready, spec));
  return std::nullopt;
}

}  // namespace

Readiness deployment_readiness(const RuleInput& input) {
  const nlohmann::json& object = input.object;
  // Without a progress deadline the controller never sets Progressing: kstatus trusts it.
  bool progressing = int_field(object, {"spec", "progressDeadlineSeconds"}, kMaxInt32) == kMaxInt32;
  bool available = false;
  for (const Condition& condition : input.conditions) {
    if (condition.type == "Progressing" && condition.reason == "ProgressDeadlineExceeded") {
      Readiness readiness = failed(condition.reason, "Progress deadline exceeded");
      add_problem(readiness, condition_problem(condition));
      return with_replica_failure(std::move(readiness), input.conditions);
    }
    if (condition.type == "Progressing" && condition.status == "True" &&
        condition.reason == "NewReplicaSetAvailable") {
      progressing = true;
    }
    if (condition.type == "Available" && condition.status == "True") available = true;
  }
  if (auto shortfall = deployment_replicas(object)) {
    return with_replica_failure(*std::move(shortfall), input.conditions);
  }
  if (!progressing) return in_progress("ReplicaSetNotAvailable", "ReplicaSet not Available");
  if (!available) return in_progress("DeploymentNotAvailable", "Deployment not Available");
  return current(fmt::format("Deployment is available. Replicas: {}",
                             int_field(object, {"status", "replicas"}, 0)));
}

Readiness replica_set_readiness(const RuleInput& input) {
  const nlohmann::json& object = input.object;
  if (const Condition* failure = find_condition(input.conditions, "ReplicaFailure", "True")) {
    Readiness readiness = in_progress("ReplicaFailure", "Replica Failure condition. Check Pods");
    add_problem(readiness, condition_problem(*failure));
    return readiness;
  }
  std::int64_t spec = int_field(object, {"spec", "replicas"}, 1);
  std::int64_t replicas = int_field(object, {"status", "replicas"}, 0);
  std::int64_t ready = int_field(object, {"status", "readyReplicas"}, 0);
  std::int64_t available = int_field(object, {"status", "availableReplicas"}, 0);
  std::int64_t labelled = int_field(object, {"status", "fullyLabeledReplicas"}, 0);
  if (spec > labelled) {
    return in_progress("LessLabelled", fmt::format("Labelled: {}/{}", labelled, spec));
  }
  if (spec > available) {
    return in_progress("LessAvailable", fmt::format("Available: {}/{}", available, spec));
  }
  if (spec > ready) return in_progress("LessReady", fmt::format("Ready: {}/{}", ready, spec));
  if (replicas > spec) {
    return in_progress("ExtraPods", fmt::format("Pending termination: {}", replicas - spec));
  }
  return current(fmt::format("ReplicaSet is available. Replicas: {}", replicas));
}

Readiness stateful_set_readiness(const RuleInput& input) {
  const nlohmann::json& object = input.object;
  if (string_field(object, {"spec", "updateStrategy", "type"}, "") == "OnDelete") {
    return current("StatefulSet is using the ondelete update strategy");
  }
  std::int64_t spec = int_field(object, {"spec", "replicas"}, 1);
  std::int64_t ready = int_field(object, {"status", "readyReplicas"}, 0);
  std::int64_t current_replicas = int_field(object, {"status", "currentReplicas"}, 0);
  std::int64_t updated = int_field(object, {"status", "updatedReplicas"}, 0);
  std::int64_t replicas = int_field(object, {"status", "replicas"}, 0);
  std::int64_t partition =
      int_field(object, {"spec", "updateStrategy", "rollingUpdate", "partition"}, -1);
  if (spec > replicas)
    return in_progress("LessReplicas", fmt::format("Replicas: {}/{}", replicas, spec));
  if (spec > ready) return in_progress("LessReady", fmt::format("Ready: {}/{}", ready, spec));
  if (replicas > spec) {
    return in_progress("ExtraPods", fmt::format("Pending termination: {}", replicas - spec));
  }
  if (partition != -1) {
    if (updated < spec - partition) {
      return in_progress("PartitionRollout",
                         fmt::format("updated: {}/{}", updated, spec - partition));
    }
    return current(fmt::format("Partition rollout complete. updated: {}", updated));
  }
  if (spec > current_replicas) {
    return in_progress("LessCurrent", fmt::format("current: {}/{}", current_replicas, spec));
  }
  if (string_field(object, {"status", "currentRevision"}, "") !=
      string_field(object, {"status", "updateRevision"}, "")) {
    return in_progress("RevisionMismatch", "Waiting for updated revision to match current");
  }
  return current(fmt::format("All replicas scheduled as expected. Replicas: {}", replicas));
}

Readiness daemon_set_readiness(const RuleInput& input) {
  const nlohmann::json& object = input.object;
  // The generic check skips objects without generations; a DaemonSet the controller has seen
  // always has both.
  if (!field(object, {"metadata", "generation"}).is_number_integer()) {
    return in_progress("NoGeneration", "DaemonSet metadata.generation not found");
  }
  if (!field(object, {"status", "observedGeneration"}).is_number_integer()) {
    return in_progress("NoObservedGeneration", "DaemonSet status.observedGeneration not found");
  }
  std::int64_t desired = int_field(object, {"status", "desiredNumberScheduled"}, -1);
  std::int64_t scheduled = int_field(object, {"status", "currentNumberScheduled"}, 0);
  std::int64_t updated = int_field(object, {"status", "updatedNumberScheduled"}, 0);
  std::int64_t available = int_field(object, {"status", "numberAvailable"}, 0);
  std::int64_t ready = int_field(object, {"status", "numberReady"}, 0);
  if (desired == -1)
    return in_progress("NoDesiredNumber", "Missing .status.desiredNumberScheduled");
  if (desired > scheduled) {
    return in_progress("LessCurrent", fmt::format("Current: {}/{}", scheduled, desired));
  }
  if (desired > updated)
    return in_progress("LessUpdated", fmt::format("Updated: {}/{}", updated, desired));
  if (desired > available) {
    return in_progress("LessAvailable", fmt::format("Available: {}/{}", available, desired));
  }
  if (desired > ready) return in_progress("LessReady", fmt::format("Ready: {}/{}", ready, desired));
  return current(fmt::format("All replicas scheduled as expected. Replicas: {}", desired));
}

Readiness job_readiness(const RuleInput& input) {
  const nlohmann::json& object = input.object;
  std::int64_t parallelism = int_field(object, {"spec", "parallelism"}, 1);
  std::int64_t completions = int_field(object, {"spec", "completions"}, parallelism);
  std::int64_t succeeded = int_field(object, {"status", "succeeded"}, 0);
  std::int64_t active = int_field(object, {"status", "active"}, 0);
  std::int64_t failures = int_field(object, {"status", "failed"}, 0);
  for (const Condition& condition : input.conditions) {
    if (condition.status != "True") continue;
    if (condition.type == "Complete") {
      Readiness readiness =
          current(fmt::format("Job Completed. succeeded: {}/{}", succeeded, completions));
      readiness.completed = true;
      return readiness;
    }
    if (condition.type == "Failed") {
      Readiness readiness =
          failed("JobFailed", fmt::format("Job Failed. failed: {}/{}", failures, completions));
      add_problem(readiness, condition_problem(condition));
      return readiness;
    }
    if (condition.type == "Suspended") return current("Job is suspended");
  }
  if (string_field(object, {"status", "startTime"}, "").empty()) {
    return in_progress("JobNotStarted", "Job not started");
  }
  return current(fmt::format("Job in progress. success:{}, active: {}, failed: {}", succeeded,
                             active, failures));
}

}  // namespace fusion::readiness_rules
