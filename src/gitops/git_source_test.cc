#include "gitops/git_source.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>

#include "util/file.h"

namespace fusion::gitops {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

const std::string kUrl = "https://git.example/shop.git";
const std::string kCommitA(40, 'a');
const std::string kCommitB(40, 'b');
const std::string kTag(40, 't');

ProcessResult exited(int code, std::string out = "", std::string err = "") {
  ProcessResult r;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

/// Records every spec; answers with `answer` (exit 0 and no output when unset).
class FakeGitRunner : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override {
    std::lock_guard guard(mutex_);
    specs.push_back(spec);
    return answer ? answer(spec) : exited(0);
  }
  std::vector<std::string> commands() const {
    std::vector<std::string> out;
    for (const ProcessSpec& s : specs) out.push_back(fmt::format("{}", fmt::join(s.argv, " ")));
    return out;
  }
  std::function<ProcessResult(const ProcessSpec&)> answer;
  std::vector<ProcessSpec> specs;

 private:
  std::mutex mutex_;
};

std::string env_of(const ProcessSpec& spec, const std::string& key) {
  for (const auto& [k, v] : spec.env) {
    if (k == key) return v;
  }
  return "<unset>";
}

/// The path quoted after `marker` in an ssh command ("-i '/tmp/…'").
fs::path quoted_after(const std::string& command, const std::string& marker) {
  size_t at = command.find(marker + "'");
  if (at == std::string::npos) return {};
  at += marker.size() + 1;
  return command.substr(at, command.find('\'', at) - at);
}

bool has_arg(const ProcessSpec& spec, std::string_view text) {
  for (const std::string& arg : spec.argv) {
    if (arg.find(text) != std::string::npos) return true;
  }
  return false;
}

class GitSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("GIT_SSH_COMMAND");
    unsetenv("GIT_CONFIG_COUNT");
    fs::remove_all(cache_);
  }
  void TearDown() override { fs::remove_all(cache_); }

  /// A cache that already holds a repository for kUrl.
  void make_cached_repo() {
    fs::create_directories(cache_ / cache_key(kUrl));
    std::ofstream(cache_ / cache_key(kUrl) / "HEAD") << "ref: refs/heads/main\n";
  }

  FakeGitRunner runner_;
  fs::path cache_ = fs::temp_directory_path() /
                    fmt::format("fusion-gitsource-unit-{}-{}", ::getpid(),
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  CliGitSource source_{runner_, cache_, seconds(30)};
};

TEST_F(GitSourceTest, ResolveAsksLsRemoteForTheRefAndItsPeeledTag) {
  runner_.answer = [](const ProcessSpec&) {
    return exited(0, kTag + "\trefs/tags/v1.2\n" + kCommitA + "\trefs/tags/v1.2^{}\n");
  };
  auto commit = source_.resolve(kUrl, "refs/tags/v1.2", {});
  ASSERT_TRUE(commit.ok()) << commit.error();
  EXPECT_EQ(*commit, kCommitA);
  EXPECT_EQ(runner_.commands(),
            std::vector<std::string>{
                "git ls-remote -- https://git.example/shop.git refs/tags/v1.2 refs/tags/v1.2^{}"});
  const ProcessSpec& spec = runner_.specs[0];
  EXPECT_EQ(env_of(spec, "GIT_TERMINAL_PROMPT"), "0");
  EXPECT_EQ(env_of(spec, "GIT_SSH_COMMAND"), "ssh -o BatchMode=yes");
  EXPECT_EQ(env_of(spec, "GIT_CONFIG_COUNT"), "<unset>");
  EXPECT_EQ(env_of(spec, "GIT_DIR"), "<unset>");
  EXPECT_EQ(spec.timeout.count() > 29000 && spec.timeout.count() <= 30000, true);
}

TEST_F(GitSourceTest, ResolveOfABranchTakesOnlyTheExactRef) {
  runner_.answer = [](const ProcessSpec&) {
    return exited(0, kCommitB + "\trefs/heads/feature/main\n" + kCommitA + "\trefs/heads/main\n");
  };
  EXPECT_EQ(source_.resolve(kUrl, "refs/heads/main", {}).value(), kCommitA);
}

