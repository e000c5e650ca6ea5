// judge_workload: when `up --target kubernetes` stops waiting for a service, on objects shaped
// as the API server returns them (the recorded ones of tests/fixtures/kube/readiness, trimmed).
#include "kube_runtime/cluster_snapshot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fusion {
namespace {

using nlohmann::json;
using std::chrono::system_clock;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kHashKey = "io.fusion/config-hash";
constexpr const char* kCurrentHash = "3f2a9c1e";
constexpr const char* kOldHash = "7b41d0e6";

/// 2024-05-16T14:10:00Z, a few minutes after the pods below were created.
system_clock::time_point now() { return system_clock::from_time_t(1715868600); }

/// Deployment shop/api, rolled out: generation observed, 3 of 3 updated, ready and available.
json rolled_out() {
  return json::parse(R"({
    "kind": "Deployment", "apiVersion": "apps/v1",
    "metadata": {
      "name": "api", "namespace": "shop", "uid": "5b0c3f0e-2c61-4d6e-9a57-2f0b1c7e9d41",
      "resourceVersion": "48213", "generation": 3, "creationTimestamp": "2024-05-14T09:12:31Z",
      "labels": {"app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": "shop",
                 "app.kubernetes.io/managed-by": "fusion"},
      "annotations": {"deployment.kubernetes.io/revision": "3"}
    },
    "spec": {
      "replicas": 3,
      "selector": {"matchLabels": {"app.kubernetes.io/name": "api"}},
      "template": {
        "metadata": {"creationTimestamp": null,
                     "labels": {"app.kubernetes.io/name": "api"},
                     "annotations": {"io.fusion/config-hash": "3f2a9c1e"}},
        "spec": {"containers": [{"name": "api", "image": "registry.local/shop/api:1.8.0",
                                 "imagePullPolicy": "IfNotPresent"}],
                 "restartPolicy": "Always"}
      },
      "strategy": {"type": "RollingUpdate",
                   "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
      "progressDeadlineSeconds": 600
    },
    "status": {
      "observedGeneration": 3, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
      "availableReplicas": 3,
      "conditions": [
        {"type": "Available", "status": "True", "lastUpdateTime": "2024-05-14T09:12:49Z",
         "lastTransitionTime": "2024-05-14T09:12:49Z", "reason": "MinimumReplicasAvailable",
         "message": "Deployment has minimum availability."},
        {"type": "Progressing", "status": "True", "lastUpdateTime": "2024-05-16T14:03:12Z",
         "lastTransitionTime": "2024-05-14T09:12:31Z", "reason": "NewReplicaSetAvailable",
         "message": "ReplicaSet \"api-7d9c6b5f4\" has successfully progressed."}
      ]
    }
  })");
}

/// The same Deployment mid-rollout: 1 of 3 pods of the new template, none of them ready.
json rolling() {
  json d = rolled_out();
  d["status"]["updatedReplicas"] = 1;
  d["status"]["replicas"] = 4;
  d["status"]["readyReplicas"] = 3;
  d["status"]["availableReplicas"] = 3;
  d["status"]["conditions"][1] = json::parse(R"({
    "type": "Progressing", "status": "True", "lastUpdateTime": "2024-05-16T14:05:12Z",
    "lastTransitionTime": "2024-05-14T09:12:31Z", "reason": "ReplicaSetUpdated",
    "message": "ReplicaSet \"api-7d9c6b5f4\" is progressing."})");
  return d;
}

