#include "kube_runtime/kube_up.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <condition_variable>
#include <map>
#include <thread>

#include "generate/kubernetes.h"
#include "generate/secrets.h"
#include "kube/apply_batch.h"
#include "kube_runtime/cluster_snapshot.h"
#include "runtime/job_runner.h"
#include "runtime/up_tasks.h"
#include "util/parallel.h"
#include "util/strings.h"

namespace fusion {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr Millis kProbeEvery{250};
constexpr uint32_t kClusterGraceSeconds = 180;  ///< scheduling and image pulls, on top of health
constexpr size_t kBuildOutputLines = 20;

Json as_json(const YamlData& data) { return Json::parse(data.dump()); }

std::string rfc3339_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
}

Json secret(const std::string& name, const Json& string_data, const std::string& service) {
  Json s = {{"apiVersion", "v1"},
            {"kind", "Secret"},
            {"metadata", {{"name", name}}},
            {"type", "Opaque"},
            {"stringData", string_data}};
  if (!service.empty()) s["metadata"]["labels"]["app.kubernetes.io/name"] = service;
  return s;
}

/// The service's env Secret (`<service>-secrets`) from fusion's store, as the local overlay's
/// secretGenerator would make it; null when it reads no secret.
Json env_secret(const Service& s, const SecretStore& store) {
  auto values = service_secret_values(s, store);
  if (values.empty()) return nullptr;
  Json data = Json::object();
  for (const auto& [name, value] : values) data[name] = value;
  return secret(s.name.value + "-secrets", data, s.name.value);
}

/// Images fusion loads are used as loaded: `IfNotPresent` on every container, so a `:latest`
/// (whose default policy is Always) is not pulled from a registry the cluster may not reach.
void use_loaded_images(std::vector<Json>& objects) {
  for (Json& o : objects) {
    if (!o.contains("spec") || !o["spec"].contains("template")) continue;
    Json& pod = o["spec"]["template"]["spec"];
    for (const char* list : {"initContainers", "containers"}) {
      if (!pod.contains(list)) continue;
      for (Json& c : pod[list]) c["imagePullPolicy"] = "IfNotPresent";
    }
  }
}

/// Sets the image of the service's own container in every pod template of `objects`.
void use_image(std::vector<Json>& objects, const std::string& container, const std::string& image) {
  for (Json& o : objects) {
    if (!o.contains("spec") || !o["spec"].contains("template")) continue;
    for (Json& c : o["spec"]["template"]["spec"]["containers"]) {
      if (c.value("name", "") == container) c["image"] = image;
    }
  }
}

Result<KubeServicePlan> plan_service(const RunContext& ctx, const GenerateContext& gctx,
                                     const Service& s, const KubeUpTarget& target,
                                     const fs::path& cache_dir, const std::string& stack) {
  KubeServicePlan p;
  p.service = &s;
  if (Json env = env_secret(s, ctx.secrets); !env.is_null()) p.objects.push_back(env);
  for (const YamlData& o : kubernetes_service_objects(gctx, s)) p.objects.push_back(as_json(o));
  p.image_origin = "released image";
  if (s.local) {
    auto local = local_image(gctx, s, cache_dir);
    if (!local) return Error{local.error()};
    std::string reference = cluster_reference(target.loader, local->build.tag);
    use_image(p.objects, s.name.value, reference);
    p.engine_image[reference] = local->build.tag;
    p.image_origin = local->origin;
    // A node that has the image already needs no build (and the engine is not asked: a
    // process each, the bulk of a no-op up).
    if (!cluster_has_image(target.nodes, reference) &&
        !target.engine->image_exists(local->build.tag)) {
      p.build = std::move(local->build);
    }
  }
  if (target.loader.kind != LoaderKind::kRegistry) use_loaded_images(p.objects);
  for (Json& o : p.objects) {
    o = placed(std::move(o), target.namespace_, stack);
    std::string kind = o.value("kind", "");
    if (kind == "Deployment" || kind == "StatefulSet" || kind == "Job") {
      p.workload = {o.value("apiVersion", ""), kind, target.namespace_,
                    o["metadata"].value("name", "")};
      p.job = kind == "Job";
    }
  }
  p.images = pod_images(p.objects);
  return p;
}

/// Loads each image at most once, however many services need it at the same moment.
class ImageShipper {
 public:
  explicit ImageShipper(const KubeUpTarget& target) : target_(target) {}

