// Workspace sync against real git: bare repositories made by the test, served from file paths
// and from a `git daemon` on 127.0.0.1. CTest label: integration.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "util/file.h"
#include "util/subprocess.h"
#include "workspace/git_cli.h"
#include "workspace/git_daemon_test_support.h"
#include "workspace/status.h"
#include "workspace/sync.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

class GitWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("fusion-git-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "remotes");
    std::ofstream(root_ / "gitconfig")
        << "[user]\n\tname = Test\n\temail = t@example.invalid\n"
           "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n";
    setenv("GIT_CONFIG_GLOBAL", (root_ / "gitconfig").c_str(), 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  }
  void TearDown() override {
    daemon_.stop();
    fs::remove_all(root_);
  }

  std::string git(const fs::path& dir, std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    ProcessResult r = runner_.run({.argv = args, .cwd = dir});
    EXPECT_TRUE(r.ok()) << fmt::format("{}: {}", fmt::join(args, " "), r.err);
    return r.out.substr(0, r.out.find_last_not_of('\n') + 1);
  }

  /// A bare repo `name` with one commit on main, and a seed clone to push more from.
  fs::path make_remote(const std::string& name) {
    fs::path bare = root_ / "remotes" / (name + ".git");
    git(root_, {"init", "-q", "--bare", bare.string()});
    fs::path seed = root_ / ("seed-" + name);
    git(root_, {"clone", "-q", bare.string(), seed.string()});
    commit(seed, "README", "first\n");
    git(seed, {"push", "-q", "origin", "main"});
    return bare;
  }
  void commit(const fs::path& repo, const std::string& file, const std::string& text) {
    std::ofstream(repo / file, std::ios::app) << text;
    git(repo, {"add", file});
    git(repo, {"commit", "-qm", "change " + file});
  }
  void push_new_commit(const std::string& name) {
    commit(root_ / ("seed-" + name), "README", "more\n");
    git(root_ / ("seed-" + name), {"push", "-q", "origin", "main"});
  }
  RepoTarget target(const std::string& name, const std::string& url,
                    const std::string& branch = "main") {
    return {name, url, branch, root_ / "ws" / name, {}};
  }

  void start_daemon() { ASSERT_NO_FATAL_FAILURE(daemon_.start(root_ / "remotes", "api")); }
  std::string daemon_url(const std::string& name) { return daemon_.url(name); }

  struct Observer : SyncObserver {
    void started(const RepoTarget&) override {}
    void finished(const RepoTarget&, const SyncOutcome&) override {}
  } observer_;
  SystemProcessRunner runner_;
  GitCli git_cli_{runner_, std::chrono::seconds(30)};
  fs::path root_;
  testing::TestGitDaemon daemon_;
};

TEST_F(GitWorkspaceTest, ClonesOverTheDaemonAndFromPathsThenFastForwards) {
  make_remote("api");
  fs::path web = make_remote("web");
  start_daemon();
  std::vector<RepoTarget> repos = {target("api", daemon_url("api")),
                                   target("web", web.string(), "")};
  auto first = sync_all(git_cli_, repos, 4, observer_);
  EXPECT_EQ(first[0].message, "cloned (main)");
  EXPECT_EQ(first[1].message, "cloned");
  EXPECT_EQ(read_file(root_ / "ws" / "api" / "README").value(), "first\n");

  push_new_commit("api");
  push_new_commit("api");
  auto second = sync_all(git_cli_, repos, 4, observer_);
  EXPECT_EQ(second[0].result, SyncResult::kUpdated);
  EXPECT_EQ(second[0].message, "fast-forwarded 2 commits");
  EXPECT_EQ(second[1].message, "up to date");
  EXPECT_EQ(git(root_ / "ws" / "api", {"rev-parse", "HEAD"}),
            git(root_ / "seed-api", {"rev-parse", "HEAD"}));
}

