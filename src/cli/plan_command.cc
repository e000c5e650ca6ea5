// fusion plan [svc…] [--profile P] [--local svc] [--explain] [--json]: what `up` would start,
// in which waves, the critical path, and why each service is included.

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/session.h"
#include "graph/plan.h"

namespace fusion {
namespace {

class PlanCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("services", services_, "Only these services and what they depend on");
    app.add_option("--profile", profiles_, "Enable services of this profile (repeatable)");
    app.add_option("--local", local_, "Run this service from local source (repeatable)");
    app.add_flag("--explain", explain_, "Say why each service is part of the plan");
    app.add_flag("--json", json_, "Print the plan as JSON");
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto checked = load_valid_registry(global, io, {.local = local_});
    if (!checked) return kExitFailure;
    auto selection = select_services(checked->registry, services_, profiles_);
    if (!selection) {
      io.err << "fusion: error: " << selection.error() << "\n";
      return kExitUsage;
    }
    StartPlan plan = make_plan(checked->registry, *selection);
    io.out << (json_ ? plan_to_json(plan).dump(2) + "\n" : render_plan(plan, explain_));
    return kExitOk;
  }

 private:
  std::vector<std::string> services_, profiles_, local_;
  bool explain_ = false;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_plan_command() { return std::make_unique<PlanCommand>(); }

}  // namespace fusion