  Status ensure(const std::string& reference, const std::string& engine_image) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !in_flight_.contains(reference); });
    if (auto done = done_.find(reference); done != done_.end()) return done->second;
    if (cluster_has_image(target_.nodes, reference)) return ok_status();
    in_flight_.insert(reference);
    lock.unlock();
    Status shipped = ship(reference, engine_image);
    lock.lock();
    in_flight_.erase(reference);
    done_.emplace(reference, shipped);
    changed_.notify_all();
    return shipped;
  }

 private:
  Status ship(const std::string& reference, const std::string& engine_image) {
    if (!target_.engine->image_exists(engine_image)) {
      return Error{fmt::format(
          "the cluster has no image {0}, and {1} has none to load into it: pull it into {1} "
          "({1} pull {0}) or push it to a registry the cluster pulls from",
          reference, target_.engine->name())};
    }
    Status loaded = target_.image_loader->load(engine_image);
    if (!loaded)
      return Error{fmt::format("loading {} into the cluster: {}", reference, loaded.error())};
    return ok_status();
  }

  const KubeUpTarget& target_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<std::string> in_flight_;
  std::map<std::string, Status> done_;
};

/// Deletes a Job (and its pods) and waits until it is gone, so it can be applied anew.
Status replace_job(KubeClient& client, const ObjectRef& job) {
  // Background: the Job goes at once; its old pods terminate on their own time and are not
  // counted against the new one (their readiness is Terminating).
  auto removed = client.remove(job, {.propagation = "Background"});
  if (!removed && !removed.error().not_found()) return Error{removed.error().describe()};
  for (int i = 0; i < 600; ++i) {
    auto live = client.get(job);
    if (!live && live.error().not_found()) return ok_status();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Error{fmt::format("{} was not gone 60 s after its deletion", job.describe())};
}

JobOutcome apply_service(const KubeServicePlan& s, KubeClient& client) {
  if (s.action == KubeAction::kReplace) {
    if (Status gone = replace_job(client, s.workload); !gone) {
      return {JobOutcome::kFailed, "replacing its Job: " + gone.error()};
    }
  }
  BatchApplyResult r = apply_all(client, s.objects, {.field_manager = "fusion", .force = true});
  if (!r.errors.empty()) {
    std::string detail;
    for (const auto& [ref, error] : r.errors)
      detail += ref.describe() + ": " + error.describe() + "\n";
    return {JobOutcome::kFailed, "apply failed:\n" + detail};
  }
  return {JobOutcome::kDone, fmt::format("applied {} objects", s.objects.size())};
}

JobOutcome from_verdict(const WorkloadVerdict& v) {
  switch (v.kind) {
    case WorkloadVerdict::kReady:
      return {JobOutcome::kDone, v.detail};
    case WorkloadVerdict::kFailed:
      return {JobOutcome::kFailed, v.detail};
    case WorkloadVerdict::kNotYet:
      break;
  }
  return {JobOutcome::kNotYet, v.detail};
}

JobOutcome run_job(const Job& job, const KubeServicePlan& s, const KubeUpTarget& target,
                   ImageShipper& shipper, ClusterSnapshot& snapshot) {
  const std::string& name = s.service->name.value;
  switch (job.kind) {
    case JobKind::kBuild: {
      if (s.build) {
        Status built = target.engine->build_image(*s.build);
        if (!built) {
          return {JobOutcome::kFailed,
                  "image build failed:\n" + tail_lines(built.error(), kBuildOutputLines)};
        }
      }
      for (const std::string& image : s.images) {
        auto engine = s.engine_image.find(image);
        Status shipped =
            shipper.ensure(image, engine == s.engine_image.end() ? image : engine->second);
        if (!shipped) return {JobOutcome::kFailed, shipped.error()};
      }
      return {JobOutcome::kDone, s.build ? "built " + s.build->tag : "images on the cluster"};
    }
    case JobKind::kStart: {
      JobOutcome applied = apply_service(s, *target.client);
      snapshot.invalidate();  // its probes must see what was just applied
      return applied;
    }
    case JobKind::kProbe:
      return from_verdict(snapshot.verdict(name, s.workload.kind, s.workload.name, false));
    case JobKind::kWaitExit:
      for (;;) {
        JobOutcome o = from_verdict(snapshot.verdict(name, s.workload.kind, s.workload.name, true));
        if (o.verdict != JobOutcome::kNotYet) return o;
        std::this_thread::sleep_for(kProbeEvery);
      }
  }
  return {JobOutcome::kFailed, "unknown job"};
}

Status apply_shared(const KubePlan& plan, KubeClient& client) {
  ApplyOptions options{.field_manager = "fusion", .force = true};
  for (const Json& o : plan.shared) {
    if (o.value("kind", "") != "Namespace") continue;
    if (auto r = client.apply(o, options); !r) return Error{r.error().describe()};
  }
  std::vector<Json> rest;
  for (const Json& o : plan.shared) {
    if (o.value("kind", "") != "Namespace") rest.push_back(o);
  }
  BatchApplyResult r = apply_all(client, rest, options);
  if (!r.errors.empty()) {
    return Error{r.errors.front().first.describe() + ": " + r.errors.front().second.describe()};
  }
  return ok_status();
}

}  // namespace

