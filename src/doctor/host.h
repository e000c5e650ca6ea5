#pragma once
// Reads this machine's HostFacts (doctor/engine.h): rlimits, capabilities, the cgroup layout and
// podman's containers.conf files. The only I/O of the engine checks besides running programs.

#include "doctor/engine.h"

namespace fusion {

HostFacts read_host_facts();

}  // namespace fusion