TEST_F(GitSourceTest, MissingRefsAreNamedAsBranchTagOrRef) {
  runner_.answer = [](const ProcessSpec&) { return exited(0, kCommitB + "\trefs/heads/dev\n"); };
  EXPECT_EQ(source_.resolve(kUrl, "refs/heads/main", {}).error(),
            "branch 'main' not found on https://git.example/shop.git");
  EXPECT_EQ(source_.resolve(kUrl, "refs/tags/v1.2", {}).error(),
            "tag 'v1.2' not found on https://git.example/shop.git");
  EXPECT_EQ(source_.resolve(kUrl, "HEAD", {}).error(),
            "ref 'HEAD' not found on https://git.example/shop.git");
}

TEST_F(GitSourceTest, GitFailuresCarryItsFatalLineAndHideAPasswordInTheUrl) {
  runner_.answer = [](const ProcessSpec&) {
    return exited(128, "",
                  "remote: Repository not found.\n"
                  "fatal: repository 'https://git.example/nope.git/' not found\n");
  };
  EXPECT_EQ(source_.resolve("https://bot:pw@git.example/nope.git", "refs/heads/main", {}).error(),
            "git ls-remote https://bot:***@git.example/nope.git: repository "
            "'https://git.example/nope.git/' not found");

  runner_.answer = [](const ProcessSpec&) {
    ProcessResult r;
    r.timed_out = true;
    r.exit_code = 137;
    return r;
  };
  EXPECT_EQ(source_.resolve(kUrl, "refs/heads/main", {}).error(),
            "git ls-remote https://git.example/shop.git: timed out after 30s");

  runner_.answer = [](const ProcessSpec&) {
    return exited(-1, "", "git: No such file or directory");
  };
  EXPECT_EQ(source_.resolve(kUrl, "refs/heads/main", {}).error(),
            "git ls-remote https://git.example/shop.git: git: No such file or directory");
}

TEST_F(GitSourceTest, OptionLikeUrlsRefsAndBadIdsNeverReachGit) {
  EXPECT_EQ(source_.resolve(kUrl, "-oops", {}).error(),
            "ref '-oops' starts with '-': refusing to pass it to git");
  EXPECT_EQ(source_.resolve("--upload-pack=touch /tmp/x", "refs/heads/main", {}).error(),
            "git URL '--upload-pack=touch /tmp/x' starts with '-': refusing to pass it to git");
  EXPECT_EQ(source_.fetch(kUrl, "--upload-pack=x", kCommitA, {}).error(),
            "ref '--upload-pack=x' starts with '-': refusing to pass it to git");
  EXPECT_EQ(source_.fetch("-u", "refs/heads/main", kCommitA, {}).error(),
            "git URL '-u' starts with '-': refusing to pass it to git");
  EXPECT_EQ(source_.fetch(kUrl, "refs/heads/a:refs/heads/b", kCommitA, {}).error(),
            "'refs/heads/a:refs/heads/b' is not a valid git ref");
  EXPECT_EQ(source_.fetch(kUrl, "refs/heads/main", "--all", {}).error(),
            "'--all' is not a full commit id (40 or 64 lower-case hex digits)");
  EXPECT_EQ(source_.read_tree(kUrl, "HEAD", ".").error(),
            "'HEAD' is not a full commit id (40 or 64 lower-case hex digits)");
  EXPECT_EQ(source_.read_tree(kUrl, kCommitA, "deploy/../../etc").error(),
            "path 'deploy/../../etc' leaves the repository");
  EXPECT_EQ(source_.resolve("", "refs/heads/main", {}).error(), "no git URL given");
  EXPECT_EQ(source_.resolve(kUrl, "", {}).error(), "'' is not a valid git ref");
  EXPECT_TRUE(runner_.specs.empty());
}

