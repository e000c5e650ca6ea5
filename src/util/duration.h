#pragma once
// Durations as written in fusion.yaml: a sequence of <integer><unit> with units h, m, s, ms
// ("90s", "1m30s", "250ms"), largest unit first, each unit at most once.

#include <chrono>
#include <string>
#include <string_view>

#include "util/result.h"

namespace fusion {

using Duration = std::chrono::milliseconds;

Result<Duration> parse_duration(std::string_view text);

/// The shortest canonical spelling: "1m30s", "250ms", "0s".
std::string format_duration(Duration d);

}  // namespace fusion
