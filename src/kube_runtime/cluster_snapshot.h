#pragma once
// The stack's workloads and pods as the cluster last reported them, shared by every probe of
// `up --target kubernetes`: one list per kind for the whole stack, at most every `max_age`,
// instead of one GET per service per probe. Safe to use from the job threads at once.

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kube/kube_client.h"
#include "kube/readiness.h"
#include "kube_runtime/kube_plan.h"
#include "util/result.h"

namespace fusion {

/// The objects of `kinds` in `namespace_` that match `selector`; a kind the cluster does not
/// serve is left out. Errors name the kind.
Result<LiveObjects> list_live(KubeClient& client, const std::string& namespace_,
                              const std::string& selector, const std::vector<StackKind>& kinds);

/// A stack's Deployments, StatefulSets and Jobs, and its pods by service
/// (app.kubernetes.io/name): what readiness is judged from.
struct StackWorkloads {
  LiveObjects workloads;
  std::map<std::string, std::vector<nlohmann::json>> pods;
};
Result<StackWorkloads> list_workloads(KubeClient& client, const std::string& namespace_,
                                      const std::string& selector);

/// Whether a service's workload is where `up` waits for it to be.
struct WorkloadVerdict {
  enum Kind { kReady, kNotYet, kFailed };
  Kind kind = kNotYet;
  std::string detail;  ///< kstatus's message, and what the pods say is wrong
};

/// The verdict on `workload` (a Deployment, StatefulSet or Job, or null when not seen yet) and
/// the service's `pods` of its current template: ready when Current (a Job: completed when
/// `must_complete`); failed when it or one of its pods is Failed (CrashLoopBackOff,
/// ImagePullBackOff, a failed Job, an unschedulable pod after kstatus's grace).
WorkloadVerdict judge_workload(const nlohmann::json& workload,
                               const std::vector<nlohmann::json>& pods, bool must_complete,
                               std::chrono::system_clock::time_point now);

class ClusterSnapshot {
 public:
  ClusterSnapshot(KubeClient& client, std::string namespace_name, std::string selector,
                  std::chrono::milliseconds max_age = std::chrono::milliseconds(200));

  /// The next verdict lists again: what was applied before this call is in the lists it reads.
  void invalidate();

  /// The verdict on `service`'s workload (`kind`/`name`), from lists at most max_age old.
  WorkloadVerdict verdict(const std::string& service, const std::string& kind,
                          const std::string& name, bool must_complete);

 private:
  /// Lists again when the last lists are older than max_age; an error is kept as the answer.
  void refresh();

  KubeClient& client_;
  std::string namespace_, selector_;
  std::chrono::milliseconds max_age_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point listed_at_{};
  std::string error_;
  StackWorkloads listed_;
};

}  // namespace fusion
