#include "workspace/sync.h"

#include <fmt/format.h>

#include "util/parallel.h"

namespace fusion {

const char* sync_result_name(SyncResult r) {
  switch (r) {
    case SyncResult::kCloned:
      return "cloned";
    case SyncResult::kUpdated:
      return "updated";
    case SyncResult::kUpToDate:
      return "up to date";
    case SyncResult::kLeftAlone:
      return "left alone";
    case SyncResult::kFailed:
      return "failed";
  }
  return "failed";
}

namespace {

SyncOutcome left_alone(std::string message, std::string hint) {
  return {SyncResult::kLeftAlone, std::move(message), std::move(hint)};
}

std::string commits(int n) { return fmt::format("{} commit{}", n, n == 1 ? "" : "s"); }

}  // namespace

std::optional<SyncOutcome> keep_as_is(const RepoState& s, const std::string& expected_branch) {
  if (s.detached()) {
    return left_alone(
        fmt::format("detached HEAD at {}", s.head),
        fmt::format("git switch {}", expected_branch.empty() ? "<branch>" : expected_branch));
  }
  if (!expected_branch.empty() && s.branch != expected_branch) {
    return left_alone(
        fmt::format("on branch '{}', the registry says '{}'", s.branch, expected_branch),
        fmt::format("git switch {}", expected_branch));
  }
  if (s.upstream.empty()) {
    return left_alone(fmt::format("branch '{}' has no upstream", s.branch),
                      fmt::format("git branch --set-upstream-to origin/{}", s.branch));
  }
  if (s.upstream_gone) {
    return left_alone(fmt::format("upstream '{}' no longer exists", s.upstream),
                      "choose another branch, or push this one");
  }
  if (s.ahead > 0 && s.behind > 0) {
    return left_alone(
        fmt::format("diverged: {} local and {} upstream", commits(s.ahead), commits(s.behind)),
        "rebase or merge by hand");
  }
  if (s.behind > 0 && s.dirty > 0) {
    return left_alone(fmt::format("{} upstream, but {} local change{}", commits(s.behind), s.dirty,
                                  s.dirty == 1 ? "" : "s"),
                      "commit or stash them, then sync again");
  }
  if (s.behind > 0) return std::nullopt;
  std::string note;
  if (s.ahead > 0) note = fmt::format(", {} not pushed", commits(s.ahead));
  if (s.dirty > 0) note += fmt::format(", {} local change{}", s.dirty, s.dirty == 1 ? "" : "s");
  return SyncOutcome{SyncResult::kUpToDate, "up to date" + note, ""};
}

SyncOutcome sync_repo(Git& git, const RepoTarget& repo) {
  std::error_code ec;
  if (!std::filesystem::exists(repo.path, ec)) {
    Status cloned = git.clone(repo.url, repo.branch, repo.path);
    if (!cloned)
      return {SyncResult::kFailed, cloned.error(), "check the URL, the branch and your access"};
    return {SyncResult::kCloned,
            repo.branch.empty() ? "cloned" : fmt::format("cloned ({})", repo.branch), ""};
  }
  if (!std::filesystem::exists(repo.path / ".git", ec)) {
    return left_alone(fmt::format("{} exists and is not a git repository", repo.path.string()),
                      "move it away, then sync again");
  }
  if (Status fetched = git.fetch(repo.path); !fetched) {
    return {SyncResult::kFailed, fetched.error(), "check the remote and your access"};
  }
  auto state = git.inspect(repo.path);
  if (!state) return {SyncResult::kFailed, state.error(), ""};
  if (auto outcome = keep_as_is(*state, repo.branch)) return *outcome;
  if (Status ff = git.fast_forward(repo.path); !ff) return {SyncResult::kFailed, ff.error(), ""};
  return {SyncResult::kUpdated, fmt::format("fast-forwarded {}", commits(state->behind)), ""};
}

std::vector<SyncOutcome> sync_all(Git& git, const std::vector<RepoTarget>& repos, size_t jobs,
                                  SyncObserver& observer) {
  std::vector<SyncOutcome> outcomes(repos.size());
  parallel_for_each(repos.size(), jobs, [&](size_t i) {
    observer.started(repos[i]);
    outcomes[i] = sync_repo(git, repos[i]);
    observer.finished(repos[i], outcomes[i]);
  });
  return outcomes;
}

}  // namespace fusion
