#pragma once
// What every check of `fusion doctor` reports: one line a person reads (level, message, and how
// to fix it) and one JSON object a tool reads. The checks themselves are pure functions of facts
// gathered elsewhere, so each level of each check is tested on facts written by hand.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace fusion {

enum class CheckLevel { kOk, kWarn, kFail };
const char* check_level_name(CheckLevel level);

struct CheckResult {
  std::string name;  ///< stable id for tools: "engine", "port.5432", "repo.core-api"
  CheckLevel level = CheckLevel::kOk;
  std::string message;  ///< one line: what was found
  std::string fix;      ///< what to do about it; empty for ok. May hold several lines.
};

CheckResult check_ok(std::string name, std::string message);
CheckResult check_warn(std::string name, std::string message, std::string fix = {});
CheckResult check_fail(std::string name, std::string message, std::string fix = {});

/// `ok    message`, `warn  message: fix` (a fix of several lines goes below, indented), one
/// check a line, then "N checks: a ok, b warnings, c failures". With `color` the level is
/// green, yellow or red.
std::string render_checks(const std::vector<CheckResult>& checks, bool color = false);

/// An array of {name, level, message, fix}.
nlohmann::json checks_to_json(const std::vector<CheckResult>& checks);

bool any_failed(const std::vector<CheckResult>& checks);

}  // namespace fusion
