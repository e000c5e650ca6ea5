#pragma once
// Bringing (part of) the stack up and reporting how it went: shared by `up` and `restart`.

#include <string>
#include <vector>

#include "cli/kube_target.h"
#include "cli/stack_session.h"
#include "runtime/stack_up.h"

namespace fusion {

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
int run_stack_up(const GlobalOptions& global, const StackUpRequest& request, Streams& io);
/// The same on a Kubernetes cluster (kube_up_run.cc).
int run_kube_stack_up(const GlobalOptions& global, const StackUpRequest& request, Streams& io);

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
