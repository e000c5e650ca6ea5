#include "doctor/repos.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

RepoStatus repo(std::string branch_wanted, std::string branch_now, bool cloned = true) {
  RepoStatus status;
  status.repo = {.name = "core-api",
                 .url = "git@github.com:acme/core-api.git",
                 .branch = std::move(branch_wanted),
                 .path = "/src/shop/core-api",
                 .services = {"core-api", "migrate"}};
  status.cloned = cloned;
  status.state.branch = std::move(branch_now);
  status.state.head = "1a2b3c4";
  return status;
}

TEST(CheckRepo, OnTheNamedBranchOrAnyWhenNoneIsNamed) {
  RepoStatus ok = repo("main", "main");
  ok.state.dirty = 3;
  EXPECT_EQ(
      render_checks({check_repo(ok, {})}),
      "ok    repo core-api on main, 3 local changes\n1 check: 1 ok, 0 warnings, 0 failures\n");
  EXPECT_EQ(check_repo(repo("", "feature/x"), {}).level, CheckLevel::kOk);
}

TEST(CheckRepo, AnotherBranchOrDetachedWarns) {
  CheckResult other = check_repo(repo("main", "feature/x"), {});
  EXPECT_EQ(other.level, CheckLevel::kWarn);
  EXPECT_EQ(other.name, "repo.core-api");
  EXPECT_EQ(other.message, "repo core-api is on branch feature/x, the registry names main");
  EXPECT_TRUE(other.fix.starts_with("git -C /src/shop/core-api switch main"));
  CheckResult detached = check_repo(repo("main", ""), {});
  EXPECT_EQ(detached.level, CheckLevel::kWarn);
  EXPECT_EQ(detached.message, "repo core-api is detached at 1a2b3c4");
}

TEST(CheckRepo, MissingFailsOnlyWhenAServiceIsBuiltFromIt) {
  CheckResult unused = check_repo(repo("main", "", false), {"web"});
  EXPECT_EQ(unused.level, CheckLevel::kWarn);
  EXPECT_EQ(unused.message, "repo core-api is not cloned in /src/shop/core-api");
  EXPECT_EQ(unused.fix, "fusion workspace sync core-api");
  CheckResult needed = check_repo(repo("main", "", false), {"migrate", "web"});
  EXPECT_EQ(needed.level, CheckLevel::kFail);
  EXPECT_EQ(needed.message,
            "repo core-api is not cloned in /src/shop/core-api, and migrate is built from it");
}

TEST(CheckRepo, UnreadableFails) {
  RepoStatus broken = repo("main", "main");
  broken.error = "status failed: fatal: not a git repository";
  CheckResult check = check_repo(broken, {});
  EXPECT_EQ(check.level, CheckLevel::kFail);
  EXPECT_EQ(check.message, "repo core-api: status failed: fatal: not a git repository");
}

}  // namespace
}  // namespace fusion
