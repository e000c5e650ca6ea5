#pragma once
// Git through the `git` program. Every command runs with GIT_TERMINAL_PROMPT=0 (and SSH in batch
// mode unless the user set GIT_SSH_COMMAND), so a repository that needs a password fails with a
// message instead of hanging a parallel sync.

#include "util/subprocess.h"
#include "workspace/git.h"

namespace fusion {

class GitCli : public Git {
 public:
  explicit GitCli(ProcessRunner& runner,
                  std::chrono::milliseconds timeout = std::chrono::minutes(5))
      : runner_(runner), timeout_(timeout) {}

  Status clone(const std::string& url, const std::string& branch,
               const std::filesystem::path& dest) override;
  Status fetch(const std::filesystem::path& repo) override;
  Result<RepoState> inspect(const std::filesystem::path& repo) override;
  Status fast_forward(const std::filesystem::path& repo) override;

 private:
  ProcessResult git(const std::filesystem::path& cwd, std::vector<std::string> args);
  Status status_of(const ProcessResult& r, std::string_view what);

  ProcessRunner& runner_;
  std::chrono::milliseconds timeout_;
};

}  // namespace fusion
