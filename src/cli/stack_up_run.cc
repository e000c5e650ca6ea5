#include "cli/stack_up_run.h"

#include <fmt/format.h>
#include <signal.h>

#include <thread>

#include "cli/line_printer.h"
#include "cli/up_progress.h"
#include "graph/selection.h"
#include "graph/service_graph.h"
#include "runtime/stack_up.h"
#include "util/strings.h"
#include "util/terminal.h"

namespace fusion {

namespace {

constexpr size_t kLogLines = 20;

std::atomic<bool> interrupted{false};

void on_interrupt(int signal_number) {
  if (interrupted.exchange(true)) {
    ::signal(signal_number, SIG_DFL);  // the second one ends the process
    ::raise(signal_number);
  }
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  for (std::string_view line : split(text, '\n')) {
    if (!line.empty()) out += prefix + std::string(line) + "\n";
  }
  return out;
}

void print_explanation(const PreparedUp& up, Streams& io) {
  size_t width = 0;
  for (const PreparedService& s : up.services)
    width = std::max(width, s.service->name.value.size());
  for (const PreparedService& s : up.services) {
    std::string image = s.build ? "build " + s.spec.image : "use " + s.spec.image;
    io.out << fmt::format("{:<{}}  {:<8}  {}; {} ({})\n", s.service->name.value, width,
                          container_action_name(s.decision.action), s.decision.reason, image,
                          s.image_origin);
  }
}

/// What failed, the probe or command and its answer, and the container's last log lines.
void print_failures(const UpOutcome& outcome, const RunContext& ctx, ContainerRuntime& runtime,
                    Streams& io) {
  std::vector<std::string> blocked;
  for (size_t t = 0; t < outcome.tasks.size(); ++t) {
    const UpTask& task = outcome.tasks[t];
    if (task.barrier) continue;
    if (outcome.states[t] == TaskState::kBlocked) {
      blocked.push_back(fmt::format("{} ({})", task.name, outcome.details[t]));
    }
    if (outcome.states[t] != TaskState::kFailed) continue;
    io.err << fmt::format("\nfailed: {}\n{}", task.name, indent(outcome.details[t], "  "));
    const Service* service = ctx.registry->find_service(task.name);
    auto logs = runtime.logs(container_name(*ctx.registry, *service), kLogLines);
    if (logs && !logs->empty()) {
      io.err << fmt::format("  last {} log lines of {}:\n{}", kLogLines,
                            container_name(*ctx.registry, *service), indent(*logs, "  | "));
    }
  }
  if (!blocked.empty()) io.err << fmt::format("\nblocked: {}\n", fmt::join(blocked, ", "));
}

}  // namespace

std::string up_summary(const UpOutcome& outcome, double seconds) {
  std::map<std::string, size_t> counts;
  size_t services = 0;
  for (size_t t = 0; t < outcome.tasks.size(); ++t) {
    if (outcome.tasks[t].barrier) continue;
    ++services;
    ++counts[task_state_name(outcome.states[t])];
  }
  std::vector<std::string> parts;
  for (const auto& [state, count] : counts) parts.push_back(fmt::format("{} {}", count, state));
  return fmt::format("{} services: {} in {:.1f}s", services, fmt::join(parts, ", "), seconds);
}

InterruptFlag::InterruptFlag() {
  interrupted = false;
  ::signal(SIGINT, on_interrupt);
  ::signal(SIGTERM, on_interrupt);
}

InterruptFlag::~InterruptFlag() {
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
}

const std::atomic<bool>& InterruptFlag::flag() const { return interrupted; }

int run_stack_up(const GlobalOptions& global, const StackUpRequest& request, Streams& io) {
  if (request.target.kubernetes()) return run_kube_stack_up(global, request, io);
  auto checked = load_valid_registry(global, io, {.local = request.local});
  if (!checked) return kExitFailure;
  auto lock = lock_stack(*checked, request.command, request.no_wait, io);
  if (!lock) return kExitFailure;
  const Registry& registry = checked->registry;
  auto selection = select_services(registry, request.services, request.profiles);
  if (!selection) {
    report_error(io, selection.error());
    return kExitUsage;
  }
  ServiceGraph graph(registry, selection->included);
  auto ctx = make_run_context(*checked, io);
  if (!ctx) return report_error(io, ctx.error());
  SystemProcessRunner processes;
  auto runtime = request.runtime.make(processes);
  if (!runtime) return report_error(io, runtime.error());
  auto up = prepare_up(*ctx, graph, **runtime, private_dir(*checked) / "cache", request.restart);
  if (!up) return report_error(io, up.error());
  if (request.explain) print_explanation(*up, io);

  SteadyClock clock;
  TimePoint begin = clock.now();
  std::vector<UpTask> tasks = up_tasks(registry, graph, *up);
  LinePrinter printer(io.out, io.smart_terminal && !request.json, terminal_width(stdout));
  UpProgress progress(printer, tasks, begin);
  JsonUpEvents events(io.out, tasks, begin);
  InterruptFlag interrupt;
  RuntimeProber prober(**runtime);
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  auto outcome = run_up(*ctx, *up, tasks, **runtime, prober, clock,
                        {.max_builds = request.max_builds ? request.max_builds : cores,
                         .observer = request.json ? static_cast<UpObserver*>(&events) : &progress,
                         .interrupted = &interrupt.flag()});
  printer.finish();
  if (!outcome) return report_error(io, outcome.error());
  double seconds =
      static_cast<double>(std::chrono::duration_cast<Millis>(clock.now() - begin).count()) / 1000;
  if (!request.json) io.out << up_summary(*outcome, seconds) << "\n";
  if (outcome->ok()) return kExitOk;
  print_failures(*outcome, *ctx, **runtime, io);
  return kExitFailure;
}

}  // namespace fusion