Result<KubePlan> prepare_kube_up(const RunContext& ctx, const ServiceGraph& graph,
                                 const KubeUpTarget& target, const fs::path& cache_dir,
                                 const std::vector<std::string>& restart) {
  const Registry& registry = *ctx.registry;
  auto gctx = make_generate_context(registry, ctx.registry_dir, ctx.registry_dir);
  if (!gctx) return Error{gctx.error()};
  KubePlan plan;
  plan.stack = registry.name.value;
  plan.namespace_ = target.namespace_;
  plan.shared.push_back(placed(
      {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", plan.namespace_}}}},
      plan.namespace_, plan.stack));
  for (const YamlData& claim : kubernetes_volume_claims(*gctx)) {
    plan.shared.push_back(placed(as_json(claim), plan.namespace_, plan.stack));
  }
  for (const std::string& name : store_secret_files(registry)) {
    auto value = ctx.secrets.find(name);
    if (value == ctx.secrets.end()) return Error{"secret '" + name + "' has no value in the store"};
    plan.shared.push_back(placed(secret(object_name(name), {{name, value->second}}, ""),
                                 plan.namespace_, plan.stack));
  }
  // In parallel, as on the engine: each local service digests its context and asks the engine
  // whether it has the image (a process each).
  plan.services.resize(graph.service_count());
  std::vector<std::string> errors(graph.service_count());
  parallel_for_each(graph.service_count(), default_jobs(), [&](size_t n) {
    auto service = plan_service(ctx, *gctx, graph.service(static_cast<NodeId>(n)), target,
                                cache_dir, plan.stack);
    if (service) {
      plan.services[n] = std::move(service).value();
    } else {
      errors[n] = service.error();
    }
  });
  for (const std::string& error : errors) {
    if (!error.empty()) return Error{error};
  }
  for (const Service& s : registry.services) plan.registry_services.insert(s.name.value);
  auto live = list_live(*target.client, plan.namespace_, stack_selector(plan.stack), stack_kinds());
  if (!live) return Error{"the stack on the cluster: " + live.error()};
  decide_kube_actions(plan, *live);
  for (KubeServicePlan& s : plan.services) {
    if (s.action != KubeAction::kKeep || !s.job) continue;
    s.kept_completed = compute_readiness(live.value()[s.workload.kind][s.workload.name]).completed;
  }
  if (!restart.empty()) request_restarts(plan, restart, rfc3339_now());
  return plan;
}

std::vector<UpTask> kube_up_tasks(const Registry& registry, const ServiceGraph& graph,
                                  const KubePlan& plan) {
  std::vector<ServiceRun> runs;
  for (const KubeServicePlan& s : plan.services) {
    ServiceDecision decision{
        .action = s.action == KubeAction::kKeep ? ContainerAction::kKeep : ContainerAction::kCreate,
        .kept_completed = s.kept_completed,
        .reason = s.reason};
    // Every service passes through its build job: that is where missing images are loaded.
    runs.push_back({decision, true});
  }
  std::vector<UpTask> tasks = make_up_tasks(registry, graph, runs);
  for (size_t n = 0; n < plan.services.size(); ++n) {
    const Service& s = *plan.services[n].service;
    HealthCheck check;
    check.kind = HealthKind::kExec;
    check.interval = Duration(1000);
    check.retries = kClusterGraceSeconds;
    if (s.health) {
      check.start_period = s.health->start_period;
      check.retries +=
          static_cast<uint32_t>((s.health->interval * s.health->retries).count() / 1000);
    }
    tasks[n].health = check;
    tasks[n].probe_every = kProbeEvery;
  }
  return tasks;
}

Result<UpOutcome> run_kube_up(const KubePlan& plan, std::vector<UpTask> tasks,
                              const KubeUpTarget& target, const Clock& clock,
                              const UpOptions& options) {
  if (Status s = apply_shared(plan, *target.client); !s) return Error{s.error()};
  ImageShipper shipper(target);
  ClusterSnapshot snapshot(*target.client, plan.namespace_, stack_selector(plan.stack));
  UpScheduler scheduler(std::move(tasks), options.max_builds, options.observer);
  ThreadJobRunner runner([&](const Job& job) {
    return run_job(job, plan.services[job.task], target, shipper, snapshot);
  });
  run_schedule(scheduler, runner, clock, options.interrupted);
  for (const ObjectRef& ref : plan.prune) {
    auto removed = target.client->remove(ref);
    if (!removed && !removed.error().not_found()) {
      return Error{fmt::format("pruning {}: {}", ref.describe(), removed.error().describe())};
    }
  }
  return outcome_of(scheduler);
}

}  // namespace fusion
