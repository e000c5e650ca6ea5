#include "runtime/stack_up.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "generate/context.h"
#include "runtime/context_hash.h"
#include "runtime/job_runner.h"
#include "runtime/up_tasks.h"
#include "util/file.h"
#include "util/parallel.h"
#include "util/strings.h"

namespace fusion {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::seconds kStopGrace{10};
constexpr size_t kBuildOutputLines = 20;

/// The build of a local-source service from its context folder (generate/context.h's rules).
ImageBuild image_build(const fs::path& context, const Service& service) {
  ImageBuild build;
  build.context = context.string();
  std::string dockerfile = service.build && service.build->dockerfile.present()
                               ? service.build->dockerfile.value
                               : "Dockerfile";
  build.dockerfile = (context / dockerfile).lexically_normal().string();
  if (service.build) {
    build.target = service.build->target.value;
    build.args = service.build->args;
  }
  return build;
}

/// Digests the context through its stat cache; the image tag follows from the digest.
Result<ContextDigest> digest_context(const ImageBuild& build, const fs::path& cache_file) {
  StatCache cache = StatCache::load(cache_file);
  auto digest = hash_build_context({.context = build.context,
                                    .dockerfile = build.dockerfile,
                                    .target = build.target,
                                    .args = build.args},
                                   cache);
  if (digest) {
    std::error_code ec;
    fs::create_directories(cache_file.parent_path(), ec);
    (void)cache.save(cache_file);  // a lost cache only costs a full read next time
  }
  return digest;
}

/// `network create` flags for a declared network: driver, options, subnets, internal.
std::vector<std::string> network_flags(const Network* n) {
  std::vector<std::string> flags;
  if (!n) return flags;
  if (!n->driver.empty()) flags.insert(flags.end(), {"--driver", n->driver});
  for (const auto& [k, v] : n->driver_opts) flags.insert(flags.end(), {"--opt", k + "=" + v});
  for (const Subnet& subnet : n->subnets) {
    flags.insert(flags.end(), {"--subnet", subnet.subnet});
    if (!subnet.gateway.empty()) flags.insert(flags.end(), {"--gateway", subnet.gateway});
    if (!subnet.ip_range.empty()) flags.insert(flags.end(), {"--ip-range", subnet.ip_range});
  }
  if (n->internal) flags.push_back("--internal");
  return flags;
}

std::vector<std::string> volume_flags(const Volume* v) {
  std::vector<std::string> flags;
  if (!v) return flags;
  if (!v->driver.empty()) flags.insert(flags.end(), {"--driver", v->driver});
  for (const auto& [k, value] : v->driver_opts)
    flags.insert(flags.end(), {"--opt", k + "=" + value});
  return flags;
}

Status ensure_stack_resources(const RunContext& ctx, const PreparedUp& up,
                              ContainerRuntime& runtime) {
  const Registry& registry = *ctx.registry;
  std::map<std::string, const Network*> networks;  // engine name → declaration (or none)
  std::map<std::string, const Volume*> volumes;
  for (const PreparedService& s : up.services) {
    for (const NetworkAttachment& n : s.service->networks) {
      const Network* declared = nullptr;
      for (const Network& d : registry.networks)
        declared = d.name.value == n.name.value ? &d : declared;
      if (declared && declared->external) continue;  // exists already: not fusion's to create
      networks[network_name(registry, n.name.value)] = declared;
    }
    if (s.service->networks.empty()) networks[network_name(registry, "default")] = nullptr;
    for (const VolumeMount& v : s.service->volumes) {
      if (!v.named) continue;
      const Volume* declared = nullptr;
      for (const Volume& d : registry.volumes) declared = d.name.value == v.source ? &d : declared;
      if (declared && declared->external) continue;
      volumes[volume_name(registry, v.source)] = declared;
    }
  }
  for (const auto& [name, declared] : networks) {
    Status s = runtime.ensure_network(name, stack_labels(registry), network_flags(declared));
    if (!s) return s;
  }
  for (const auto& [name, declared] : volumes) {
    Status s = runtime.ensure_volume(name, stack_labels(registry), volume_flags(declared));
    if (!s) return s;
  }
  return ok_status();
}

/// Secrets and configs with a value are files fusion writes (0700 folders) to bind-mount.
Status write_host_files(const ContainerSpec& spec) {
  for (const HostFile& f : spec.files) {
    std::error_code ec;
    fs::path path(f.path);
    fs::create_directories(path.parent_path(), ec);
    fs::permissions(path.parent_path(), fs::perms::owner_all, ec);
    if (Status st = write_file_atomically(path, f.content, f.mode); !st) return st;
  }
  return ok_status();
}

JobOutcome from_status(const Status& status) {
  return status ? JobOutcome{} : JobOutcome{JobOutcome::kFailed, status.error()};
}

JobOutcome start_container(const PreparedService& s, ContainerRuntime& runtime) {
  const std::string& name = s.spec.name;
  if (s.decision.action == ContainerAction::kRestart) {
    if (Status st = runtime.stop(name, kStopGrace); !st) return from_status(st);
    return from_status(runtime.start(name));
  }
  if (s.decision.action == ContainerAction::kRecreate) {
    if (Status st = runtime.remove(name); !st) return from_status(st);
  }
  if (Status st = write_host_files(s.spec); !st) return from_status(st);
  if (Status st = runtime.create(s.spec); !st) return from_status(st);
  return from_status(runtime.start(name));
}

/// In a restart, the named services' containers are stopped and started as they are (a restart
/// applies no change; `up` does) and the others are left alone.
ServiceDecision restart_decision(const ContainerInfo& existing, const ServiceDecision& up_decision,
                                 bool one_shot, bool named) {
  if (named) return {ContainerAction::kRestart, false, "restart asked for"};
  bool completed = existing.state == ContainerState::kExited && existing.exit_code == 0;
  if (existing.state == ContainerState::kRunning || (one_shot && completed)) {
    return {ContainerAction::kKeep, one_shot && completed, "left alone by the restart"};
  }
  return up_decision;
}

}  // namespace

