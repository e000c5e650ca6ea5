// fusion logs [-f] [--tail N] [svc…] [--runtime R] [--target kubernetes …]: the logs of the
// stack's containers (on a cluster, of its pods' containers) merged in time order behind
// aligned, coloured service prefixes; -f follows until Ctrl-C, taking in pods as they are
// replaced.

#include <fmt/format.h>

#include <thread>

#include "cli/commands.h"
#include "cli/kube_target.h"
#include "cli/stack_session.h"
#include "cli/stack_up_run.h"
#include "kube_runtime/kube_logs.h"
#include "kube_runtime/kube_plan.h"
#include "runtime/log_follow.h"
#include "util/clock.h"
#include "util/strings.h"
#include "util/terminal.h"

namespace fusion {
namespace {

constexpr Millis kFollowInterval{500};

class LogsCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("services", services_, "Only these services (default: all of the stack)");
    app.add_flag("-f,--follow", follow_, "Keep printing new lines until interrupted");
    app.add_option("-n,--tail", tail_, "Lines of each service to start with (default: all)");
    runtime_.add_to(app);
    target_.add_to(app, false);
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto checked = load_valid_registry(global, io, {});
    if (!checked) return kExitFailure;
    if (int unknown = check_services(checked->registry, io)) return unknown;
    TargetOption target = target_.resolved(*checked);
    if (target.kubernetes()) {
      SystemProcessRunner processes;
      auto cluster = open_kube_stack(target, checked->registry, processes, false);
      if (!cluster) return report_error(io, cluster.error());
      PodLogReader reader(*cluster->session->client, cluster->namespace_,
                          stack_selector(checked->registry.name.value));
      return show(reader, io);
    }
    auto stack = open_running_stack(std::move(*checked), runtime_, io);
    if (!stack) return kExitFailure;
    EngineLogReader reader(*stack->runtime, stack->containers);
    return show(reader, io);
  }

 private:
  int check_services(const Registry& registry, Streams& io) {
    for (const std::string& name : services_) {
      if (!registry.find_service(name)) {
        std::vector<std::string> names;
        for (const Service& s : registry.services) names.push_back(s.name.value);
        auto best = closest_match(name, names);
        report_error(io, fmt::format("no service '{}' in {}{}", name, registry.name.value,
                                     best ? fmt::format("; did you mean '{}'?", *best) : ""));
        return kExitUsage;
      }
    }
    return kExitOk;
  }

  int show(LogReader& reader, Streams& io) {
    LogFollower follower(reader, services_, tail_);
    InterruptFlag interrupt;
    bool color = use_color(stdout);
    for (bool first = true; first || (follow_ && !interrupt.flag().load()); first = false) {
      if (!first) std::this_thread::sleep_for(kFollowInterval);
      auto lines = follower.poll(color);
      if (!lines) return report_error(io, lines.error());
      for (const std::string& line : *lines) io.out << line << "\n";
      io.out << std::flush;
      if (first && follower.source_count() == 0) {
        return report_error(io, "no containers of the stack to show");
      }
    }
    return kExitOk;
  }

  std::vector<std::string> services_;
  bool follow_ = false;
  size_t tail_ = 0;
  RuntimeOption runtime_;
  TargetOption target_;
};

}  // namespace

std::unique_ptr<Command> make_logs_command() { return std::make_unique<LogsCommand>(); }

}  // namespace fusion
