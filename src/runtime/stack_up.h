#pragma once
// `fusion up` over a ContainerRuntime: work out each selected service's image and container
// (prepare_up: context digests, what the engine has, keep/create/recreate), then bring them up
// through the scheduler (run_up). The engine is the only state: containers carry the stack,
// the service and the config hash in their labels.

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "generate/context.h"
#include "graph/service_graph.h"
#include "runtime/container_spec.h"
#include "runtime/health_probe.h"
#include "runtime/reconcile.h"
#include "runtime/up_scheduler.h"
#include "util/clock.h"

namespace fusion {

/// A local-source service's image: the build of its context, tagged with the context's digest
/// (stat caches in `cache_dir`), and where it comes from ("local source, context 3f2a…").
struct LocalImage {
  ImageBuild build;
  std::string origin;
};
Result<LocalImage> local_image(const GenerateContext& generate_ctx, const Service& service,
                               const std::filesystem::path& cache_dir);

struct PreparedService {
  const Service* service = nullptr;
  ContainerSpec spec;
  std::optional<HealthCheck> health;  ///< the service's, ${VAR} resolved
  std::optional<ImageBuild> build;    ///< set when the image must be built first
  ServiceDecision decision;
  std::string image_origin;  ///< "local source, context 3f2a…" or "released image"
};

struct PreparedUp {
  std::vector<PreparedService> services;  ///< in ServiceGraph node order
};

/// For each service of `graph`: its image (a local-source service's context is digested, with
/// stat caches in `cache_dir`), its container spec and what to do with its container.
/// `restart` (fusion restart): these services' containers are stopped and started as they are,
/// the other services' running containers are left alone whatever changed.
Result<PreparedUp> prepare_up(const RunContext& ctx, const ServiceGraph& graph,
                              ContainerRuntime& runtime, const std::filesystem::path& cache_dir,
                              const std::vector<std::string>& restart = {});

struct UpOutcome {
  std::vector<UpTask> tasks;  ///< in graph node order
  std::vector<TaskState> states;
  std::vector<std::string> details;
  std::vector<TimePoint> started_at, ready_at;
  bool ok() const;
};

/// Where a finished schedule left each task.
UpOutcome outcome_of(const UpScheduler& scheduler);

struct UpOptions {
  size_t max_builds = 1;
  UpObserver* observer = nullptr;
  const std::atomic<bool>* interrupted = nullptr;
};

/// The scheduler's tasks for a prepared up (task i is node i of `graph`).
std::vector<UpTask> up_tasks(const Registry& registry, const ServiceGraph& graph,
                             const PreparedUp& up);

/// Creates the stack's networks and volumes, then builds, starts and probes.
Result<UpOutcome> run_up(const RunContext& ctx, const PreparedUp& up, std::vector<UpTask> tasks,
                         ContainerRuntime& runtime, Prober& prober, const Clock& clock,
                         const UpOptions& options);

/// The work of one scheduler job against the engine.
JobOutcome run_up_job(const Job& job, const PreparedService& service, ContainerRuntime& runtime,
                      Prober& prober);

}  // namespace fusion