/// Pod api-7d9c6b5f4-x2k8p of template `hash`, its container waiting with `reason`.
json waiting_pod(const std::string& hash, const std::string& phase, const std::string& reason,
                 const std::string& message) {
  json pod = json::parse(R"({
    "kind": "Pod", "apiVersion": "v1",
    "metadata": {
      "name": "api-7d9c6b5f4-x2k8p", "generateName": "api-7d9c6b5f4-", "namespace": "shop",
      "uid": "1b2c3d4e-5f60-4172-93a4-b5c6d7e8f90a", "resourceVersion": "52388",
      "creationTimestamp": "2024-05-16T14:05:12Z",
      "labels": {"app.kubernetes.io/name": "api", "pod-template-hash": "7d9c6b5f4"},
      "annotations": {},
      "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "api-7d9c6b5f4",
                           "uid": "e1d2c3b4-a596-4877-8869-5a4b3c2d1e0f", "controller": true,
                           "blockOwnerDeletion": true}]
    },
    "spec": {"containers": [{"name": "api", "image": "registry.local/shop/api:1.9.0"}],
             "restartPolicy": "Always", "nodeName": "kind-control-plane"},
    "status": {
      "phase": "PHASE",
      "conditions": [
        {"type": "Initialized", "status": "True", "lastTransitionTime": "2024-05-16T14:05:12Z"},
        {"type": "Ready", "status": "False", "lastTransitionTime": "2024-05-16T14:05:12Z",
         "reason": "ContainersNotReady", "message": "containers with unready status: [api]"},
        {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2024-05-16T14:05:12Z"}
      ],
      "hostIP": "172.18.0.2", "podIP": "10.244.0.17", "startTime": "2024-05-16T14:05:12Z",
      "containerStatuses": [{
        "name": "api", "ready": false, "restartCount": 0, "started": false,
        "image": "registry.local/shop/api:1.9.0", "imageID": "",
        "state": {"waiting": {"reason": "REASON", "message": "MESSAGE"}}
      }]
    }
  })");
  pod["metadata"]["annotations"][kHashKey] = hash;
  pod["status"]["phase"] = phase;
  json& status = pod["status"]["containerStatuses"][0];
  status["state"]["waiting"]["reason"] = reason;
  status["state"]["waiting"]["message"] = message;
  if (reason == "CrashLoopBackOff") {
    status["restartCount"] = 5;
    status["imageID"] = "registry.local/shop/api@sha256:9f86d081884c7d659a2feaa0c55ad015";
    status["lastState"] = json::parse(R"({"terminated": {"exitCode": 1, "reason": "Error",
      "startedAt": "2024-05-16T14:08:01Z", "finishedAt": "2024-05-16T14:08:02Z",
      "containerID": "containerd://4c1f0e9d"}})");
  }
  return pod;
}

json crash_looping(const std::string& hash) {
  return waiting_pod(hash, "Running", "CrashLoopBackOff",
                     "back-off 2m40s restarting failed container=api "
                     "pod=api-7d9c6b5f4-x2k8p_shop(1b2c3d4e-5f60-4172-93a4-b5c6d7e8f90a)");
}

json image_pull_backoff(const std::string& hash) {
  return waiting_pod(hash, "Pending", "ImagePullBackOff",
                     "Back-off pulling image \"registry.local/shop/api:1.9.0\"");
}

/// Job shop/migrate with `status`, its template of the current hash.
json job(const std::string& status) {
  json j = json::parse(R"({
    "kind": "Job", "apiVersion": "batch/v1",
    "metadata": {
      "name": "migrate", "namespace": "shop", "uid": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
      "resourceVersion": "50210", "generation": 1, "creationTimestamp": "2024-05-16T14:00:02Z",
      "labels": {"app.kubernetes.io/name": "migrate", "app.kubernetes.io/managed-by": "fusion"}
    },
    "spec": {
      "parallelism": 1, "completions": 1, "backoffLimit": 2,
      "template": {
        "metadata": {"labels": {"app.kubernetes.io/name": "migrate"},
                     "annotations": {"io.fusion/config-hash": "3f2a9c1e"}},
        "spec": {"containers": [{"name": "migrate", "image": "registry.local/shop/migrate:1.8.0"}],
                 "restartPolicy": "Never"}
      }
    }
  })");
  j["status"] = json::parse(status);
  return j;
}

