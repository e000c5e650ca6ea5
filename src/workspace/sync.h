#pragma once
// `fusion workspace sync`: clone what is missing, fetch the rest, and fast-forward a branch only
// when that cannot lose anything: the work tree is clean, on the expected branch, and strictly
// behind its upstream. fusion never rebases, resets, stashes or checks out; anything else is
// reported with what the user can do.

#include <string>
#include <vector>

#include "workspace/git.h"
#include "workspace/workspace.h"

namespace fusion {

enum class SyncResult { kCloned, kUpdated, kUpToDate, kLeftAlone, kFailed };
const char* sync_result_name(SyncResult r);

struct SyncOutcome {
  SyncResult result = SyncResult::kUpToDate;
  std::string message;  ///< what happened
  std::string hint;     ///< what the user can do; empty when nothing is needed
};

/// After a fetch: nullopt when the branch should be fast-forwarded, otherwise the outcome that
/// says why it is left as it is (which may be "up to date").
std::optional<SyncOutcome> keep_as_is(const RepoState& state, const std::string& expected_branch);

SyncOutcome sync_repo(Git& git, const RepoTarget& repo);

/// Progress of a parallel sync; called from worker threads, one call at a time per repo.
class SyncObserver {
 public:
  virtual ~SyncObserver() = default;
  virtual void started(const RepoTarget& repo) = 0;
  virtual void finished(const RepoTarget& repo, const SyncOutcome& outcome) = 0;
};

/// Syncs every repo on at most `jobs` threads; a failing repo does not stop the others.
/// Outcomes are in the order of `repos`.
std::vector<SyncOutcome> sync_all(Git& git, const std::vector<RepoTarget>& repos, size_t jobs,
                                  SyncObserver& observer);

}  // namespace fusion
