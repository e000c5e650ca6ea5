// fusion down [--volumes] [--runtime R] [--target kubernetes …]: stops and removes every
// container of the stack, dependents first, and its networks; named volumes only with
// --volumes. On a cluster: every object of the stack, the same way (kube_runtime/kube_down.h).

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/kube_target.h"
#include "cli/line_printer.h"
#include "cli/stack_session.h"
#include "graph/service_graph.h"
#include "kube_runtime/kube_down.h"
#include "runtime/stack_down.h"

namespace fusion {
namespace {

class DownCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_flag("-v,--volumes", volumes_, "Also remove the stack's named volumes (their data)");
    app.add_flag("--no-wait", no_wait_,
                 "Fail at once when another fusion run is changing the stack");
    runtime_.add_to(app);
    target_.add_to(app, false);
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto checked = load_valid_registry(global, io, {});
    if (!checked) return kExitFailure;
    TargetOption target = target_.resolved(*checked);
    if (target.kubernetes()) return run_on_cluster(*checked, target, io);
    // stack_down lists the containers itself
    auto stack = open_running_stack(std::move(*checked), runtime_, io, false);
    if (!stack) return kExitFailure;
    auto lock = lock_stack(stack->checked, "down", no_wait_, io);
    if (!lock) return kExitFailure;
    LinePrinter printer(io.out, io.smart_terminal);
    auto report = stack_down(stack->checked.registry, *stack->runtime, volumes_,
                             [&](const std::string& c) { printer.line("removed " + c); });
    printer.finish();
    if (!report) return report_error(io, report.error());
    io.out << fmt::format("{} containers, {} networks, {} volumes removed\n",
                          report->containers.size(), report->networks.size(),
                          report->volumes.size());
    for (const std::string& e : report->errors) io.err << "fusion: error: " << e << "\n";
    return report->ok() ? kExitOk : kExitFailure;
  }

 private:
  /// Every object of the stack in its namespace, dependents first; claims with --volumes.
  int run_on_cluster(const CheckedRegistry& checked, const TargetOption& target, Streams& io) {
    auto lock = lock_stack(checked, "down", no_wait_, io);
    if (!lock) return kExitFailure;
    const Registry& registry = checked.registry;
    SystemProcessRunner processes;
    auto cluster = open_kube_stack(target, registry, processes, false);
    if (!cluster) return report_error(io, cluster.error());
    ServiceGraph graph(registry);
    std::vector<NodeId> order = graph.dag().topological_order();
    KubeDownOptions options{.stack = registry.name.value,
                            .namespace_ = cluster->namespace_,
                            .services = {},
                            .volumes = volumes_};
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      if (graph.is_service(*it)) options.services.push_back(graph.node_name(*it));
    }
    LinePrinter printer(io.out, io.smart_terminal);
    options.on_removed = [&](const std::string& what) { printer.line("removed " + what); };
    auto report = kube_down(*cluster->session->client, options);
    printer.finish();
    if (!report) return report_error(io, report.error());
    io.out << fmt::format("{} objects removed from namespace {}{}\n", report->removed.size(),
                          cluster->namespace_,
                          report->claims_kept ? fmt::format("; {} volume claims kept (--volumes "
                                                            "removes them)",
                                                            report->claims_kept)
                                              : "");
    return kExitOk;
  }

  bool volumes_ = false;
  bool no_wait_ = false;
  RuntimeOption runtime_;
  TargetOption target_;
};

}  // namespace

std::unique_ptr<Command> make_down_command() { return std::make_unique<DownCommand>(); }

}  // namespace fusion
