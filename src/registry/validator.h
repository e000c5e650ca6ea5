#pragma once
// Semantic checks across a loaded Registry: names, references, sources, health checks, ports,
// profiles, interpolation. Appends every problem to `diagnostics`; never stops at the first.
// Dependency cycles need the graph and are checked in graph/cycle_check.h.

#include "registry/diagnostic.h"
#include "registry/model.h"

namespace fusion {

inline constexpr int64_t kRegistryVersion = 1;

void validate(const Registry& registry, Diagnostics& diagnostics);

/// A service's dependency would be left out when only the service's profiles are active:
/// the dependency has profiles and they do not include every profile of the service (a service
/// without profiles is always active).
bool excluded_by_profiles(const Service& service, const Service& dependency);

}  // namespace fusion
