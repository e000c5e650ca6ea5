// fusion status [--json] [--runtime R] [--target kubernetes …]: what runs, healthy or not
// (probed now), from which image, on which ports and URL; on a cluster, each service's workload,
// its ready pods and its readiness. Exit code 1 when a service is not running or unhealthy.

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/kube_target.h"
#include "cli/stack_session.h"
#include "kube_runtime/cluster_snapshot.h"
#include "kube_runtime/kube_plan.h"
#include "kube_runtime/kube_status.h"
#include "runtime/stack_status.h"

namespace fusion {
namespace {

class StatusCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_flag("--json", json_, "Print the table as JSON");
    runtime_.add_to(app);
    target_.add_to(app, false);
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto checked = load_valid_registry(global, io, {});
    if (!checked) return kExitFailure;
    TargetOption target = target_.resolved(*checked);
    if (target.kubernetes()) return run_on_cluster(checked->registry, target, io);
    auto stack = open_running_stack(std::move(*checked), runtime_, io);
    if (!stack) return kExitFailure;
    RuntimeProber prober(*stack->runtime);
    auto rows = stack_status(stack->checked.registry, stack->containers, &prober);
    io.out << (json_ ? status_to_json(rows).dump(2) + "\n" : render_status(rows));
    bool problem = std::any_of(rows.begin(), rows.end(), [](auto& r) { return r.problem; });
    return problem ? kExitFailure : kExitOk;
  }

 private:
  int run_on_cluster(const Registry& registry, const TargetOption& target, Streams& io) {
    SystemProcessRunner processes;
    auto cluster = open_kube_stack(target, registry, processes, false);
    if (!cluster) return report_error(io, cluster.error());
    auto listed = list_workloads(*cluster->session->client, cluster->namespace_,
                                 stack_selector(registry.name.value));
    if (!listed) return report_error(io, listed.error());
    std::vector<std::string> services;
    for (const Service& s : registry.services) services.push_back(s.name.value);
    auto rows = kube_status(services, *listed, std::chrono::system_clock::now());
    io.out << (json_ ? kube_status_to_json(rows).dump(2) + "\n" : render_kube_status(rows));
    bool problem = std::any_of(rows.begin(), rows.end(), [](auto& r) { return r.problem; });
    return problem ? kExitFailure : kExitOk;
  }

  bool json_ = false;
  RuntimeOption runtime_;
  TargetOption target_;
};

}  // namespace

std::unique_ptr<Command> make_status_command() { return std::make_unique<StatusCommand>(); }

}  // namespace fusion
