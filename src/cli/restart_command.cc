// fusion restart svc… [--runtime R]: stops and starts the named services and the running
// services that depend on them (through depends_on, transitively), in dependency order, waiting
// for health as `up` does. A service whose config changed is recreated instead.

#include <fmt/format.h>

#include <set>

#include "cli/commands.h"
#include "cli/stack_up_run.h"

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
    app.add_flag("--no-wait", request_.no_wait,
                 "Fail at once when another fusion run is changing the stack");
    request_.command = "restart";
    request_.runtime.add_to(app);
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto stack = open_running_stack(global, request_.runtime, io);
    if (!stack) return kExitFailure;
    std::set<std::string> present;
    for (const ContainerInfo& c : stack->containers) {
      if (c.labels.contains(kServiceLabel)) present.insert(c.labels.at(kServiceLabel));
    }
    for (const std::string& name : with_dependents(stack->checked.registry, names_)) {
      bool named = std::find(names_.begin(), names_.end(), name) != names_.end();
      if (named || present.contains(name)) request_.restart.push_back(name);
    }
    request_.services = request_.restart;
    return run_stack_up(global, request_, io);
  }

 private:
  std::vector<std::string> names_;
  StackUpRequest request_;
};

}  // namespace

std::unique_ptr<Command> make_restart_command() { return std::make_unique<RestartCommand>(); }

}  // namespace fusion
