#include "workspace/git_cli.h"

#include <fmt/format.h>

#include <cstdlib>

#include "util/strings.h"

namespace fusion {

RepoState parse_status_v2(std::string_view text) {
  RepoState state;
  bool counted = false;
  for (std::string_view line : split(text, '\n')) {
    if (line.empty()) continue;
    if (line.starts_with("# branch.oid ")) {
      state.head = std::string(line.substr(13, 7));
    } else if (line.starts_with("# branch.head ")) {
      std::string_view head = line.substr(14);
      state.branch = head == "(detached)" ? "" : std::string(head);
    } else if (line.starts_with("# branch.upstream ")) {
      state.upstream = std::string(line.substr(18));
    } else if (line.starts_with("# branch.ab ")) {
      auto parts = split(line.substr(12), ' ');  // "+A -B"
      counted = true;
      if (parts.size() == 2 && parts[0].size() > 1 && parts[1].size() > 1) {
        state.ahead = std::atoi(std::string(parts[0].substr(1)).c_str());
        state.behind = std::atoi(std::string(parts[1].substr(1)).c_str());
      }
    } else if (!line.starts_with('#')) {
      ++state.dirty;
    }
  }
  state.upstream_gone = !state.upstream.empty() && !counted;
  return state;
}

ProcessResult GitCli::git(const std::filesystem::path& cwd, std::vector<std::string> args) {
  ProcessSpec spec;
  spec.argv = {"git"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = cwd;
  spec.timeout = timeout_;
  spec.env = {{"GIT_TERMINAL_PROMPT", "0"}, {"LC_ALL", "C"}};
  if (std::getenv("GIT_SSH_COMMAND") == nullptr)
    spec.env.emplace_back("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
  return runner_.run(spec);
}

/// git's own explanation: its `fatal:` (or `error:`) line and the details that follow it, on
/// one line; otherwise its last line.
std::string git_failure_reason(const ProcessResult& r) {
  std::vector<std::string_view> lines = split(r.err, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (!line.starts_with("fatal: ") && !line.starts_with("error: ")) continue;
    std::string reason(line.substr(line.find(' ') + 1));
    while (!reason.empty() && reason.back() == ':') reason.pop_back();
    for (size_t j = i + 1; j < lines.size(); ++j) {
      if (!lines[j].empty()) reason += ": " + std::string(lines[j]);
    }
    return reason;
  }
  return r.last_line();
}

Status GitCli::status_of(const ProcessResult& r, std::string_view what) {
  if (r.ok()) return ok_status();
  if (r.timed_out) return Error{fmt::format("{} timed out", what)};
  std::string why = git_failure_reason(r);
  return Error{fmt::format("{} failed: {}", what,
                           why.empty() ? "exit " + std::to_string(r.exit_code) : why)};
}

Status GitCli::clone(const std::string& url, const std::string& branch,
                     const std::filesystem::path& dest) {
  std::vector<std::string> args = {"clone", "--quiet", "--origin", "origin"};
  if (!branch.empty()) args.insert(args.end(), {"--branch", branch});
  args.insert(args.end(), {"--", url, dest.string()});
  return status_of(git({}, args), "clone");
}

Status GitCli::fetch(const std::filesystem::path& repo) {
  return status_of(git(repo, {"fetch", "--quiet", "--prune"}), "fetch");
}

Result<RepoState> GitCli::inspect(const std::filesystem::path& repo) {
  ProcessResult status =
      git(repo, {"status", "--porcelain=v2", "--branch", "--untracked-files=normal"});
  if (!status.ok()) return Error{status_of(status, "status").error()};
  RepoState state = parse_status_v2(status.out);
  ProcessResult log = git(repo, {"log", "-1", "--format=%h %s (%cr)"});
  if (log.ok() && !log.out.empty()) state.last_commit = log.out.substr(0, log.out.find('\n'));
  return state;
}

Status GitCli::fast_forward(const std::filesystem::path& repo) {
  return status_of(git(repo, {"merge", "--ff-only", "--quiet", "@{upstream}"}), "fast-forward");
}

}  // namespace fusion
