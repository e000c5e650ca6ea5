#pragma once
// `fusion down`: every container of the stack (found by its label, so services removed from
// fusion.yaml go too) stopped in reverse dependency order, dependents first, each level in
// parallel; then removed, with the stack's networks and, when asked, its volumes.

#include <functional>
#include <string>
#include <vector>

#include "registry/model.h"
#include "runtime/container_runtime.h"

namespace fusion {

struct DownReport {
  std::vector<std::string> containers, networks, volumes;  ///< removed
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

/// Stop levels for the containers' services: 0 stops first. A service no other running
/// service depends on is level 0; a container whose service the registry no longer has too.
std::vector<size_t> stop_levels(const Registry& registry, const std::vector<std::string>& services);

/// `progress` is told of each container as it is removed.
Result<DownReport> stack_down(const Registry& registry, ContainerRuntime& runtime,
                              bool remove_volumes,
                              const std::function<void(const std::string&)>& progress = {});

}  // namespace fusion