TEST_F(GitSourceTest, BasicAuthTravelsInTheEnvironmentOnly) {
  runner_.answer = [](const ProcessSpec&) { return exited(0, kCommitA + "\trefs/heads/main\n"); };
  ASSERT_TRUE(source_.resolve(kUrl, "refs/heads/main", {.username = "bot", .password = "s3cret"}));
  const ProcessSpec& spec = runner_.specs[0];
  EXPECT_EQ(env_of(spec, "GIT_CONFIG_COUNT"), "1");
  EXPECT_EQ(env_of(spec, "GIT_CONFIG_KEY_0"), "http.extraHeader");
  EXPECT_EQ(env_of(spec, "GIT_CONFIG_VALUE_0"), "Authorization: Basic Ym90OnMzY3JldA==");
  EXPECT_FALSE(has_arg(spec, "s3cret"));
  EXPECT_FALSE(has_arg(spec, "Ym90"));

  ASSERT_TRUE(source_.resolve(kUrl, "refs/heads/main", {.password = "tok"}));  // token: "git:tok"
  EXPECT_EQ(env_of(runner_.specs[1], "GIT_CONFIG_VALUE_0"), "Authorization: Basic Z2l0OnRvaw==");
}

TEST_F(GitSourceTest, BasicAuthComesAfterTheUsersOwnEnvironmentConfig) {
  setenv("GIT_CONFIG_COUNT", "2", 1);
  runner_.answer = [](const ProcessSpec&) { return exited(0, kCommitA + "\trefs/heads/main\n"); };
  ASSERT_TRUE(source_.resolve(kUrl, "refs/heads/main", {.username = "bot", .password = "pw"}));
  unsetenv("GIT_CONFIG_COUNT");
  EXPECT_EQ(env_of(runner_.specs[0], "GIT_CONFIG_COUNT"), "3");
  EXPECT_EQ(env_of(runner_.specs[0], "GIT_CONFIG_KEY_2"), "http.extraHeader");
}

TEST_F(GitSourceTest, SshKeyAndKnownHostsArePrivateFilesRemovedAfterTheCall) {
  std::string command, key, hosts;
  unsigned key_mode = 0, hosts_mode = 0;
  runner_.answer = [&](const ProcessSpec& spec) {
    command = env_of(spec, "GIT_SSH_COMMAND");
    fs::path key_file = quoted_after(command, "-i ");
    fs::path hosts_file = quoted_after(command, "UserKnownHostsFile=");
    key = read_file(key_file).value();
    hosts = read_file(hosts_file).value();
    struct stat st {};
    stat(key_file.c_str(), &st);
    key_mode = st.st_mode & 0777;
    stat(hosts_file.c_str(), &st);
    hosts_mode = st.st_mode & 0777;
    return exited(0, kCommitA + "\trefs/heads/main\n");
  };
  GitAuth auth{.ssh_private_key =
                   "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH "
                   "PRIVATE KEY-----",
               .known_hosts = "git.example ssh-ed25519 AAAA\n"};
  ASSERT_TRUE(source_.resolve("ssh://git@git.example/shop.git", "refs/heads/main", auth));
  fs::path key_file = quoted_after(command, "-i ");
  fs::path hosts_file = quoted_after(command, "UserKnownHostsFile=");
  EXPECT_EQ(command, fmt::format("ssh -i '{}' -o IdentitiesOnly=yes -o UserKnownHostsFile='{}' -o "
                                 "StrictHostKeyChecking=yes -o BatchMode=yes",
                                 key_file.string(), hosts_file.string()));
  EXPECT_EQ(key, auth.ssh_private_key + "\n");
  EXPECT_EQ(hosts, auth.known_hosts);
  EXPECT_EQ(key_mode, 0600u);
  EXPECT_EQ(hosts_mode, 0600u);
  EXPECT_FALSE(fs::exists(key_file));
  EXPECT_FALSE(fs::exists(hosts_file));
  EXPECT_FALSE(has_arg(runner_.specs[0], "PRIVATE KEY"));
  EXPECT_EQ(env_of(runner_.specs[0], "GIT_CONFIG_COUNT"), "<unset>");
}

