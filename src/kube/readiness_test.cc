// kstatus's readiness rules on objects shaped as API servers 1.20–1.30 return them
// (tests/fixtures/kube/readiness), and on small edits of them for the edge of each rule.
#include "kube/readiness.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "util/file.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;
using std::chrono::system_clock;

nlohmann::json fixture(const std::string& name) {
  fs::path path = fs::path(FUSION_SOURCE_DIR) / "tests/fixtures/kube/readiness" / (name + ".json");
  Result<std::string> text = read_file(path);
  EXPECT_TRUE(text.ok()) << path;
  return text.ok() ? nlohmann::json::parse(*text) : nlohmann::json();
}

/// The status, reason and message, in one string so a failure shows all three.
std::string summary(const Readiness& readiness) {
  return std::string(to_string(readiness.status)) + " [" + readiness.reason + "] " +
         readiness.message;
}

std::string summary_of(const std::string& name) {
  return summary(compute_readiness(fixture(name)));
}

system_clock::time_point at(std::time_t seconds_since_epoch) {
  return system_clock::from_time_t(seconds_since_epoch);
}

TEST(Readiness, StatusNamesAreKstatus) {
  EXPECT_EQ(to_string(ReadinessStatus::kCurrent), "Current");
  EXPECT_EQ(to_string(ReadinessStatus::kInProgress), "InProgress");
  EXPECT_EQ(to_string(ReadinessStatus::kFailed), "Failed");
  EXPECT_EQ(to_string(ReadinessStatus::kTerminating), "Terminating");
  EXPECT_EQ(to_string(ReadinessStatus::kUnknown), "Unknown");
}

TEST(Readiness, DeploymentAvailable) {
  EXPECT_EQ(summary_of("deployment-available"), "Current [] Deployment is available. Replicas: 3");
}

TEST(Readiness, DeploymentMidRolloutWaitsForUpdatedReplicas) {
  // 4 pods (2 old, 2 new) for 3 wanted: the updated count is the first shortfall.
  EXPECT_EQ(summary_of("deployment-rollout-old-replicas"), "InProgress [LessUpdated] Updated: 2/3");
}

TEST(Readiness, DeploymentShortfallsInKstatusOrder) {
  nlohmann::json object = fixture("deployment-rollout-old-replicas");
  object["status"]["updatedReplicas"] = 3;
  EXPECT_EQ(summary(compute_readiness(object)), "InProgress [ExtraPods] Pending termination: 1");
  object["status"]["replicas"] = 3;
  object["status"]["availableReplicas"] = 2;
  EXPECT_EQ(summary(compute_readiness(object)), "InProgress [LessAvailable] Available: 2/3");
  object["status"]["availableReplicas"] = 3;
  object["status"]["readyReplicas"] = 2;
  EXPECT_EQ(summary(compute_readiness(object)), "InProgress [LessReady] Ready: 2/3");
  object["status"]["readyReplicas"] = 3;
  // The counts are right but the controller still says ReplicaSetUpdated, not
  // NewReplicaSetAvailable: kstatus waits for it.
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [ReplicaSetNotAvailable] ReplicaSet not Available");
  object["spec"].erase("progressDeadlineSeconds");
  EXPECT_EQ(summary(compute_readiness(object)), "Current [] Deployment is available. Replicas: 3");
  object["status"]["conditions"][0]["status"] = "False";
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [DeploymentNotAvailable] Deployment not Available");
}

TEST(Readiness, DeploymentProgressDeadlineExceededFails) {
  Readiness readiness = compute_readiness(fixture("deployment-progress-deadline"));
  EXPECT_EQ(summary(readiness),
            "Failed [ProgressDeadlineExceeded] Progress deadline exceeded: "
            "ProgressDeadlineExceeded: ReplicaSet \"worker-6b7f9c8d5\" has timed out progressing.");
  ASSERT_EQ(readiness.problems.size(), 1u);
  EXPECT_EQ(readiness.problems[0].subject, "condition Progressing");
  EXPECT_FALSE(readiness.completed);
}

TEST(Readiness, DeploymentWithUnobservedGenerationIsInProgress) {
  EXPECT_EQ(summary_of("deployment-generation-not-observed"),
            "InProgress [LatestGenerationNotObserved] Deployment generation is 5, but latest "
            "observed generation is 4");
}

