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

std::atomic<bool> interrupted{false};

void on_interrupt(int signal_number) {
  if (interrupted.exchange(true)) {
    ::signal(signal_number, SIG_DFL);  // the second one ends the process
    ::raise(signal_number);
  }
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

/// The container's last log lines, for the failure report.
std::string last_logs(const RunContext& ctx, ContainerRuntime& runtime, const std::string& name) {
  const Service* service = ctx.registry->find_service(name);
  auto logs = runtime.logs(container_name(*ctx.registry, *service), kLogLines);
  if (!logs || logs->empty()) return "";
  return fmt::format("  last {} log lines of {}:\n{}", kLogLines,
                     container_name(*ctx.registry, *service), indent(*logs, "  | "));
}

}  // namespace

void print_up_failures(const UpOutcome& outcome, Streams& io,
                       const std::function<std::string(const std::string&)>& more) {
  std::vector<std::string> blocked;
  for (size_t t = 0; t < outcome.tasks.size(); ++t) {
    const UpTask& task = outcome.tasks[t];
    if (task.barrier) continue;
    if (outcome.states[t] == TaskState::kBlocked) {
      blocked.push_back(fmt::format("{} ({})", task.name, outcome.details[t]));
    }
    if (outcome.states[t] != TaskState::kFailed) continue;
    io.err << fmt::format("\nfailed: {}\n{}", task.name, indent(outcome.details[t], "  "));
    if (more) io.err << more(task.name);
  }
  if (!blocked.empty()) io.err << fmt::format("\nblocked: {}\n", fmt::join(blocked, ", "));
}

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

std::unique_ptr<UpStart> start_up(const GlobalOptions& global, const StackUpRequest& request,
                                  Streams& io, int& exit_code) {
  exit_code = kExitFailure;
  auto checked = load_valid_registry(global, io, {.local = request.local});
  if (!checked) return nullptr;
  auto start = std::make_unique<UpStart>();
  start->checked = std::move(*checked);
  start->lock = lock_stack(start->checked, request.command, request.no_wait, io);
  if (!start->lock) return nullptr;
  const Registry& registry = start->checked.registry;
  auto selection = select_services(registry, request.services, request.profiles);
  if (!selection) {
    report_error(io, selection.error());
    exit_code = kExitUsage;
    return nullptr;
  }
  start->graph = std::make_unique<ServiceGraph>(registry, selection->included);
  auto ctx = make_run_context(start->checked, io);
  if (!ctx) {
    report_error(io, ctx.error());
    return nullptr;
  }
  start->ctx = std::move(ctx).value();
  auto engine = request.runtime.make(start->processes);
  if (!engine) {
    report_error(io, engine.error());
    return nullptr;
  }
  start->engine = std::move(engine).value();
  return start;
}

std::optional<UpOutcome> run_with_progress(
    const StackUpRequest& request, const std::vector<UpTask>& tasks, Streams& io,
    const std::function<Result<UpOutcome>(const Clock&, const UpOptions&)>& run) {
  SteadyClock clock;
  TimePoint begin = clock.now();
  LinePrinter printer(io.out, io.smart_terminal && !request.json, terminal_width(stdout));
  UpProgress progress(printer, tasks, begin);
  JsonUpEvents events(io.out, tasks, begin);
  InterruptFlag interrupt;
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  auto outcome =
      run(clock, {.max_builds = request.max_builds ? request.max_builds : cores,
                  .observer = request.json ? static_cast<UpObserver*>(&events) : &progress,
                  .interrupted = &interrupt.flag()});
  printer.finish();
  if (!outcome) {
    report_error(io, outcome.error());
    return std::nullopt;
  }
  double seconds =
      static_cast<double>(std::chrono::duration_cast<Millis>(clock.now() - begin).count()) / 1000;
  if (!request.json) io.out << up_summary(*outcome, seconds) << "\n";
  return std::move(outcome).value();
}

int run_stack_up(const GlobalOptions& global, const StackUpRequest& request, Streams& io) {
  int exit_code = kExitOk;
  auto start = start_up(global, request, io, exit_code);
  if (!start) return exit_code;
  TargetOption target = request.target.resolved(start->checked);
  if (target.kubernetes()) return run_kube_stack_up(*start, request, target, io);
  ContainerRuntime& runtime = *start->engine;
  auto up = prepare_up(start->ctx, *start->graph, runtime, private_dir(start->checked) / "cache",
                       request.restart);
  if (!up) return report_error(io, up.error());
  if (request.explain) print_explanation(*up, io);
  std::vector<UpTask> tasks = up_tasks(start->checked.registry, *start->graph, *up);
  RuntimeProber prober(runtime);
  auto outcome = run_with_progress(request, tasks, io, [&](const Clock& clock, const UpOptions& o) {
    return run_up(start->ctx, *up, tasks, runtime, prober, clock, o);
  });
  if (!outcome) return kExitFailure;
  if (outcome->ok()) return kExitOk;
  print_up_failures(*outcome, io, [&](const std::string& service) {
    return last_logs(start->ctx, runtime, service);
  });
  return kExitFailure;
}

}  // namespace fusion