Result<LocalImage> local_image(const GenerateContext& generate_ctx, const Service& service,
                               const fs::path& cache_dir) {
  const Registry& registry = *generate_ctx.registry;
  LocalImage local{.build = image_build(build_context_dir(generate_ctx, service), service),
                   .origin = ""};
  auto digest = digest_context(local.build, cache_dir / (service.name.value + ".stat"));
  if (!digest) return Error{fmt::format("service '{}': {}", service.name.value, digest.error())};
  local.build.tag = local_image_tag(registry, service, digest->digest);
  local.build.labels = {{kStackLabel, registry.name.value}, {kServiceLabel, service.name.value}};
  local.origin = "local source, context " + digest->digest.substr(0, 12);
  return local;
}

UpOutcome outcome_of(const UpScheduler& scheduler) {
  UpOutcome outcome;
  outcome.tasks = scheduler.tasks();
  for (size_t t = 0; t < outcome.tasks.size(); ++t) {
    outcome.states.push_back(scheduler.state(t));
    outcome.details.push_back(scheduler.detail(t));
    outcome.started_at.push_back(scheduler.started_at(t));
    outcome.ready_at.push_back(scheduler.ready_at(t));
  }
  return outcome;
}

bool UpOutcome::ok() const {
  for (TaskState s : states) {
    if (s == TaskState::kFailed || s == TaskState::kBlocked || s == TaskState::kCancelled) {
      return false;
    }
  }
  return true;
}