constexpr const char* kJobComplete = R"({
  "conditions": [{"type": "Complete", "status": "True", "lastProbeTime": "2024-05-16T14:00:19Z",
                  "lastTransitionTime": "2024-05-16T14:00:19Z"}],
  "startTime": "2024-05-16T14:00:02Z", "completionTime": "2024-05-16T14:00:19Z",
  "succeeded": 1, "uncountedTerminatedPods": {}, "ready": 0
})";

constexpr const char* kJobRunning = R"({
  "startTime": "2024-05-16T14:00:02Z", "active": 1, "uncountedTerminatedPods": {}, "ready": 1
})";

constexpr const char* kJobBackoffLimitExceeded = R"({
  "conditions": [{"type": "Failed", "status": "True", "lastProbeTime": "2024-05-16T14:03:41Z",
                  "lastTransitionTime": "2024-05-16T14:03:41Z", "reason": "BackoffLimitExceeded",
                  "message": "Job has reached the specified backoff limit"}],
  "startTime": "2024-05-16T14:00:02Z", "failed": 3, "uncountedTerminatedPods": {}, "ready": 0
})";

TEST(JudgeWorkload, NotSeenYet) {
  WorkloadVerdict v = judge_workload(json(), {}, false, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kNotYet);
  EXPECT_FALSE(v.detail.empty());
}

TEST(JudgeWorkload, RolledOutDeploymentIsReady) {
  WorkloadVerdict v = judge_workload(rolled_out(), {}, false, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kReady) << v.detail;
  EXPECT_THAT(v.detail, HasSubstr("Deployment is available"));
}

TEST(JudgeWorkload, RollingDeploymentIsNotYet) {
  WorkloadVerdict v = judge_workload(rolling(), {}, false, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kNotYet);
  EXPECT_THAT(v.detail, HasSubstr("Updated: 1/3"));

  json unobserved = rolled_out();
  unobserved["metadata"]["generation"] = 4;
  EXPECT_EQ(judge_workload(unobserved, {}, false, now()).kind, WorkloadVerdict::kNotYet);
}

TEST(JudgeWorkload, CrashLoopingPodOfCurrentTemplateFails) {
  WorkloadVerdict v = judge_workload(rolling(), {crash_looping(kCurrentHash)}, false, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kFailed);
  EXPECT_THAT(v.detail, HasSubstr("pod api-7d9c6b5f4-x2k8p"));
  EXPECT_THAT(v.detail, HasSubstr("CrashLoopBackOff"));
}

TEST(JudgeWorkload, CrashLoopingInitContainerFails) {
  // The pod stays Pending while its init container crash-loops: kstatus says only
  // "Pending", the waiting reason is what fails it.
  json pod = crash_looping(kCurrentHash);
  pod["status"]["phase"] = "Pending";
  pod["status"]["conditions"][0] = json::parse(R"({"type": "Initialized", "status": "False",
    "lastTransitionTime": "2024-05-16T14:05:12Z", "reason": "ContainersNotInitialized",
    "message": "containers with incomplete status: [migrate]"})");
  json init = pod["status"]["containerStatuses"][0];
  init["name"] = "migrate";
  pod["status"]["initContainerStatuses"] = json::array({init});
  pod["status"]["containerStatuses"][0]["state"] =
      json::parse(R"({"waiting": {"reason": "PodInitializing"}})");
  pod["status"]["containerStatuses"][0].erase("lastState");
  WorkloadVerdict v = judge_workload(rolling(), {pod}, false, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kFailed);
  EXPECT_THAT(v.detail, HasSubstr("pod api-7d9c6b5f4-x2k8p"));
  EXPECT_THAT(v.detail, HasSubstr("init container migrate: CrashLoopBackOff"));
}

