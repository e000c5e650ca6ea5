// fusion status [--json] [--runtime R]: what runs, healthy or not (probed now), from which
// image, on which ports and URL. Exit code 1 when a service is not running or unhealthy.

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/stack_session.h"
#include "runtime/stack_status.h"

namespace fusion {
namespace {

class StatusCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_flag("--json", json_, "Print the table as JSON");
    runtime_.add_to(app);
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto stack = open_running_stack(global, runtime_, io);
    if (!stack) return kExitFailure;
    RuntimeProber prober(*stack->runtime);
    auto rows = stack_status(stack->checked.registry, stack->containers, &prober);
    io.out << (json_ ? status_to_json(rows).dump(2) + "\n" : render_status(rows));
    bool problem = std::any_of(rows.begin(), rows.end(), [](auto& r) { return r.problem; });
    return problem ? kExitFailure : kExitOk;
  }

 private:
  bool json_ = false;
  RuntimeOption runtime_;
};

}  // namespace

std::unique_ptr<Command> make_status_command() { return std::make_unique<StatusCommand>(); }

}  // namespace fusion
