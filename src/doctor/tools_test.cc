#include "doctor/tools.h"

#include <gtest/gtest.h>

#include "doctor/fake_programs.h"

namespace fusion {
namespace {

TEST(FindVersion, FirstDottedNumberOfRealOutputs) {
  EXPECT_EQ(find_version("git version 2.39.5"), "2.39.5");
  EXPECT_EQ(find_version("docker-compose version 1.29.2, build unknown"), "1.29.2");
  EXPECT_EQ(find_version("Docker version 28.2.2, build e6534b4"), "28.2.2");
  EXPECT_EQ(find_version("Docker Compose version v2.29.7"), "2.29.7");
  EXPECT_EQ(find_version("git version 2.39.5.windows.1"), "2.39.5");
  EXPECT_EQ(find_version("x86_64 build 7 of 1.2"), "1.2");
  EXPECT_EQ(find_version("no version here 42"), "");
}

TEST(VersionAtLeast, NumericNotTextual) {
  EXPECT_TRUE(version_at_least("2.39.5", "2.13"));
  EXPECT_TRUE(version_at_least("2.13", "2.13"));
  EXPECT_FALSE(version_at_least("2.9.1", "2.13"));
  EXPECT_FALSE(version_at_least("1.99", "2.13"));
}

TEST(ProbeTool, InstalledMissingAndBroken) {
  FakePrograms programs;
  programs.answer("git --version", "git version 2.39.5\n");
  programs.answer("docker compose version", "docker: unknown command: docker compose\n", 1);
  ToolVersion git = probe_tool(programs, {"git", "--version"});
  EXPECT_TRUE(git.installed);
  EXPECT_EQ(git.version, "2.39.5");
  ToolVersion plugin = probe_tool(programs, {"docker", "compose", "version"});
  EXPECT_EQ(plugin.program, "docker compose");
  EXPECT_FALSE(plugin.installed);
  EXPECT_EQ(plugin.error, "docker: unknown command: docker compose");
  ToolVersion missing = probe_tool(programs, {"docker-compose", "--version"});
  EXPECT_FALSE(missing.installed);
  EXPECT_EQ(missing.error, "");
}

TEST(ProbeTool, PodmanComposeVersionIsItsOwnNotPodmans) {
  FakePrograms programs;
  programs.answer("podman-compose --version",
                  "['podman', '--version', '']\nusing podman version: 4.3.1\n"
                  "podman-composer version  1.0.3\npodman --version \npodman version 4.3.1\n"
                  "exit code: 0\n");
  EXPECT_EQ(probe_tool(programs, {"podman-compose", "--version"}).version, "1.0.3");
}

TEST(CheckGit, EveryLevel) {
  CheckResult ok = check_git({"git", true, "2.39.5", ""});
  EXPECT_EQ(ok.level, CheckLevel::kOk);
  EXPECT_EQ(ok.message, "git 2.39.5");
  CheckResult missing = check_git({"git", false, "", ""});
  EXPECT_EQ(missing.level, CheckLevel::kFail);
  EXPECT_EQ(missing.fix, "apt-get install git");
  CheckResult old = check_git({"git", true, "2.9.5", ""});
  EXPECT_EQ(old.level, CheckLevel::kFail);
  EXPECT_EQ(old.message, "git 2.9.5 is too old: fusion needs 2.13 or newer");
  CheckResult broken = check_git({"git", false, "", "error while loading shared libraries"});
  EXPECT_EQ(broken.message, "git --version failed: error while loading shared libraries");
}

TEST(CheckComposeTools, OptionalSoNeverAFailure) {
  auto checks = check_compose_tools({{"docker-compose", true, "1.29.2", ""},
                                     {"podman-compose", false, "", ""},
                                     {"docker compose", false, "", "unknown command"}});
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(render_checks(checks),
            "ok    docker-compose 1.29.2 (optional)\n"
            "warn  podman-compose not installed (optional): apt-get install podman-compose\n"
            "warn  docker compose not installed (optional): install Docker's compose plugin "
            "(docker-compose-plugin)\n"
            "3 checks: 1 ok, 2 warnings, 0 failures\n");
  EXPECT_EQ(checks[2].name, "compose.docker-compose-plugin");
}

}  // namespace
}  // namespace fusion
