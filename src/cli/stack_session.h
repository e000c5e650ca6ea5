#pragma once
// What the commands that run the stack (up, down, restart, status, logs) share: choosing the
// container engine and preparing what a container needs from outside the registry (secrets
// from .fusion/secrets.env, variables from the environment and .env).

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/session.h"
#include "runtime/container_runtime.h"
#include "runtime/container_spec.h"
#include "runtime/stack_lock.h"
#include "util/subprocess.h"

namespace fusion {

/// --runtime, then $FUSION_RUNTIME, then podman if it is on PATH, else docker.
struct RuntimeOption {
  std::string name;
  void add_to(CLI::App& app);
  Result<std::unique_ptr<ContainerRuntime>> make(ProcessRunner& runner) const;
};

/// The run context of a checked registry; creates secrets the stack lacks (and says so on err).
Result<RunContext> make_run_context(const CheckedRegistry& checked, Streams& io);

/// The stack's writer lock for `command` ("up", "down", "restart"); waits, saying who holds it,
/// unless `no_wait`. Nothing when it failed (reported on io.err).
std::unique_ptr<StackLock> lock_stack(const CheckedRegistry& checked, const std::string& command,
                                      bool no_wait, Streams& io);

/// Where fusion keeps its own state beside fusion.yaml (stat caches, secrets).
std::filesystem::path private_dir(const CheckedRegistry& checked);

/// What the commands that look at a running stack start from: the registry, the engine and the
/// stack's containers as the engine reports them.
struct RunningStack {
  CheckedRegistry checked;
  SystemProcessRunner processes;
  std::unique_ptr<ContainerRuntime> runtime;  ///< runs through `processes`
  std::vector<ContainerInfo> containers;
};

/// Nothing when something failed (already reported on io.err). `list_containers` false leaves
/// `containers` empty, for commands that list them themselves.
std::unique_ptr<RunningStack> open_running_stack(const GlobalOptions& global,
                                                 const RuntimeOption& runtime, Streams& io,
                                                 bool list_containers = true);
/// The same for a registry loaded already.
std::unique_ptr<RunningStack> open_running_stack(CheckedRegistry checked,
                                                 const RuntimeOption& runtime, Streams& io,
                                                 bool list_containers = true);

}  // namespace fusion