TEST(Readiness, DeploymentRefusedByQuotaSaysWhy) {
  Readiness readiness = compute_readiness(fixture("deployment-quota-exceeded"));
  EXPECT_EQ(summary(readiness),
            "InProgress [LessReplicas] Replicas: 0/2: FailedCreate: pods \"search-84c6f7b9d-\" is "
            "forbidden: exceeded quota: shop-quota, requested: limits.memory=256Mi, used: "
            "limits.memory=1792Mi, limited: limits.memory=2Gi");
  ASSERT_EQ(readiness.problems.size(), 1u);
  EXPECT_EQ(readiness.problems[0].subject, "condition ReplicaFailure");
  EXPECT_EQ(readiness.problems[0].reason, "FailedCreate");
}

TEST(Readiness, DeletionTimestampMeansTerminating) {
  EXPECT_EQ(summary_of("deployment-terminating"), "Terminating [] Resource scheduled for deletion");
  // Before any other rule: the namespace's conditions are not looked at.
  EXPECT_EQ(summary_of("namespace-terminating"), "Terminating [] Resource scheduled for deletion");
}

TEST(Readiness, ReplicaSet) {
  EXPECT_EQ(summary_of("replicaset-partly-available"), "InProgress [LessAvailable] Available: 1/2");
  nlohmann::json object = fixture("replicaset-partly-available");
  object["status"]["availableReplicas"] = 2;
  object["status"]["readyReplicas"] = 2;
  EXPECT_EQ(summary(compute_readiness(object)), "Current [] ReplicaSet is available. Replicas: 2");
  object["status"]["fullyLabeledReplicas"] = 1;
  EXPECT_EQ(summary(compute_readiness(object)), "InProgress [LessLabelled] Labelled: 1/2");
  object["status"]["conditions"] = nlohmann::json::parse(R"([{"type": "ReplicaFailure",
      "status": "True", "lastTransitionTime": "2024-05-16T14:06:00Z", "reason": "FailedCreate",
      "message": "pods \"web-5f6d8b9c7d-\" is forbidden: exceeded quota: shop-quota"}])");
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [ReplicaFailure] Replica Failure condition. Check Pods: FailedCreate: "
            "pods \"web-5f6d8b9c7d-\" is forbidden: exceeded quota: shop-quota");
}

