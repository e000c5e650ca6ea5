// The GitOps source against real git: a bare repository made by the test, served from its path,
// as a file:// URL and through `git daemon` on 127.0.0.1. CTest label: integration.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gitops/git_source.h"
#include "util/file.h"
#include "util/subprocess.h"
#include "workspace/git_daemon_test_support.h"

namespace fusion::gitops {
namespace {

namespace fs = std::filesystem;
using Files = std::map<std::string, std::string>;

/// The real runner, counting what it ran: every process, and the `git fetch`es.
class CountingRunner : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override {
    ++processes;
    for (const std::string& arg : spec.argv) {
      if (arg == "fetch") ++fetches;
    }
    return real_.run(spec);
  }
  std::atomic<int> processes{0};
  std::atomic<int> fetches{0};

 private:
  SystemProcessRunner real_;
};

const std::string kBinary("PNG\0\x01\xff\n\r\x80", 9);

class GitSourceIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(root_);
    fs::create_directories(root_ / "remotes");
    std::ofstream(root_ / "gitconfig")
        << "[user]\n\tname = Test\n\temail = t@example.invalid\n"
           "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n";
    setenv("GIT_CONFIG_GLOBAL", (root_ / "gitconfig").c_str(), 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    bare_ = make_remote("shop");
  }
  void TearDown() override {
    daemon_.stop();
    fs::remove_all(root_);
  }

  std::string git(const fs::path& dir, std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    ProcessResult r = plain_.run({.argv = args, .cwd = dir});
    EXPECT_TRUE(r.ok()) << fmt::format("{}: {}", fmt::join(args, " "), r.err);
    return r.out.substr(0, r.out.find_last_not_of('\n') + 1);
  }
  void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }

  /// A bare repo `name` with one commit on main (a README, a folder of manifests with nested
  /// files and a binary) and an annotated tag v1 on it; seed-<name> is the clone to push from.
  fs::path make_remote(const std::string& name) {
    fs::path bare = root_ / "remotes" / (name + ".git");
    git(root_, {"init", "-q", "--bare", bare.string()});
    fs::path seed = root_ / ("seed-" + name);
    git(root_, {"clone", "-q", bare.string(), seed.string()});
    write(seed / "README", "shop\n");
    write(seed / "deploy/prod/kustomization.yaml", "resources: [base/deep/cm.yaml]\n");
    write(seed / "deploy/prod/base/deep/cm.yaml", "kind: ConfigMap\n");
    write(seed / "deploy/prod/logo.png", kBinary);
    git(seed, {"add", "."});
    git(seed, {"commit", "-qm", "first"});
    git(seed, {"tag", "-a", "v1", "-m", "release 1"});
    git(seed, {"push", "-q", "origin", "main", "v1"});
    return bare;
  }
  std::string head(const std::string& name = "shop") {
    return git(root_ / ("seed-" + name), {"rev-parse", "HEAD"});
  }

  void start_daemon() { ASSERT_NO_FATAL_FAILURE(daemon_.start(root_ / "remotes", "shop")); }
  std::string daemon_url(const std::string& name) { return daemon_.url(name); }

  Files first_commit_files() {
    return {{"README", "shop\n"},
            {"deploy/prod/base/deep/cm.yaml", "kind: ConfigMap\n"},
            {"deploy/prod/kustomization.yaml", "resources: [base/deep/cm.yaml]\n"},
            {"deploy/prod/logo.png", kBinary}};
  }

  SystemProcessRunner plain_;
  CountingRunner runner_;
  fs::path root_ =
      fs::temp_directory_path() / ("fusion-gitsource-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::path bare_;
  CliGitSource source_{runner_, root_ / "cache", std::chrono::seconds(30)};
  testing::TestGitDaemon daemon_;
};

TEST_F(GitSourceIntegrationTest, ResolvesFetchesAndReadsFromPathFileUrlAndDaemon) {
  start_daemon();
  const std::string commit = head();
  for (const std::string& url : {bare_.string(), "file://" + bare_.string(), daemon_url("shop")}) {
    SCOPED_TRACE(url);
    auto main = source_.resolve(url, "refs/heads/main", {});
    ASSERT_TRUE(main.ok()) << main.error();
    EXPECT_EQ(*main, commit);
    auto tag = source_.resolve(url, "refs/tags/v1", {});
    ASSERT_TRUE(tag.ok()) << tag.error();
    EXPECT_EQ(*tag, commit);  // peeled: the annotated tag's commit, not the tag object

    Status fetched = source_.fetch(url, "refs/heads/main", commit, {});
    ASSERT_TRUE(fetched.ok()) << fetched.error();
    auto all = source_.read_tree(url, commit, ".");
    ASSERT_TRUE(all.ok()) << all.error();
    EXPECT_EQ(*all, first_commit_files());
    auto prod = source_.read_tree(url, commit, "deploy/prod");
    ASSERT_TRUE(prod.ok()) << prod.error();
    EXPECT_EQ(*prod, (Files{{"base/deep/cm.yaml", "kind: ConfigMap\n"},
                            {"kustomization.yaml", "resources: [base/deep/cm.yaml]\n"},
                            {"logo.png", kBinary}}));

    int fetches = runner_.fetches;
    ASSERT_TRUE(source_.fetch(url, "refs/heads/main", commit, {}).ok());
    ASSERT_TRUE(source_.fetch(url, "refs/tags/v1", commit, {}).ok());
    EXPECT_EQ(runner_.fetches, fetches) << "the cache had the commit";
    EXPECT_EQ(git(root_ / "cache" / cache_key(url), {"rev-parse", "--is-shallow-repository"}),
              "true");
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(root_ / "cache"), fs::directory_iterator()), 3);
}

