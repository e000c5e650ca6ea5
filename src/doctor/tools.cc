#include "doctor/tools.h"

#include <fmt/format.h>

#include <cctype>

#include "util/strings.h"

namespace fusion {

std::string find_version(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) && text[i - 1] != 'v'))
      continue;
    size_t end = i;
    int dots = 0;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                                 (text[end] == '.' && end + 1 < text.size() &&
                                  std::isdigit(static_cast<unsigned char>(text[end + 1]))))) {
      dots += text[end] == '.';
      ++end;
    }
    if (dots > 0) return std::string(text.substr(i, end - i));
    i = end;
  }
  return "";
}

ToolVersion probe_tool(ProcessRunner& runner, const std::vector<std::string>& argv) {
  ToolVersion tool;
  tool.program = argv.size() > 2 ? argv[0] + " " + argv[1] : argv.front();
  ProcessResult result = runner.run({.argv = argv,
                                     .env = {{"LC_ALL", "C"}},
                                     .timeout = std::chrono::seconds(10),
                                     .merge_stderr = true});
  if (result.exit_code == -1) return tool;  // could not start: not on PATH
  if (!result.ok()) {
    tool.error = result.timed_out ? "timed out after 10 s" : result.last_line();
    return tool;
  }
  tool.installed = true;
  // podman-compose prints podman's version before its own: prefer the line naming the tool.
  std::string key = to_lower(argv.size() > 2 ? argv[1] : argv[0]);
  for (std::string_view line : split(result.out, '\n')) {
    if (to_lower(line).find(key) == std::string::npos) continue;
    tool.version = find_version(line);
    if (!tool.version.empty()) break;
  }
  if (tool.version.empty()) tool.version = find_version(result.out);
  return tool;
}

bool version_at_least(std::string_view version, std::string_view minimum) {
  std::vector<std::string_view> have = split(version, '.'), want = split(minimum, '.');
  for (size_t i = 0; i < want.size(); ++i) {
    int h = i < have.size() ? std::atoi(std::string(have[i]).c_str()) : 0;
    int w = std::atoi(std::string(want[i]).c_str());
    if (h != w) return h > w;
  }
  return true;
}

CheckResult check_git(const ToolVersion& git) {
  constexpr const char* kMinimum = "2.13";
  if (!git.installed && git.error.empty()) {
    return check_fail("git", "git is not installed (the workspace commands need it)",
                      "apt-get install git");
  }
  if (!git.installed) return check_fail("git", "git --version failed: " + git.error);
  if (!git.version.empty() && !version_at_least(git.version, kMinimum)) {
    return check_fail(
        "git", fmt::format("git {} is too old: fusion needs {} or newer", git.version, kMinimum),
        "install a newer git");
  }
  return check_ok("git", "git " + (git.version.empty() ? "(version unknown)" : git.version));
}

std::vector<std::vector<std::string>> compose_tool_commands() {
  return {{"docker-compose", "--version"},
          {"podman-compose", "--version"},
          {"docker", "compose", "version"}};
}

namespace {

std::string install_hint(const std::string& program) {
  if (program == "docker compose") return "install Docker's compose plugin (docker-compose-plugin)";
  return "apt-get install " + program;
}

}  // namespace

std::vector<CheckResult> check_compose_tools(const std::vector<ToolVersion>& tools) {
  std::vector<CheckResult> checks;
  for (const ToolVersion& tool : tools) {
    // "docker compose" and "docker-compose" are different tools: the plugin gets its own name.
    std::string name =
        "compose." +
        (tool.program == "docker compose" ? std::string("docker-compose-plugin") : tool.program);
    if (tool.installed) {
      checks.push_back(check_ok(name, fmt::format("{} {} (optional)", tool.program, tool.version)));
    } else {
      checks.push_back(
          check_warn(name, tool.program + " not installed (optional)", install_hint(tool.program)));
    }
  }
  return checks;
}

}  // namespace fusion
