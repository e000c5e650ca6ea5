#pragma once
// `fusion up --target kubernetes`: the same scheduler as on podman, with jobs that act on a
// cluster. A service's build job builds its image from local source as on podman (same
// content-digest tag, skipped when the engine has it) and loads every image its pods name that
// the cluster lacks; its start job applies its objects (server-side apply, field manager
// `fusion`; a changed Job is deleted first); its probe reads the stack's workloads and pods
// (kstatus readiness) and fails at once on what will not heal by itself (CrashLoopBackOff,
// ImagePullBackOff, a failed Job).

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>

#include "graph/service_graph.h"
#include "kube/kube_client.h"
#include "kube_runtime/image_loader.h"
#include "kube_runtime/kube_plan.h"
#include "runtime/container_spec.h"
#include "runtime/stack_up.h"

namespace fusion {

/// The cluster side of a Kubernetes up: who to talk to, where, and how images get there.
struct KubeUpTarget {
  KubeClient* client = nullptr;
  std::string namespace_;
  ContainerRuntime* engine = nullptr;  ///< builds images, and holds those the cluster lacks
  LoaderChoice loader{};
  ImageLoader* image_loader = nullptr;
  nlohmann::json nodes;  ///< the cluster's NodeList: which images it has
};

/// The plan for `graph`'s services (in node order): objects, images, and what to do; the
/// services of `restart` restarted even when unchanged.
Result<KubePlan> prepare_kube_up(const RunContext& ctx, const ServiceGraph& graph,
                                 const KubeUpTarget& target, const std::filesystem::path& cache_dir,
                                 const std::vector<std::string>& restart = {});

/// The scheduler's tasks: kept services are not started; every service is probed (a cluster
/// is judged by its workloads, health check or not) every 250 ms, for as long as its health
/// check allows plus three minutes for scheduling and image pulls.
std::vector<UpTask> kube_up_tasks(const Registry& registry, const ServiceGraph& graph,
                                  const KubePlan& plan);

/// Applies the shared objects, runs the schedule, then prunes what is no longer generated.
Result<UpOutcome> run_kube_up(const KubePlan& plan, std::vector<UpTask> tasks,
                              const KubeUpTarget& target, const Clock& clock,
                              const UpOptions& options);

}  // namespace fusion
