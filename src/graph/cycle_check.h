#pragma once
// Dependency cycles, through depends_on and through phase order, as diagnostics:
//   fusion.yaml:30:7: error: dependency cycle: api -> worker -> api

#include "registry/diagnostic.h"
#include "registry/model.h"

namespace fusion {

void check_cycles(const Registry& registry, Diagnostics& diagnostics);

}  // namespace fusion
