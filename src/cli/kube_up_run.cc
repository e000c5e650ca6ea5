// fusion up --target kubernetes: the same command, progress, --json events, --explain and
// failure report as on the engine, with the stack applied to a cluster.

#include <fmt/format.h>

#include "cli/stack_up_run.h"
#include "graph/service_graph.h"
#include "kube_runtime/kube_logs.h"
#include "kube_runtime/kube_up.h"

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

}  // namespace

int run_kube_stack_up(UpStart& start, const StackUpRequest& request, const TargetOption& option,
                      Streams& io) {
  auto cluster = open_kube_stack(option, start.checked.registry, start.processes, true);
  if (!cluster) return report_error(io, cluster.error());
  auto loader = make_image_loader(cluster->loader, start.processes, start.engine->name(),
                                  private_dir(start.checked) / "images");
  KubeUpTarget target{.client = cluster->session->client.get(),
                      .namespace_ = cluster->namespace_,
                      .engine = start.engine.get(),
                      .loader = cluster->loader,
                      .image_loader = loader.get(),
                      .nodes = cluster->nodes};
  auto plan = prepare_kube_up(start.ctx, *start.graph, target, private_dir(start.checked) / "cache",
                              request.restart);
  if (!plan) return report_error(io, plan.error());
  if (request.explain) print_explanation(*plan, cluster->loader, io);
  std::vector<UpTask> tasks = kube_up_tasks(start.checked.registry, *start.graph, *plan);
  auto outcome = run_with_progress(request, tasks, io, [&](const Clock& clock, const UpOptions& o) {
    return run_kube_up(*plan, tasks, target, clock, o);
  });
  if (!outcome) return kExitFailure;
  if (outcome->ok()) return kExitOk;
  std::string selector = stack_selector(plan->stack);
  print_up_failures(*outcome, io, [&](const std::string& service) {
    return last_pod_log_lines(*target.client, plan->namespace_, selector, service, kLogLines);
  });
  return kExitFailure;
}

}  // namespace fusion
