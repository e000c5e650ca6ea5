// fusion down [--volumes] [--runtime R]: stops and removes every container of the stack,
// dependents first, and its networks; named volumes only with --volumes.

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/line_printer.h"
#include "cli/stack_session.h"
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
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto stack = open_running_stack(global, runtime_, io, false);  // stack_down lists them
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
  bool volumes_ = false;
  bool no_wait_ = false;
  RuntimeOption runtime_;
};

}  // namespace

std::unique_ptr<Command> make_down_command() { return std::make_unique<DownCommand>(); }

}  // namespace fusion
