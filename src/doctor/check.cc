#include "doctor/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace fusion {

const char* check_level_name(CheckLevel level) {
  switch (level) {
    case CheckLevel::kOk:
      return "ok";
    case CheckLevel::kWarn:
      return "warn";
    case CheckLevel::kFail:
      return "fail";
  }
  return "?";
}

CheckResult check_ok(std::string name, std::string message) {
  return {std::move(name), CheckLevel::kOk, std::move(message), {}};
}

CheckResult check_warn(std::string name, std::string message, std::string fix) {
  return {std::move(name), CheckLevel::kWarn, std::move(message), std::move(fix)};
}

CheckResult check_fail(std::string name, std::string message, std::string fix) {
  return {std::move(name), CheckLevel::kFail, std::move(message), std::move(fix)};
}

namespace {

std::string level_column(CheckLevel level, bool color) {
  std::string padded = fmt::format("{:<6}", check_level_name(level));
  if (!color) return padded;
  const char* code = level == CheckLevel::kOk ? "32" : level == CheckLevel::kWarn ? "33" : "31";
  return fmt::format("\x1b[{}m{}\x1b[0m{}", code, check_level_name(level),
                     padded.substr(std::string(check_level_name(level)).size()));
}

std::string render_one(const CheckResult& check, bool color) {
  std::string line = level_column(check.level, color) + check.message;
  if (check.fix.empty()) return line + "\n";
  if (check.fix.find('\n') == std::string::npos) return line + ": " + check.fix + "\n";
  line += ":\n";
  for (std::string_view fix_line : split(check.fix, '\n')) {
    line += fix_line.empty() ? "\n" : fmt::format("        {}\n", fix_line);
  }
  return line;
}

std::string plural(size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

}  // namespace

std::string render_checks(const std::vector<CheckResult>& checks, bool color) {
  std::string text;
  size_t counts[3] = {0, 0, 0};
  for (const CheckResult& check : checks) {
    text += render_one(check, color);
    ++counts[static_cast<int>(check.level)];
  }
  text += fmt::format("{}: {} ok, {}, {}\n", plural(checks.size(), "check"), counts[0],
                      plural(counts[1], "warning"), plural(counts[2], "failure"));
  return text;
}

nlohmann::json checks_to_json(const std::vector<CheckResult>& checks) {
  nlohmann::json list = nlohmann::json::array();
  for (const CheckResult& check : checks) {
    list.push_back({{"name", check.name},
                    {"level", check_level_name(check.level)},
                    {"message", check.message},
                    {"fix", check.fix}});
  }
  return list;
}

bool any_failed(const std::vector<CheckResult>& checks) {
  return std::any_of(checks.begin(), checks.end(),
                     [](const CheckResult& c) { return c.level == CheckLevel::kFail; });
}

}  // namespace fusion
