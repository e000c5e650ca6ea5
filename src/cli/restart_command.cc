// fusion restart svc… [--runtime R] [--target kubernetes …]: stops and starts the named services
// and the running services that depend on them (through depends_on, transitively), in
// dependency order, waiting for health as `up` does. A service whose config changed is
// recreated instead. On a cluster, their workloads roll out anew (`kubectl rollout restart`).

#include <fmt/format.h>

#include <set>

#include "cli/commands.h"
#include "cli/stack_up_run.h"
#include "kube_runtime/cluster_snapshot.h"

namespace fusion {
namespace {

/// `names` and every service that depends on one of them, transitively.
std::vector<std::string> with_dependents(const Registry& registry,
                                         const std::vector<std::string>& names) {
  std::set<std::string> chosen(names.begin(), names.end());
  for (bool grew = true; grew;) {
    grew = false;
    for (const Service& s : registry.services) {
      if (chosen.contains(s.name.value)) continue;
      for (const Dependency& d : s.depends_on) {
        if (chosen.contains(d.service.value)) {
          grew = chosen.insert(s.name.value).second || grew;
          break;
        }
      }
    }
  }
  return {chosen.begin(), chosen.end()};
}

class RestartCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("services", names_, "The services to restart")->required();
    app.add_flag("--json", request_.json, "Print one JSON event per line");
    app.add_flag("--explain", request_.explain, "Say why each service is restarted or kept");
    app.add_flag("--no-wait", request_.no_wait,
                 "Fail at once when another fusion run is changing the stack");
    request_.command = "restart";
    request_.runtime.add_to(app);
    request_.target.add_to(app, true);
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto checked = load_valid_registry(global, io, {});
    if (!checked) return kExitFailure;
    TargetOption target = request_.target.resolved(*checked);
    const Registry& registry = checked->registry;
    auto present = target.kubernetes() ? running_on_cluster(registry, target)
                                       : running_on_engine(*checked, io);  // a copy: registry stays
    if (!present) return report_error(io, present.error());
    for (const std::string& name : with_dependents(registry, names_)) {
      bool named = std::find(names_.begin(), names_.end(), name) != names_.end();
      if (named || present->contains(name)) request_.restart.push_back(name);
    }
    request_.services = request_.restart;
    return run_stack_up(global, request_, io);
  }

 private:
  /// The services with a container, running or not.
  Result<std::set<std::string>> running_on_engine(CheckedRegistry checked, Streams& io) {
    auto stack = open_running_stack(std::move(checked), request_.runtime, io);
    if (!stack) return Error{"cannot list the stack's containers"};
    std::set<std::string> present;
    for (const ContainerInfo& c : stack->containers) {
      if (c.labels.contains(kServiceLabel)) present.insert(c.labels.at(kServiceLabel));
    }
    return present;
  }

  /// The services with a workload on the cluster.
  Result<std::set<std::string>> running_on_cluster(const Registry& registry,
                                                   const TargetOption& target) {
    SystemProcessRunner processes;
    auto cluster = open_kube_stack(target, registry, processes, false);
    if (!cluster) return Error{cluster.error()};
    auto listed = list_workloads(*cluster->session->client, cluster->namespace_,
                                 stack_selector(registry.name.value));
    if (!listed) return Error{listed.error()};
    std::set<std::string> present;
    for (const auto& [kind, objects] : listed->workloads) {
      for (const auto& [name, object] : objects) {
        present.insert(object["metadata"]["labels"].value("app.kubernetes.io/name", name));
      }
    }
    return present;
  }

  std::vector<std::string> names_;
  StackUpRequest request_;
};

}  // namespace

std::unique_ptr<Command> make_restart_command() { return std::make_unique<RestartCommand>(); }

}  // namespace fusion