/// Answers a fetch: `git init` makes the repository's HEAD; the commit is missing until fetched;
/// rev-parse names `fetched`.
std::function<ProcessResult(const ProcessSpec&)> fetching(std::string fetched, bool* did_fetch) {
  return [fetched, did_fetch](const ProcessSpec& spec) {
    const std::string& verb = spec.argv[1] == "-c" ? spec.argv[3] : spec.argv[1];
    if (verb == "init") {
      std::ofstream(fs::path(env_of(spec, "GIT_DIR")) / "HEAD") << "ref: refs/heads/main\n";
    }
    if (verb == "cat-file") return exited(*did_fetch ? 0 : 1);
    if (verb == "fetch") *did_fetch = true;
    if (verb == "rev-parse") return exited(0, fetched + "\n");
    return exited(0);
  };
}

TEST_F(GitSourceTest, FetchMakesTheCacheRepositoryThenFetchesTheRefShallowly) {
  bool did_fetch = false;
  runner_.answer = fetching(kCommitA, &did_fetch);
  Status st = source_.fetch(kUrl, "refs/heads/main", kCommitA, {});
  ASSERT_TRUE(st.ok()) << st.error();
  fs::path repo = cache_ / cache_key(kUrl);
  EXPECT_EQ(runner_.commands(),
            (std::vector<std::string>{
                "git init --bare --quiet",
                "git cat-file -e " + kCommitA + "^{commit}",
                "git -c gc.autoDetach=false fetch --quiet --no-tags --no-write-fetch-head "
                "--depth=1 -- https://git.example/shop.git +refs/heads/main:refs/heads/main",
                "git rev-parse --verify --quiet refs/heads/main^{commit}",
            }));
  EXPECT_NE(env_of(runner_.specs[0], "GIT_DIR"), repo.string());  // made beside, then renamed
  for (size_t i = 1; i < runner_.specs.size(); ++i) {
    EXPECT_EQ(env_of(runner_.specs[i], "GIT_DIR"), repo.string());
  }
  EXPECT_TRUE(fs::exists(repo / "HEAD"));
  EXPECT_EQ(cache_key(kUrl).size(), 32u);

  runner_.specs.clear();
  ASSERT_TRUE(source_.fetch(kUrl, "refs/heads/main", kCommitA, {}));
  EXPECT_EQ(runner_.commands(),
            std::vector<std::string>{"git cat-file -e " + kCommitA + "^{commit}"});
}

TEST_F(GitSourceTest, FetchByCommitIdWhenThereIsNoRef) {
  make_cached_repo();
  bool did_fetch = false;
  runner_.answer = fetching(kCommitA, &did_fetch);
  ASSERT_TRUE(source_.fetch(kUrl, "", kCommitA, {}));
  EXPECT_EQ(runner_.commands()[1],
            "git -c gc.autoDetach=false fetch --quiet --no-tags --no-write-fetch-head --depth=1 "
            "-- https://git.example/shop.git +" +
                kCommitA + ":refs/fusion/commits/" + kCommitA);
}

TEST_F(GitSourceTest, FetchSaysWhenTheRefMovedOrIsGone) {
  make_cached_repo();
  bool did_fetch = false;
  runner_.answer = fetching(kCommitB, &did_fetch);
  EXPECT_EQ(source_.fetch(kUrl, "refs/heads/main", kCommitA, {}).error(),
            "branch 'main' on https://git.example/shop.git is now at bbbbbbbbbbbb, not "
            "aaaaaaaaaaaa: it moved since it was resolved");

  runner_.answer = [](const ProcessSpec& spec) {
    if (spec.argv[3] == "fetch") {
      return exited(128, "", "fatal: couldn't find remote ref refs/heads/main\n");
    }
    return exited(1);
  };
  EXPECT_EQ(source_.fetch(kUrl, "refs/heads/main", kCommitA, {}).error(),
            "branch 'main' not found on https://git.example/shop.git");

  runner_.answer = [](const ProcessSpec& spec) {
    if (spec.argv[3] == "fetch") {
      return exited(128, "",
                    "fatal: unable to access 'https://git.example/shop.git/': Could not "
                    "resolve host: git.example\n");
    }
    return exited(1);
  };
  EXPECT_EQ(source_.fetch(kUrl, "refs/heads/main", kCommitA, {}).error(),
            "git fetch https://git.example/shop.git: unable to access "
            "'https://git.example/shop.git/': Could not resolve host: git.example");
}

