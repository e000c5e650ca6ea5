#pragma once
// The programs fusion runs besides the engine: git (needed for the workspace) and the compose
// tools (optional: only to run the compose files `fusion generate` writes).

#include <string>
#include <string_view>
#include <vector>

#include "doctor/check.h"
#include "util/subprocess.h"

namespace fusion {

/// What running a program's version command said.
struct ToolVersion {
  std::string program{};   ///< as the user types it: "git", "docker compose"
  bool installed = false;  ///< it ran and exited 0
  std::string version{};   ///< "2.39.5"; empty when the output names none
  std::string error{};     ///< when it ran but failed: its last line
};

/// The first "N.N[.N…]" in `text` (after an optional "v"), without build suffixes: "1.29.2" of
/// "docker-compose version 1.29.2, build unknown".
std::string find_version(std::string_view text);

/// Runs `argv` (a version command) with a 10 s timeout. A program that cannot start is not
/// installed; one that exits non-zero is installed but broken (or, for `docker compose`, the
/// plugin is missing: callers decide).
ToolVersion probe_tool(ProcessRunner& runner, const std::vector<std::string>& argv);

/// Compares dotted versions numerically: "2.9" < "2.11".
bool version_at_least(std::string_view version, std::string_view minimum);

/// git: installed and at least 2.13 (`status --porcelain=v2 --branch`, which the workspace reads).
CheckResult check_git(const ToolVersion& git);

/// One line per compose tool, ok or warn (never fail): they are optional.
std::vector<CheckResult> check_compose_tools(const std::vector<ToolVersion>& tools);

/// The version commands of the compose tools check_compose_tools expects, in order.
std::vector<std::vector<std::string>> compose_tool_commands();

}  // namespace fusion