Result<PreparedUp> prepare_up(const RunContext& ctx, const ServiceGraph& graph,
                              ContainerRuntime& runtime, const fs::path& cache_dir,
                              const std::vector<std::string>& restart) {
  const Registry& registry = *ctx.registry;
  auto existing = runtime.containers_labelled(kStackLabel, registry.name.value);
  if (!existing) return Error{existing.error()};
  std::map<std::string, const ContainerInfo*> by_service;
  for (const ContainerInfo& c : *existing) {
    auto it = c.labels.find(kServiceLabel);
    if (it != c.labels.end()) by_service[it->second] = &c;
  }
  auto generate_ctx = make_generate_context(registry, ctx.registry_dir, ctx.registry_dir);
  if (!generate_ctx) return Error{generate_ctx.error()};
  std::vector<bool> one_shot = one_shot_services(graph);
  PreparedUp up;
  up.services.resize(graph.service_count());
  std::vector<std::string> errors(graph.service_count());
  parallel_for_each(graph.service_count(), default_jobs(), [&](size_t n) {
    const Service& service = graph.service(static_cast<NodeId>(n));
    PreparedService& p = up.services[n];
    p.service = &service;
    std::string image = service.image.value;
    if (service.local) {
      auto local = local_image(*generate_ctx, service, cache_dir);
      if (!local) {
        errors[n] = local.error();
        return;
      }
      image = local->build.tag;
      p.image_origin = local->origin;
      if (!runtime.image_exists(image)) p.build = std::move(local->build);
    } else {
      p.image_origin = "released image";
    }
    auto spec = make_container_spec(ctx, service, image);
    if (!spec) {
      errors[n] = spec.error();
      return;
    }
    p.spec = std::move(spec).value();
    if (service.health) p.health = resolve_health(ctx, *service.health);
    auto found = by_service.find(service.name.value);
    p.decision =
        decide_container(p.spec, found == by_service.end() ? nullptr : found->second, one_shot[n]);
    if (!restart.empty() && found != by_service.end()) {
      p.decision = restart_decision(*found->second, p.decision, one_shot[n],
                                    std::count(restart.begin(), restart.end(), service.name.value));
      if (p.decision.action != ContainerAction::kRecreate) p.build.reset();
    }
  });
  for (const std::string& e : errors) {
    if (!e.empty()) return Error{e};
  }
  return up;
}

JobOutcome run_up_job(const Job& job, const PreparedService& s, ContainerRuntime& runtime,
                      Prober& prober) {
  switch (job.kind) {
    case JobKind::kBuild: {
      Status built = runtime.build_image(*s.build);
      if (built) return {JobOutcome::kDone, "built " + s.build->tag};
      return {JobOutcome::kFailed,
              "image build failed:\n" + tail_lines(built.error(), kBuildOutputLines)};
    }
    case JobKind::kStart:
      return start_container(s, runtime);
    case JobKind::kProbe: {
      ProbeResult r = prober.probe(s.spec.name, s.health ? *s.health : *s.service->health,
                                   probed_port(*s.service));
      JobOutcome::Verdict v = r.verdict == ProbeResult::kPass   ? JobOutcome::kDone
                              : r.verdict == ProbeResult::kFail ? JobOutcome::kNotYet
                                                                : JobOutcome::kFailed;
      return {v, r.detail};
    }
    case JobKind::kWaitExit: {
      auto code = runtime.wait(s.spec.name);
      if (!code) return {JobOutcome::kFailed, code.error()};
      if (*code == 0) return {JobOutcome::kDone, "exited with code 0"};
      return {JobOutcome::kFailed, fmt::format("exited with code {}", *code)};
    }
  }
  return {JobOutcome::kFailed, "unknown job"};
}

std::vector<UpTask> up_tasks(const Registry& registry, const ServiceGraph& graph,
                             const PreparedUp& up) {
  std::vector<ServiceRun> runs;  // PreparedUp is in graph node order too
  for (const PreparedService& s : up.services) runs.push_back({s.decision, s.build.has_value()});
  return make_up_tasks(registry, graph, runs);
}

Result<UpOutcome> run_up(const RunContext& ctx, const PreparedUp& up, std::vector<UpTask> tasks,
                         ContainerRuntime& runtime, Prober& prober, const Clock& clock,
                         const UpOptions& options) {
  if (Status s = ensure_stack_resources(ctx, up, runtime); !s) return Error{s.error()};
  UpScheduler scheduler(std::move(tasks), options.max_builds, options.observer);
  ThreadJobRunner runner(
      [&](const Job& job) { return run_up_job(job, up.services[job.task], runtime, prober); });
  run_schedule(scheduler, runner, clock, options.interrupted);
  return outcome_of(scheduler);
}

}  // namespace fusion
