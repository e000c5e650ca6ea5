// fusion logs [-f] [--tail N] [svc…] [--runtime R]: the logs of the stack's containers merged
// in time order behind aligned, coloured service prefixes; -f follows until Ctrl-C.

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <thread>

#include "cli/commands.h"
#include "cli/stack_session.h"
#include "cli/stack_up_run.h"
#include "runtime/log_lines.h"
#include "util/clock.h"
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
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto stack = open_running_stack(global, runtime_, io);
    if (!stack) return kExitFailure;
    for (const ContainerInfo& c : stack->containers) {
      if (!c.labels.contains(kServiceLabel)) continue;
      std::string service = c.labels.at(kServiceLabel);
      if (services_.empty() || std::count(services_.begin(), services_.end(), service)) {
        sources_.push_back({service, c.name});
      }
    }
    if (sources_.empty()) return report_error(io, "no containers of the stack to show");
    std::sort(sources_.begin(), sources_.end());
    for (const auto& s : sources_) width_ = std::max(width_, s.first.size());
    seen_.assign(sources_.size(), {});
    InterruptFlag interrupt;
    bool first = true;
    do {
      if (!first) std::this_thread::sleep_for(kFollowInterval);
      print_new_lines(*stack->runtime, io, first ? tail_ : 0);
      first = false;
    } while (follow_ && !interrupt.flag().load());
    return kExitOk;
  }

 private:
  void print_new_lines(ContainerRuntime& runtime, Streams& io, size_t tail) {
    std::vector<LogLine> lines;
    for (size_t i = 0; i < sources_.size(); ++i) {
      auto text = runtime.logs(sources_[i].second, tail, true, seen_[i].timestamp);
      if (!text) continue;  // a container removed meanwhile
      auto more = parse_log_lines(i, *text, seen_[i].time_ns);
      for (const LogLine& l : more) {
        if (l.time_ns > seen_[i].time_ns) seen_[i] = l;
      }
      lines.insert(lines.end(), more.begin(), more.end());
    }
    sort_by_time(lines);
    bool color = use_color(stdout);
    for (const LogLine& l : lines) {
      io.out << format_log_line(sources_[l.source].first, width_, l.source, l.text, color) << "\n";
    }
    io.out << std::flush;
  }

  std::vector<std::string> services_;
  bool follow_ = false;
  size_t tail_ = 0;
  RuntimeOption runtime_;
  std::vector<std::pair<std::string, std::string>> sources_;  ///< service, container
  std::vector<LogLine> seen_;  ///< per source, the newest line shown: where to go on from
  size_t width_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_logs_command() { return std::make_unique<LogsCommand>(); }

}  // namespace fusion
