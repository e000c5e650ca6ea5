#include "workspace/sync.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include "util/subprocess.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

TEST(ParseStatusV2, BranchUpstreamCountsAndChanges) {
  RepoState s = parse_status_v2(
      "# branch.oid 0123456789abcdef\n# branch.head main\n# branch.upstream origin/main\n"
      "# branch.ab +2 -3\n1 .M N... 100644 100644 100644 a b README\n? new.txt\n");
  EXPECT_EQ(s.head, "0123456");
  EXPECT_EQ(s.branch, "main");
  EXPECT_EQ(s.upstream, "origin/main");
  EXPECT_EQ(s.ahead, 2);
  EXPECT_EQ(s.behind, 3);
  EXPECT_EQ(s.dirty, 2);
  EXPECT_FALSE(s.upstream_gone);
  RepoState detached = parse_status_v2("# branch.oid abcdef0123\n# branch.head (detached)\n");
  EXPECT_TRUE(detached.detached());
  RepoState gone = parse_status_v2("# branch.oid a\n# branch.head x\n# branch.upstream origin/x\n");
  EXPECT_TRUE(gone.upstream_gone);
}

TEST(GitFailureReason, HeadlineWithDetails) {
  ProcessResult r;
  r.exit_code = 128;
  r.err =
      "Cloning into 'x'...\nfatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: "
      "errno=Connection refused\n\n";
  EXPECT_EQ(git_failure_reason(r),
            "unable to connect to 127.0.0.1: 127.0.0.1[0: 127.0.0.1]: errno=Connection refused");
  r.err = "warning: x\nsomething odd\n";
  EXPECT_EQ(git_failure_reason(r), "something odd");
}

RepoState tracking(int ahead, int behind, int dirty, std::string branch = "main") {
  RepoState s;
  s.branch = std::move(branch);
  s.head = "abc1234";
  s.upstream = "origin/" + s.branch;
  s.ahead = ahead;
  s.behind = behind;
  s.dirty = dirty;
  return s;
}

std::string decision(const RepoState& s, const std::string& expected = "main") {
  auto outcome = keep_as_is(s, expected);
  if (!outcome) return "fast-forward";
  return std::string(sync_result_name(outcome->result)) + ": " + outcome->message +
         (outcome->hint.empty() ? "" : " / " + outcome->hint);
}

TEST(KeepAsIs, FastForwardsOnlyACleanBranchStrictlyBehind) {
  EXPECT_EQ(decision(tracking(0, 3, 0)), "fast-forward");
  EXPECT_EQ(decision(tracking(0, 0, 0)), "up to date: up to date");
  EXPECT_EQ(decision(tracking(2, 0, 1)),
            "up to date: up to date, 2 commits not pushed, 1 local change");
  EXPECT_EQ(decision(tracking(0, 3, 2)),
            "left alone: 3 commits upstream, but 2 local changes / commit or stash them, then sync "
            "again");
  EXPECT_EQ(decision(tracking(1, 1, 0)),
            "left alone: diverged: 1 commit local and 1 commit upstream / rebase or merge by hand");
  EXPECT_EQ(decision(tracking(0, 3, 0, "feature")),
            "left alone: on branch 'feature', the registry says 'main' / git switch main");
  EXPECT_EQ(decision(tracking(0, 3, 0, "feature"), ""),
            "fast-forward");  // no branch in the registry
  RepoState detached = tracking(0, 0, 0, "");
  EXPECT_EQ(decision(detached), "left alone: detached HEAD at abc1234 / git switch main");
  RepoState no_upstream = tracking(0, 0, 0);
  no_upstream.upstream.clear();
  EXPECT_EQ(decision(no_upstream),
            "left alone: branch 'main' has no upstream / git branch --set-upstream-to origin/main");
}

/// Records what it was asked to do; states and failures are set per path.
class FakeGit : public Git {
 public:
  Status clone(const std::string& url, const std::string&, const fs::path& dest) override {
    record("clone " + url);
    if (fail_clone) return Error{"clone failed: repository not found"};
    fs::create_directories(dest / ".git");
    return ok_status();
  }
  Status fetch(const fs::path& repo) override {
    record("fetch " + repo.filename().string());
    if (fail_fetch.count(repo.filename())) return Error{"fetch failed: could not read from remote"};
    return ok_status();
  }
  Result<RepoState> inspect(const fs::path& repo) override { return states.at(repo.filename()); }
  Status fast_forward(const fs::path& repo) override {
    record("ff " + repo.filename().string());
    return ok_status();
  }
  void record(std::string what) {
    std::lock_guard lock(mutex);
    calls.push_back(std::move(what));
  }
  std::mutex mutex;
  std::vector<std::string> calls;
  std::map<fs::path, RepoState> states;
  std::set<fs::path> fail_fetch;
  bool fail_clone = false;
};

class NullObserver : public SyncObserver {
 public:
  void started(const RepoTarget&) override { ++started_count; }
  void finished(const RepoTarget&, const SyncOutcome&) override { ++finished_count; }
  std::atomic<int> started_count{0}, finished_count{0};
};

class SyncRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("fusion-sync-" + std::to_string(::getpid()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  RepoTarget repo(const std::string& name, bool cloned) {
    if (cloned) fs::create_directories(root_ / name / ".git");
    return {name, "https://example.invalid/" + name + ".git", "main", root_ / name, {}};
  }
  fs::path root_;
  FakeGit git_;
};

TEST_F(SyncRepoTest, ClonesWhatIsMissingAndFastForwardsWhatIsBehind) {
  std::vector<RepoTarget> repos = {repo("new", false), repo("behind", true), repo("dirty", true)};
  git_.states["behind"] = tracking(0, 2, 0);
  git_.states["dirty"] = tracking(0, 2, 1);
  NullObserver observer;
  auto outcomes = sync_all(git_, repos, 1, observer);
  EXPECT_EQ(outcomes[0].result, SyncResult::kCloned);
  EXPECT_EQ(outcomes[1].message, "fast-forwarded 2 commits");
  EXPECT_EQ(outcomes[2].result, SyncResult::kLeftAlone);
  EXPECT_EQ(git_.calls, (std::vector<std::string>{"clone https://example.invalid/new.git",
                                                  "fetch behind", "ff behind", "fetch dirty"}));
  EXPECT_EQ(observer.finished_count, 3);
}

TEST_F(SyncRepoTest, AFailureDoesNotStopTheOthers) {
  std::vector<RepoTarget> repos = {repo("a", true), repo("b", true), repo("c", true)};
  git_.fail_fetch = {"b"};
  git_.states["a"] = git_.states["c"] = tracking(0, 0, 0);
  NullObserver observer;
  auto outcomes = sync_all(git_, repos, 3, observer);
  EXPECT_EQ(outcomes[0].result, SyncResult::kUpToDate);
  EXPECT_EQ(outcomes[1].result, SyncResult::kFailed);
  EXPECT_EQ(outcomes[1].message, "fetch failed: could not read from remote");
  EXPECT_EQ(outcomes[2].result, SyncResult::kUpToDate);
}

TEST_F(SyncRepoTest, AFolderThatIsNotARepoIsLeftAlone) {
  fs::create_directories(root_ / "plain");
  std::ofstream(root_ / "plain" / "precious.txt") << "mine";
  SyncOutcome o = sync_repo(git_, {"plain", "u", "", root_ / "plain", {}});
  EXPECT_EQ(o.result, SyncResult::kLeftAlone);
  EXPECT_TRUE(git_.calls.empty());
  EXPECT_TRUE(fs::exists(root_ / "plain" / "precious.txt"));
}

}  // namespace
}  // namespace fusion