TEST_F(GitWorkspaceTest, DirtyDivergedDetachedAndWrongBranchTreesAreLeftUntouched) {
  std::vector<RepoTarget> repos;
  for (const char* name : {"dirty", "diverged", "detached", "elsewhere"}) {
    repos.push_back(target(name, make_remote(name).string()));
  }
  sync_all(git_cli_, repos, 4, observer_);
  fs::path ws = root_ / "ws";
  std::ofstream(ws / "dirty" / "README", std::ios::app) << "my edit\n";
  commit(ws / "diverged", "LOCAL", "mine\n");
  git(ws / "detached", {"checkout", "-q", "--detach"});
  git(ws / "elsewhere", {"checkout", "-q", "-b", "feature"});
  std::map<std::string, std::string> heads;
  for (const RepoTarget& r : repos) {
    push_new_commit(r.name);
    heads[r.name] = git(r.path, {"rev-parse", "HEAD"});
  }

  auto outcomes = sync_all(git_cli_, repos, 4, observer_);
  EXPECT_EQ(outcomes[0].message, "1 commit upstream, but 1 local change");
  EXPECT_EQ(outcomes[1].message, "diverged: 1 commit local and 1 commit upstream");
  EXPECT_EQ(outcomes[2].message.rfind("detached HEAD at ", 0), 0u);
  EXPECT_EQ(outcomes[3].message, "on branch 'feature', the registry says 'main'");
  for (size_t i = 0; i < repos.size(); ++i) {
    EXPECT_EQ(outcomes[i].result, SyncResult::kLeftAlone) << repos[i].name;
    EXPECT_EQ(git(repos[i].path, {"rev-parse", "HEAD"}), heads[repos[i].name]) << repos[i].name;
  }
  EXPECT_EQ(read_file(ws / "dirty" / "README").value(), "first\nmy edit\n");
  EXPECT_EQ(git(ws / "diverged", {"log", "-1", "--format=%s"}), "change LOCAL");

  auto statuses = collect_status(git_cli_, repos, 4);  // the fetch made the counts current
  EXPECT_EQ(statuses[0].state.dirty, 1);
  EXPECT_EQ(statuses[0].state.behind, 1);
  EXPECT_EQ(statuses[1].state.ahead, 1);
  EXPECT_EQ(statuses[1].state.behind, 1);
  EXPECT_TRUE(statuses[2].state.detached());
}

TEST_F(GitWorkspaceTest, MissingBranchAndUnreachableRemoteFailAloneOthersSync) {
  fs::path good = make_remote("good");
  std::vector<RepoTarget> repos = {target("nobranch", good.string(), "release"),
                                   target("unreachable", "git://127.0.0.1:1/nothing.git"),
                                   target("good", good.string())};
  auto outcomes = sync_all(git_cli_, repos, 4, observer_);
  EXPECT_EQ(outcomes[0].result, SyncResult::kFailed);
  EXPECT_EQ(outcomes[0].message,
            "clone failed: Remote branch release not found in upstream origin");
  EXPECT_EQ(outcomes[1].result, SyncResult::kFailed);
  EXPECT_NE(outcomes[1].message.find("clone failed: unable to connect to 127.0.0.1"),
            std::string::npos)
      << outcomes[1].message;
  EXPECT_EQ(outcomes[2].result, SyncResult::kCloned);
  EXPECT_FALSE(fs::exists(root_ / "ws" / "nobranch"));
}

TEST_F(GitWorkspaceTest, CommandLineSummaryExitCodesStatusExecAndDir) {
  fs::path api = make_remote("api");
  fs::path web = make_remote("web");
  fs::create_directories(root_ / "stack");
  std::ofstream(root_ / "stack" / "fusion.yaml")
      << "version: 1\nname: t\nworkspace: { root: ../ws, layout: gopath }\nrepos:\n"
      << "  api: { url: " << api.string() << ", branch: main }\n  web: " << web.string() << "\n"
      << "services:\n  api: { repo: api, image: api:1 }\n";
  auto run = [&](std::vector<std::string> args) {
    std::ostringstream out, err;
    Streams io{out, err, false, false};
    args.insert(args.begin(), {"-f", (root_ / "stack" / "fusion.yaml").string()});
    int code = run_cli(args, io);
    return std::tuple{code, out.str(), err.str()};
  };
  auto [code, out, err] = run({"workspace", "sync"});
  EXPECT_EQ(code, 0) << err;
  EXPECT_NE(out.find("2 repos: 2 cloned\n"), std::string::npos) << out;
  fs::path api_dir = root_ / "ws" / "src" / "local" / api.relative_path().replace_extension("");
  EXPECT_TRUE(fs::exists(api_dir / "README")) << api_dir;

  std::ofstream(api_dir / "README", std::ios::app) << "edit\n";
  push_new_commit("api");
  std::tie(code, out, err) = run({"workspace", "sync"});
  EXPECT_EQ(code, 3);  // left alone
  EXPECT_NE(out.find("(left alone; commit or stash them, then sync again)"), std::string::npos)
      << out;
  EXPECT_NE(out.find("2 repos: 1 up to date, 1 left alone\n"), std::string::npos) << out;

  std::tie(code, out, err) = run({"workspace", "status"});
  EXPECT_NE(out.find("+0 -1         1        "), std::string::npos) << out;
  std::tie(code, out, err) = run({"workspace", "exec", "--", "sh", "-c", "test -f NOPE"});
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("2 repos: 0 ok, 2 failed (api, web)\n"), std::string::npos) << out;
  std::tie(code, out, err) = run({"dir", "api"});
  EXPECT_EQ(out, api_dir.string() + "\n");
  std::tie(code, out, err) = run({"dir", "apu"});
  EXPECT_EQ(err, "fusion: error: no repo 'apu' in the registry; did you mean 'api'?\n");
}

}  // namespace
}  // namespace fusion