TEST(Readiness, StatefulSet) {
  // apps/v1 defaults a RollingUpdate's partition to 0, so kstatus takes its partition branch
  // for every StatefulSet a server returns.
  EXPECT_EQ(summary_of("statefulset-ready"), "Current [] Partition rollout complete. updated: 3");
  EXPECT_EQ(summary_of("statefulset-not-ready"), "InProgress [LessReady] Ready: 2/3");
  EXPECT_EQ(summary_of("statefulset-rolling-update"), "InProgress [PartitionRollout] updated: 1/3");
  EXPECT_EQ(summary_of("statefulset-partition"),
            "Current [] Partition rollout complete. updated: 1");
  nlohmann::json partitioned = fixture("statefulset-partition");
  partitioned["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = 1;
  EXPECT_EQ(summary(compute_readiness(partitioned)), "InProgress [PartitionRollout] updated: 1/2");
}

TEST(Readiness, StatefulSetWithoutPartitionComparesRevisions) {
  // As written by hand, before the server's defaults (a manifest, a client-side dry run).
  nlohmann::json object = fixture("statefulset-rolling-update");
  object["spec"]["updateStrategy"].erase("rollingUpdate");
  EXPECT_EQ(summary(compute_readiness(object)), "InProgress [LessCurrent] current: 2/3");
  object["status"]["currentReplicas"] = 3;
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [RevisionMismatch] Waiting for updated revision to match current");
  object["status"]["currentRevision"] = object["status"]["updateRevision"];
  EXPECT_EQ(summary(compute_readiness(object)),
            "Current [] All replicas scheduled as expected. Replicas: 3");
  object["spec"]["updateStrategy"] = {{"type", "OnDelete"}};
  object["status"]["readyReplicas"] = 0;
  EXPECT_EQ(summary(compute_readiness(object)),
            "Current [] StatefulSet is using the ondelete update strategy");
}

TEST(Readiness, DaemonSet) {
  EXPECT_EQ(summary_of("daemonset-ready"),
            "Current [] All replicas scheduled as expected. Replicas: 3");
  EXPECT_EQ(summary_of("daemonset-rolling-update"), "InProgress [LessUpdated] Updated: 2/3");
  EXPECT_EQ(summary_of("daemonset-not-observed"),
            "InProgress [NoObservedGeneration] DaemonSet status.observedGeneration not found");
  nlohmann::json object = fixture("daemonset-ready");
  object["status"]["numberReady"] = 1;
  EXPECT_EQ(summary(compute_readiness(object)), "InProgress [LessReady] Ready: 1/3");
  object["status"].erase("desiredNumberScheduled");
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [NoDesiredNumber] Missing .status.desiredNumberScheduled");
}

TEST(Readiness, JobCompletedIsCurrentAndCompleted) {
  Readiness readiness = compute_readiness(fixture("job-complete"));
  EXPECT_EQ(summary(readiness), "Current [] Job Completed. succeeded: 1/1");
  EXPECT_TRUE(readiness.completed);
}

TEST(Readiness, JobOverItsBackoffLimitFails) {
  Readiness readiness = compute_readiness(fixture("job-backoff-limit-exceeded"));
  EXPECT_EQ(summary(readiness),
            "Failed [JobFailed] Job Failed. failed: 3/1: BackoffLimitExceeded: Job has reached "
            "the specified backoff limit");
  EXPECT_FALSE(readiness.completed);
  ASSERT_EQ(readiness.problems.size(), 1u);
  EXPECT_EQ(readiness.problems[0].reason, "BackoffLimitExceeded");
}

TEST(Readiness, RunningJobIsCurrentButNotCompleted) {
  // kstatus does not wait for Jobs; `completed` is what says a one-shot service finished.
  Readiness readiness = compute_readiness(fixture("job-running"));
  EXPECT_EQ(summary(readiness), "Current [] Job in progress. success:0, active: 1, failed: 1");
  EXPECT_FALSE(readiness.completed);
  EXPECT_EQ(summary_of("job-not-started"), "InProgress [JobNotStarted] Job not started");
  EXPECT_EQ(summary_of("job-suspended"), "Current [] Job is suspended");
  EXPECT_FALSE(compute_readiness(fixture("job-suspended")).completed);
}

TEST(Readiness, PodReadyAndSucceeded) {
  EXPECT_EQ(summary_of("pod-ready"), "Current [] Pod is Ready");
  Readiness succeeded = compute_readiness(fixture("pod-succeeded"));
  EXPECT_EQ(summary(succeeded), "Current [] Pod has completed successfully");
  EXPECT_TRUE(succeeded.completed);
  EXPECT_TRUE(succeeded.problems.empty());
}

TEST(Readiness, CrashLoopingPodFailsWithTheLastExit) {
  Readiness readiness = compute_readiness(fixture("pod-crashloop"));
  EXPECT_EQ(summary(readiness),
            "Failed [ContainerCrashLooping] Containers in CrashLoop state: api: container api: "
            "CrashLoopBackOff: back-off 1m20s restarting failed container=api "
            "pod=api-7d9c6b5f4-x2k8p_shop(1b2c3d4e-5f60-4172-93a4-b5c6d7e8f90a) (last exit code 1: "
            "Error)");
  ASSERT_EQ(readiness.problems.size(), 1u);
  EXPECT_EQ(readiness.problems[0].subject, "container api");
  EXPECT_EQ(readiness.problems[0].reason, "CrashLoopBackOff");
}

TEST(Readiness, PendingPodNamesTheContainerThatCannotStart) {
  // ContainerCreating of the sidecar is normal and not reported.
  Readiness pull = compute_readiness(fixture("pod-image-pull-backoff"));
  EXPECT_EQ(summary(pull),
            "InProgress [PodPending] Pod is in the Pending phase: container web: ImagePullBackOff: "
            "Back-off pulling image \"registry.local/shop/web:2.3.1\"");
  EXPECT_EQ(pull.problems.size(), 1u);
  Readiness config = compute_readiness(fixture("pod-create-container-config-error"));
  EXPECT_EQ(
      summary(config),
      "InProgress [PodPending] Pod is in the Pending phase: container cron: "
      "InvalidImageName: Failed to apply default image tag \"registry.local/shop/Cron:latest\": "
      "couldn't parse image reference \"registry.local/shop/Cron:latest\": invalid reference "
      "format: repository name must be lowercase; container worker: "
      "CreateContainerConfigError: secret \"db-credentials\" not found");
  ASSERT_EQ(config.problems.size(), 2u);
  EXPECT_EQ(config.problems[1].subject, "container worker");
  EXPECT_EQ(summary_of("pod-init-crashloop"),
            "InProgress [PodPending] Pod is in the Pending phase: init container migrate: "
            "CrashLoopBackOff: back-off 40s restarting failed container=migrate "
            "pod=api-7d9c6b5f4-r5v6b_shop(4e5f6071-8293-44a5-c6d7-e8f90a1b2c3d) (last exit code 2: "
            "Error)");
}

TEST(Readiness, ErrImagePullIsReportedLikeImagePullBackOff) {
  nlohmann::json object = fixture("pod-image-pull-backoff");
  object["status"]["containerStatuses"][1]["state"]["waiting"] = {
      {"reason", "ErrImagePull"},
      {"message", "rpc error: code = NotFound desc = failed to pull and unpack image"}};
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [PodPending] Pod is in the Pending phase: container web: ErrImagePull: rpc "
            "error: code = NotFound desc = failed to pull and unpack image");
}

