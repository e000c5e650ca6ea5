#pragma once
// The git operations the workspace needs, behind a narrow interface: GitCli runs the user's own
// `git` (so credentials, SSH config and insteadOf rules apply); tests use a fake.

#include <filesystem>
#include <string>

#include "util/result.h"

namespace fusion {

/// What `git status --porcelain=v2 --branch` and `git log -1` say about a work tree.
struct RepoState {
  std::string branch;          ///< empty when detached
  std::string head;            ///< abbreviated commit id
  std::string upstream;        ///< "origin/main"; empty when none
  bool upstream_gone = false;  ///< configured, but the remote branch no longer exists
  int ahead = 0;
  int behind = 0;
  int dirty = 0;            ///< changed, staged, unmerged and untracked paths
  std::string last_commit;  ///< "abc1234 subject (2 days ago)"
  bool detached() const { return branch.empty(); }
};

/// Parses `git status --porcelain=v2 --branch` output (not the last commit).
RepoState parse_status_v2(std::string_view text);

struct ProcessResult;
/// Why a git command failed, on one line: its `fatal:` line with the details after it.
std::string git_failure_reason(const ProcessResult& result);

class Git {
 public:
  virtual ~Git() = default;
  /// Clones `url` into `dest` (which must not exist), checking out `branch` when not empty.
  virtual Status clone(const std::string& url, const std::string& branch,
                       const std::filesystem::path& dest) = 0;
  /// Fetches the current branch's remote (origin when it has none), pruning deleted branches.
  virtual Status fetch(const std::filesystem::path& repo) = 0;
  virtual Result<RepoState> inspect(const std::filesystem::path& repo) = 0;
  /// Fast-forwards the checked-out branch to its upstream; fails rather than merging.
  virtual Status fast_forward(const std::filesystem::path& repo) = 0;
};

}  // namespace fusion
