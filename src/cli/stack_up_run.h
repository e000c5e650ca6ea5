#pragma once
// Bringing (part of) the stack up and reporting how it went: shared by `up` and `restart`.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/kube_target.h"
#include "cli/stack_session.h"
#include "graph/service_graph.h"
#include "runtime/stack_up.h"

namespace fusion {

/// Lines of a failed service's log in up's failure report.
inline constexpr size_t kLogLines = 20;

struct StackUpRequest {
  std::vector<std::string> services;  ///< empty: the whole stack (with `profiles`)
  std::vector<std::string> profiles;
  std::vector<std::string> local;
  std::vector<std::string> restart;  ///< restarted even when unchanged
  RuntimeOption runtime;
  TargetOption target;    ///< --target kubernetes and its cluster options
  size_t max_builds = 0;  ///< 0: the number of cores
  bool explain = false;
  bool json = false;
  bool no_wait = false;        ///< refuse, rather than wait, when another run holds the stack
  std::string command = "up";  ///< for the lock's holder text
};

/// Loads the registry, prepares, runs, and prints progress and the summary; the exit code.
/// On the target the request or fusion.local.yaml names.
int run_stack_up(const GlobalOptions& global, const StackUpRequest& request, Streams& io);

/// What `up` on either target starts from: the checked registry, the stack's lock, the graph
/// of the selected services, the run context and the engine (which builds images for both).
struct UpStart {
  CheckedRegistry checked;
  std::unique_ptr<StackLock> lock;
  std::unique_ptr<ServiceGraph> graph;  ///< of checked.registry
  RunContext ctx;
  SystemProcessRunner processes;
  std::unique_ptr<ContainerRuntime> engine;  ///< runs through `processes`
};
/// Nothing when something failed (reported on io.err); `exit_code` says how.
std::unique_ptr<UpStart> start_up(const GlobalOptions& global, const StackUpRequest& request,
                                  Streams& io, int& exit_code);

/// The rest of run_stack_up on a Kubernetes cluster (kube_up_run.cc).
int run_kube_stack_up(UpStart& start, const StackUpRequest& request, const TargetOption& target,
                      Streams& io);

/// Runs `run` (a target's run_up) with the progress display or the JSON events, then prints the
/// summary. Nothing when it failed (reported on io.err).
std::optional<UpOutcome> run_with_progress(
    const StackUpRequest& request, const std::vector<UpTask>& tasks, Streams& io,
    const std::function<Result<UpOutcome>(const Clock&, const UpOptions&)>& run);

/// Each failed service with what went wrong (and `more` of it, e.g. its last log lines), then
/// the blocked ones with what they waited for, on io.err.
void print_up_failures(const UpOutcome& outcome, Streams& io,
                       const std::function<std::string(const std::string&)>& more = {});

/// "5 services: 1 completed, 4 healthy in 3.2s"
std::string up_summary(const UpOutcome& outcome, double seconds);

/// Ctrl-C handling for the length of a command: the first SIGINT or SIGTERM sets the flag
/// (the command finishes what is in flight and stops); a second one ends the process.
class InterruptFlag {
 public:
  InterruptFlag();
  ~InterruptFlag();
  const std::atomic<bool>& flag() const;
};

}  // namespace fusion
