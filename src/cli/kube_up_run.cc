// fusion up --target kubernetes: the same command, progress, --json events, --explain and
// failure report as on the engine, with the stack applied to a cluster.

#include <fmt/format.h>

#include <thread>

#include "cli/line_printer.h"
#include "cli/stack_up_run.h"
#include "cli/up_progress.h"
#include "graph/selection.h"
#include "graph/service_graph.h"
#include "kube_runtime/kube_up.h"
#include "util/strings.h"
#include "util/terminal.h"

namespace fusion {
namespace {

void print_explanation(const KubePlan& plan, const LoaderChoice& loader, Streams& io) {
  io.out << fmt::format("namespace {}; images reach the cluster by {} ({})\n", plan.namespace_,
                        loader_kind_name(loader.kind), loader.why);
  size_t width = 0;
  for (const KubeServicePlan& s : plan.services) {
    width = std::max(width, s.service->name.value.size());
  }
  for (const KubeServicePlan& s : plan.services) {
    std::string image = s.build ? "build " + s.build->tag : "images on the engine";
    io.out << fmt::format("{:<{}}  {:<8}  {}; {} ({})\n", s.service->name.value, width,
                          kube_action_name(s.action), s.reason, image, s.image_origin);
  }
  for (const ObjectRef& ref : plan.prune) {
    io.out << fmt::format("prune {}: no longer generated\n", ref.describe());
  }
}

void print_failures(const UpOutcome& outcome, Streams& io) {
  std::vector<std::string> blocked;
  for (size_t t = 0; t < outcome.tasks.size(); ++t) {
    const UpTask& task = outcome.tasks[t];
    if (task.barrier) continue;
    if (outcome.states[t] == TaskState::kBlocked) {
      blocked.push_back(fmt::format("{} ({})", task.name, outcome.details[t]));
    }
    if (outcome.states[t] != TaskState::kFailed) continue;
    io.err << fmt::format("\nfailed: {}\n", task.name);
    for (std::string_view line : split(outcome.details[t], '\n')) {
      if (!line.empty()) io.err << "  " << line << "\n";
    }
  }
  if (!blocked.empty()) io.err << fmt::format("\nblocked: {}\n", fmt::join(blocked, ", "));
}

}  // namespace

int run_kube_stack_up(const GlobalOptions& global, const StackUpRequest& request, Streams& io) {
  auto checked = load_valid_registry(global, io, {.local = request.local});
  if (!checked) return kExitFailure;
  auto lock = lock_stack(*checked, request.command, request.no_wait, io);
  if (!lock) return kExitFailure;
  const Registry& registry = checked->registry;
  auto selection = select_services(registry, request.services, request.profiles);
  if (!selection) {
    report_error(io, selection.error());
    return kExitUsage;
  }
  ServiceGraph graph(registry, selection->included);
  auto ctx = make_run_context(*checked, io);
  if (!ctx) return report_error(io, ctx.error());
  SystemProcessRunner processes;
  auto engine = request.runtime.make(processes);
  if (!engine) return report_error(io, engine.error());
  auto cluster = open_kube_stack(request.target, registry, processes, true);
  if (!cluster) return report_error(io, cluster.error());
  auto loader = make_image_loader(cluster->loader, processes, (*engine)->name(),
                                  private_dir(*checked) / "images");
  KubeUpTarget target{.client = cluster->session->client.get(),
                      .namespace_ = cluster->namespace_,
                      .engine = engine->get(),
                      .loader = cluster->loader,
                      .image_loader = loader.get(),
                      .nodes = cluster->nodes};
  auto plan = prepare_kube_up(*ctx, graph, target, private_dir(*checked) / "cache");
  if (!plan) return report_error(io, plan.error());
  if (request.explain) print_explanation(*plan, cluster->loader, io);

  SteadyClock clock;
  TimePoint begin = clock.now();
  std::vector<UpTask> tasks = kube_up_tasks(registry, graph, *plan);
  LinePrinter printer(io.out, io.smart_terminal && !request.json, terminal_width(stdout));
  UpProgress progress(printer, tasks, begin);
  JsonUpEvents events(io.out, tasks, begin);
  InterruptFlag interrupt;
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  auto outcome =
      run_kube_up(*plan, tasks, target, clock,
                  {.max_builds = request.max_builds ? request.max_builds : cores,
                   .observer = request.json ? static_cast<UpObserver*>(&events) : &progress,
                   .interrupted = &interrupt.flag()});
  printer.finish();
  if (!outcome) return report_error(io, outcome.error());
  double seconds =
      static_cast<double>(std::chrono::duration_cast<Millis>(clock.now() - begin).count()) / 1000;
  if (!request.json) io.out << up_summary(*outcome, seconds) << "\n";
  if (outcome->ok()) return kExitOk;
  print_failures(*outcome, io);
  return kExitFailure;
}

}  // namespace fusion