TEST(Readiness, UnschedulablePodFailsAfterKstatusGraceOf15Seconds) {
  nlohmann::json object = fixture("pod-unschedulable");
  const std::string why =
      "Unschedulable: 0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are "
      "available: 1 No preemption victims found for incoming pod..";
  EXPECT_EQ(summary(compute_readiness(object)),
            "Failed [PodUnschedulable] Pod could not be scheduled: " + why);
  system_clock::time_point created = at(1715873100);  // 2024-05-16T15:25:00Z
  EXPECT_EQ(summary(compute_readiness(object, created + seconds(14))),
            "InProgress [PodNotScheduled] Pod has not been scheduled: " + why);
  EXPECT_EQ(summary(compute_readiness(object, created + seconds(15))),
            "Failed [PodUnschedulable] Pod could not be scheduled: " + why);
}

TEST(Readiness, RunningPodNotReadyAndPendingPod) {
  nlohmann::json object = fixture("pod-crashloop");
  object["status"]["containerStatuses"][0]["state"] = {
      {"running", {{"startedAt", "2024-05-16T14:09:02Z"}}}};
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [PodRunningNotReady] Pod is running but is not Ready");
  object["status"]["phase"] = "Pending";
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [PodPending] Pod is in the Pending phase");
  object["status"].erase("phase");
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [PodNotObserved] Pod phase not available");
}

TEST(Readiness, FailedPodIsCurrentAsInKstatusButSaysWhy) {
  Readiness readiness = compute_readiness(fixture("pod-evicted"));
  EXPECT_EQ(summary(readiness),
            "Current [] Pod has completed, but not successfully: pod: Evicted: The node was low on "
            "resource: memory. Threshold quantity: 100Mi, available: 87340Ki. Container web was "
            "using 1843200Ki, request is 128Mi, has larger consumption of memory.; container web: "
            "ContainerStatusUnknown: exit code 137: The container could not be located when the "
            "pod was terminated");
  EXPECT_FALSE(readiness.completed);
  EXPECT_EQ(readiness.problems.size(), 2u);
}

TEST(Readiness, UnknownPodPhaseIsUnknown) {
  EXPECT_EQ(summary_of("pod-phase-unknown"), "Unknown [] unknown phase Unknown");
}

TEST(Readiness, PersistentVolumeClaim) {
  EXPECT_EQ(summary_of("pvc-bound"), "Current [] PVC is Bound");
  EXPECT_EQ(summary_of("pvc-pending"), "InProgress [NotBound] PVC is not Bound. phase: Pending");
}

TEST(Readiness, Service) {
  EXPECT_EQ(summary_of("service-clusterip"), "Current [] Service is ready");
  EXPECT_EQ(summary_of("service-loadbalancer-ingress"), "Current [] Service is ready");
  EXPECT_EQ(summary_of("service-loadbalancer-no-ingress"),
            "Current [] Service is ready; its load balancer has no ingress address yet");
  nlohmann::json object = fixture("service-loadbalancer-no-ingress");
  object["spec"]["clusterIP"] = "";
  EXPECT_EQ(summary(compute_readiness(object)),
            "InProgress [NoIPAssigned] ClusterIP not set. Service type: LoadBalancer");
}