TEST_F(GitSourceIntegrationTest, ANewCommitIsResolvedFetchedAndRead) {
  const std::string url = bare_.string(), first = head();
  ASSERT_TRUE(source_.fetch(url, "refs/heads/main", first, {}).ok());

  fs::path seed = root_ / "seed-shop";
  write(seed / "deploy/prod/base/deep/cm.yaml", "kind: ConfigMap\nchanged: true\n");
  git(seed, {"rm", "-q", "deploy/prod/logo.png"});
  git(seed, {"commit", "-qam", "second"});
  git(seed, {"push", "-q", "origin", "main"});

  auto second = source_.resolve(url, "refs/heads/main", {});
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(*second, head());
  EXPECT_NE(*second, first);
  Status fetched = source_.fetch(url, "refs/heads/main", *second, {});
  ASSERT_TRUE(fetched.ok()) << fetched.error();
  auto prod = source_.read_tree(url, *second, "deploy/prod");
  ASSERT_TRUE(prod.ok()) << prod.error();
  EXPECT_EQ(*prod, (Files{{"base/deep/cm.yaml", "kind: ConfigMap\nchanged: true\n"},
                          {"kustomization.yaml", "resources: [base/deep/cm.yaml]\n"}}));
  EXPECT_EQ(source_.read_tree(url, first, ".").value(), first_commit_files());  // still there

  // The old commit asked for by a ref that moved on: fetched by name, found not to match.
  fs::remove_all(root_ / "cache");
  EXPECT_EQ(source_.fetch(url, "refs/heads/main", first, {}).error(),
            fmt::format("branch 'main' on {} is now at {}, not {}: it moved since it was resolved",
                        url, second->substr(0, 12), first.substr(0, 12)));
}

TEST_F(GitSourceIntegrationTest, ATagAndABareCommitIdAreFetchedToo) {
  const std::string url = bare_.string(), commit = head();
  Status by_tag = source_.fetch(url, "refs/tags/v1", commit, {});
  ASSERT_TRUE(by_tag.ok()) << by_tag.error();
  EXPECT_EQ(source_.read_tree(url, commit, "deploy").value().size(), 3u);

  const std::string other = "file://" + bare_.string();
  Status by_id = source_.fetch(other, "", commit, {});
  ASSERT_TRUE(by_id.ok()) << by_id.error();
  EXPECT_EQ(source_.read_tree(other, commit, ".").value(), first_commit_files());
}

TEST_F(GitSourceIntegrationTest, TwoThreadsFetchingOneUrlShareOneFetch) {
  const fs::path second_bare = make_remote("web");
  const std::string url = bare_.string(), commit = head();
  std::vector<Status> results(3, ok_status());
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = source_.fetch(url, "refs/heads/main", commit, {}); });
  }
  threads.emplace_back([&] {
    results[2] = source_.fetch(second_bare.string(), "refs/heads/main", head("web"), {});
  });
  for (std::thread& t : threads) t.join();
  for (const Status& st : results) EXPECT_TRUE(st.ok()) << st.error();
  EXPECT_EQ(runner_.fetches, 2) << "one per URL";
  EXPECT_EQ(source_.read_tree(url, commit, ".").value(), first_commit_files());
  git(root_ / "cache" / cache_key(url), {"fsck", "--no-progress"});
  EXPECT_EQ(std::distance(fs::directory_iterator(root_ / "cache"), fs::directory_iterator()), 2)
      << "no leftover folders";
}

TEST_F(GitSourceIntegrationTest, FailuresSayWhatIsWrong) {
  const std::string url = bare_.string(), commit = head();
  EXPECT_EQ(source_.resolve(url, "refs/heads/release", {}).error(),
            fmt::format("branch 'release' not found on {}", url));
  EXPECT_EQ(source_.fetch(url, "refs/heads/release", commit, {}).error(),
            fmt::format("branch 'release' not found on {}", url));
  const std::string missing = (root_ / "remotes" / "missing.git").string();
  EXPECT_EQ(
      source_.resolve(missing, "refs/heads/main", {}).error(),
      fmt::format("git ls-remote {0}: '{0}' does not appear to be a git repository", missing));
  auto unreachable = source_.resolve("git://127.0.0.1:1/shop.git", "refs/heads/main", {});
  EXPECT_NE(unreachable.error().find("git ls-remote git://127.0.0.1:1/shop.git: unable to connect "
                                     "to 127.0.0.1"),
            std::string::npos)
      << unreachable.error();

  ASSERT_TRUE(source_.fetch(url, "refs/heads/main", commit, {}).ok());
  EXPECT_EQ(source_.read_tree(url, commit, "README").error(),
            fmt::format("'README' is not a folder in commit {} of {}", commit.substr(0, 12), url));
  EXPECT_EQ(
      source_.read_tree(url, commit, "nothing/here").error(),
      fmt::format("'nothing/here' is not a folder in commit {} of {}", commit.substr(0, 12), url));
  const std::string unknown(40, 'e');
  EXPECT_EQ(source_.read_tree(url, unknown, ".").error(),
            fmt::format("commit eeeeeeeeeeee of {} is not in the cache: fetch it first", url));
}

}  // namespace
}  // namespace fusion::gitops
