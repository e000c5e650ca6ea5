// fusion up [svc…] [--profile P] [--local svc] [--explain] [--json] [--runtime R] [-j N]: builds
// what runs from local source, then starts every selected service the moment what it depends on
// is ready, probing health itself.

#include "cli/commands.h"
#include "cli/stack_up_run.h"

namespace fusion {
namespace {

class UpCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("services", request_.services, "Only these services and what they depend on");
    app.add_option("--profile", request_.profiles, "Enable services of this profile (repeatable)");
    app.add_option("--local", request_.local, "Run this service from local source (repeatable)");
    app.add_flag("--explain", request_.explain,
                 "Say why each service is built, created, recreated or kept");
    app.add_flag("--json", request_.json, "Print one JSON event per line");
    app.add_option("-j,--jobs", request_.max_builds, "Image builds at once (default: cores)");
    app.add_flag("--no-wait", request_.no_wait,
                 "Fail at once when another fusion run is changing the stack");
    request_.runtime.add_to(app);
    request_.target.add_to(app, true);
  }

  int run(const GlobalOptions& global, Streams& io) override {
    return run_stack_up(global, request_, io);
  }

 private:
  StackUpRequest request_;
};

}  // namespace

std::unique_ptr<Command> make_up_command() { return std::make_unique<UpCommand>(); }

}  // namespace fusion