TEST(JudgeWorkload, ImagePullBackOffOfCurrentTemplateFails) {
  WorkloadVerdict v = judge_workload(rolling(), {image_pull_backoff(kCurrentHash)}, false, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kFailed);
  EXPECT_THAT(v.detail, HasSubstr("pod api-7d9c6b5f4-x2k8p"));
  EXPECT_THAT(v.detail, HasSubstr("ImagePullBackOff"));
  EXPECT_THAT(v.detail, HasSubstr("registry.local/shop/api:1.9.0"));
}

TEST(JudgeWorkload, BrokenPodOfOldTemplateIsIgnored) {
  std::vector<json> old = {crash_looping(kOldHash), image_pull_backoff(kOldHash)};
  WorkloadVerdict v = judge_workload(rolling(), old, false, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kNotYet);
  EXPECT_THAT(v.detail, Not(HasSubstr("api-7d9c6b5f4-x2k8p")));
  EXPECT_EQ(judge_workload(rolled_out(), old, false, now()).kind, WorkloadVerdict::kReady);
  // A pod of no template at all is not the current one either.
  json unannotated = crash_looping(kCurrentHash);
  unannotated["metadata"].erase("annotations");
  EXPECT_EQ(judge_workload(rolling(), {unannotated}, false, now()).kind, WorkloadVerdict::kNotYet);
}

TEST(JudgeWorkload, FirstImagePullErrorIsNotYetAFailure) {
  json pod = waiting_pod(kCurrentHash, "Pending", "ErrImagePull",
                         "rpc error: code = NotFound desc = failed to pull and unpack image "
                         "\"registry.local/shop/api:1.9.0\": not found");
  WorkloadVerdict v = judge_workload(rolling(), {pod}, false, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kNotYet) << v.detail;
}

TEST(JudgeWorkload, CompletedJob) {
  WorkloadVerdict v = judge_workload(job(kJobComplete), {}, true, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kReady) << v.detail;
  EXPECT_THAT(v.detail, HasSubstr("Job Completed"));
}

TEST(JudgeWorkload, RunningJobIsNotYetWhenItMustComplete) {
  EXPECT_EQ(judge_workload(job(kJobRunning), {}, true, now()).kind, WorkloadVerdict::kNotYet);
  // A service that only has to start: kstatus calls a running Job Current.
  EXPECT_EQ(judge_workload(job(kJobRunning), {}, false, now()).kind, WorkloadVerdict::kReady);
}

TEST(JudgeWorkload, JobOverItsBackoffLimitFails) {
  WorkloadVerdict v = judge_workload(job(kJobBackoffLimitExceeded), {}, true, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kFailed);
  EXPECT_THAT(v.detail, HasSubstr("BackoffLimitExceeded"));
}

TEST(JudgeWorkload, JobRetryingAfterAFailedPodIsNotYet) {
  // The first pod exited 1 and the Job, under its backoff limit, runs a second.
  json failed = json::parse(R"({
    "kind": "Pod", "apiVersion": "v1",
    "metadata": {"name": "migrate-8kq2d", "namespace": "shop",
                 "creationTimestamp": "2024-05-16T14:00:02Z",
                 "labels": {"app.kubernetes.io/name": "migrate", "job-name": "migrate"},
                 "annotations": {"io.fusion/config-hash": "3f2a9c1e"}},
    "spec": {"containers": [{"name": "migrate", "image": "registry.local/shop/migrate:1.8.0"}],
             "restartPolicy": "Never"},
    "status": {"phase": "Failed", "startTime": "2024-05-16T14:00:02Z",
               "containerStatuses": [{"name": "migrate", "ready": false, "restartCount": 0,
                 "state": {"terminated": {"exitCode": 1, "reason": "Error",
                   "startedAt": "2024-05-16T14:00:03Z", "finishedAt": "2024-05-16T14:00:05Z"}}}]}
  })");
  json running = job(kJobRunning);
  running["status"]["failed"] = 1;
  WorkloadVerdict v = judge_workload(running, {failed}, true, now());
  EXPECT_EQ(v.kind, WorkloadVerdict::kNotYet) << v.detail;
}

}  // namespace
}  // namespace fusion
