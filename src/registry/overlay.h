#pragma once
// fusion.local.yaml: one developer's choices layered over fusion.yaml (git-ignored).
//
//   local: [core-api]          # these run from local source instead of their image
//   services:
//     core-api:
//       env: { LOG_LEVEL: debug }
//       ports: ["18080:8080"]
//
// Merge rules: a service named under `services` must exist in fusion.yaml. For each key the
// overlay sets, `env` and `labels` merge entry by entry (the overlay wins), `build.args` merges
// likewise with the other `build` fields replaced when given, and every other key replaces the
// base value whole (a list is not appended to). Positions of merged values point into the overlay.

#include <string>
#include <vector>

#include "registry/diagnostic.h"
#include "registry/model.h"

namespace fusion {

struct ServicePatch {
  Service fields;                 ///< only the keys in `keys` are meaningful
  std::vector<std::string> keys;  ///< the keys the overlay set
};

struct Overlay {
  std::vector<Text> local;
  RunTarget run_target;
  std::vector<ServicePatch> services;
};

Overlay load_overlay(const SourceSet& sources, uint32_t file, Diagnostics& diagnostics);

/// Merges `overlay` into `registry` and marks its `local` services.
void apply_overlay(const Overlay& overlay, Registry& registry, Diagnostics& diagnostics);

/// Marks the services named in `names` to run from local source; names with an unknown position
/// come from the command line. Services with a source and no image are always local.
void choose_local(const std::vector<Text>& names, Registry& registry, Diagnostics& diagnostics);

}  // namespace fusion
