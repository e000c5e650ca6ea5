#pragma once
// Dependency cycles, through depends_on and through phase order, as diagnostics:
//   fusion.yaml:30:7: error: dependency cycle: api -> worker -> api

#include <optional>

#include "registry/diagnostic.h"
#include "registry/model.h"
#include "registry/source.h"

namespace fusion {

void check_cycles(const Registry& registry, Diagnostics& diagnostics);

/// `file` of `sources` loaded and checked as `fusion validate` checks it without an overlay:
/// load, the services that must run from source, validation, cycles; diagnostics sorted.
/// Nothing when it could not be loaded at all.
std::optional<Registry> load_checked(const SourceSet& sources, uint32_t file,
                                     Diagnostics& diagnostics);

}  // namespace fusion