TEST_F(GitSourceTest, ReadTreeListsTheFolderAndReadsItsBlobsInOneBatch) {
  make_cached_repo();
  const std::string blob1(40, '1'), blob2(40, '2'), link(40, '3'), sub(40, '4');
  std::string batch_input;
  runner_.answer = [&](const ProcessSpec& spec) {
    if (spec.argv[1] == "ls-tree") {
      std::string listing;
      for (std::string record : {"100644 blob " + blob1 + "      12\tapp.yaml",
                                 "100755 blob " + blob2 + "       3\tnested/deep/bin",
                                 "120000 blob " + link + "       8\tlink.yaml",
                                 "160000 commit " + sub + "       -\tvendored",
                                 "100644 blob " + blob1 + "      12\tcopy.yaml"}) {
        listing += record;
        listing += '\0';
      }
      return exited(0, listing);
    }
    batch_input = read_file(spec.argv[4]).value();
    std::string out = blob1 + " blob 12\nkind: Thing\n\n";
    out += blob2 + " blob 3\n" + std::string("a\0b", 3) + "\n";
    return exited(0, out);
  };
  auto files = source_.read_tree(kUrl, kCommitA, "./deploy/prod/");
  ASSERT_TRUE(files.ok()) << files.error();
  std::map<std::string, std::string> want = {{"app.yaml", "kind: Thing\n"},
                                             {"copy.yaml", "kind: Thing\n"},
                                             {"nested/deep/bin", std::string("a\0b", 3)}};
  EXPECT_EQ(*files, want);
  ASSERT_EQ(runner_.specs.size(), 2u);
  EXPECT_EQ(runner_.commands()[0],
            "git ls-tree -r -z --long --full-tree " + kCommitA + ":deploy/prod");
  EXPECT_EQ(runner_.specs[1].argv[0], "sh");
  EXPECT_EQ(runner_.specs[1].argv[2], "exec git cat-file --batch <\"$1\"");
  EXPECT_EQ(env_of(runner_.specs[1], "GIT_DIR"), (cache_ / cache_key(kUrl)).string());
  EXPECT_EQ(batch_input, blob1 + "\n" + blob2 + "\n");
  EXPECT_FALSE(fs::exists(runner_.specs[1].argv[4]));

  runner_.specs.clear();
  runner_.answer = [](const ProcessSpec&) { return exited(0); };
  ASSERT_TRUE(source_.read_tree(kUrl, kCommitA, ".").ok());
  EXPECT_EQ(runner_.commands(),
            std::vector<std::string>{"git ls-tree -r -z --long --full-tree " + kCommitA + ":"});
}

TEST_F(GitSourceTest, ReadTreeSaysWhatIsMissing) {
  EXPECT_EQ(source_.read_tree(kUrl, kCommitA, ".").error(),
            "commit aaaaaaaaaaaa of https://git.example/shop.git is not in the cache: fetch it "
            "first");
  make_cached_repo();
  runner_.answer = [](const ProcessSpec& spec) {
    if (spec.argv[1] == "ls-tree") return exited(128, "", "fatal: not a tree object\n");
    return exited(0);
  };
  EXPECT_EQ(source_.read_tree(kUrl, kCommitA, "deploy/app.yaml").error(),
            "'deploy/app.yaml' is not a folder in commit aaaaaaaaaaaa of "
            "https://git.example/shop.git");
  runner_.answer = [](const ProcessSpec& spec) {
    if (spec.argv[1] == "ls-tree") return exited(128, "", "fatal: Not a valid object name\n");
    return exited(1);  // cat-file -e: no such commit
  };
  EXPECT_EQ(source_.read_tree(kUrl, kCommitA, "deploy").error(),
            "commit aaaaaaaaaaaa of https://git.example/shop.git is not in the cache: fetch it "
            "first");
}

}  // namespace
}  // namespace fusion::gitops