TEST(Readiness, CustomResourceDefinition) {
  EXPECT_EQ(summary_of("crd-established"), "Current [] CRD is established");
  EXPECT_EQ(summary_of("crd-installing"), "InProgress [Installing] Install in progress");
  Readiness refused = compute_readiness(fixture("crd-names-not-accepted"));
  EXPECT_EQ(summary(refused), "Failed [NameConflict] \"widgets\" is already in use");
  ASSERT_EQ(refused.problems.size(), 1u);
  EXPECT_EQ(refused.problems[0].subject, "condition NamesAccepted");
  nlohmann::json fresh = fixture("crd-established");
  fresh["status"].erase("conditions");
  EXPECT_EQ(summary(compute_readiness(fresh)), "InProgress [Installing] Install in progress");
}

TEST(Readiness, AlwaysReadyKinds) {
  EXPECT_EQ(summary_of("pdb"), "Current [] AllowedDisruptions has been computed.");
  EXPECT_EQ(summary_of("configmap"), "Current [] Resource is always ready");
  nlohmann::json secret = fixture("configmap");
  secret["kind"] = "Secret";
  EXPECT_EQ(summary(compute_readiness(secret)), "Current [] Resource is always ready");
}

TEST(Readiness, CustomResourcesFollowReconcilingAndStalled) {
  Readiness stalled = compute_readiness(fixture("cr-stalled"));
  EXPECT_EQ(
      summary(stalled),
      "Failed [BuildFailed] kustomize build failed: accumulating resources: accumulation "
      "err='accumulating resources from 'shop': '/tmp/kustomization-2271/apps/shop' must "
      "resolve to a file': open /tmp/kustomization-2271/apps/shop: no such file or directory");
  ASSERT_EQ(stalled.problems.size(), 1u);
  EXPECT_EQ(stalled.problems[0].subject, "condition Stalled");
  EXPECT_EQ(summary_of("cr-reconciling"),
            "InProgress [Progressing] Running 'upgrade' action with timeout of 5m0s");
  EXPECT_EQ(summary_of("cr-no-status"), "Current [] Resource is current");
}

TEST(Readiness, ReadyFalseAloneIsCurrentAsInKstatusButShown) {
  Readiness readiness = compute_readiness(fixture("cr-ready-false"));
  EXPECT_EQ(summary(readiness),
            "Current [] Resource is current: DoesNotExist: Issuing certificate as Secret does not "
            "exist");
  ASSERT_EQ(readiness.problems.size(), 1u);
  EXPECT_EQ(readiness.problems[0].subject, "condition Ready");
}

TEST(Readiness, GenericRulesComeBeforeTheKindsRules) {
  // A Deployment stalled by its own controller's convention: kstatus trusts the condition.
  nlohmann::json object = fixture("deployment-available");
  object["status"]["conditions"].push_back(
      {{"type", "Reconciling"}, {"status", "True"}, {"reason", "Scaling"}, {"message", ""}});
  EXPECT_EQ(summary(compute_readiness(object)), "InProgress [Scaling] Reconciling: Scaling");
  nlohmann::json cr = fixture("cr-reconciling");
  cr["metadata"]["generation"] = 3;
  EXPECT_EQ(summary(compute_readiness(cr)),
            "InProgress [LatestGenerationNotObserved] HelmRelease generation is 3, but latest "
            "observed generation is 2");
}

TEST(Readiness, MalformedObjectsAreUnknown) {
  EXPECT_EQ(summary(compute_readiness(nlohmann::json::array())),
            "Unknown [] the object is not a JSON object");
  nlohmann::json object = fixture("cr-stalled");
  object["status"]["conditions"] = "Ready";
  EXPECT_EQ(summary(compute_readiness(object)), "Unknown [] status.conditions is not a list");
  object["status"]["conditions"] = nlohmann::json::array({{{"type", "Ready"}, {"status", true}}});
  EXPECT_EQ(summary(compute_readiness(object)),
            "Unknown [] status.conditions[0] is not a condition");
  object = fixture("deployment-available");
  object["metadata"]["generation"] = "3";
  EXPECT_EQ(summary(compute_readiness(object)), "Unknown [] metadata.generation is not an integer");
  object = fixture("deployment-available");
  object["status"] = "ok";
  EXPECT_EQ(summary(compute_readiness(object)), "Unknown [] status is not an object");
}

}  // namespace
}  // namespace fusion
