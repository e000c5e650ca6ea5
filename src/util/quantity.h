#pragma once
// Resource quantities as Kubernetes writes them, parsed strictly.

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace fusion {

/// Memory: a whole number with an optional suffix: binary Ki Mi Gi Ti, decimal k M G T
/// ("512Mi", "1G", "1048576"). Returns bytes.
Result<uint64_t> parse_memory(std::string_view text);

/// Docker's sizes (`--memory`, `--shm-size`, tmpfs `size=`, compose's `mem_limit`): a whole
/// number with an optional binary unit k m g t, an optional "i" and "b", any case ("512m",
/// "1GB", "64Mi", "268435456"). Returns bytes.
Result<uint64_t> parse_docker_memory(std::string_view text);

/// CPUs: a decimal number of cores ("0.5", "2") with at most 3 decimals, or millicores ("500m").
/// Returns millicores; zero is rejected.
Result<uint32_t> parse_cpus(std::string_view text);

/// "512Mi", "1Gi", "1500000": the exact Kubernetes spelling of a byte count.
std::string format_memory(uint64_t bytes);
/// "500m" or "2": the Kubernetes spelling of millicores.
std::string format_cpus(uint32_t millicores);

}  // namespace fusion
