#include "doctor/check.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fusion {
namespace {

TEST(RenderChecks, AlignedLevelsFixesAndSummary) {
  std::vector<CheckResult> checks = {
      check_ok("engine", "podman 4.3.1, reachable"),
      check_warn("compose.docker-compose", "docker-compose not installed (optional)",
                 "apt-get install docker-compose"),
      check_fail("port.5432", "port 5432 (postgres) is held by postgres (pid 812)",
                 "stop it, or publish postgres on another host port"),
  };
  EXPECT_EQ(render_checks(checks),
            "ok    podman 4.3.1, reachable\n"
            "warn  docker-compose not installed (optional): apt-get install docker-compose\n"
            "fail  port 5432 (postgres) is held by postgres (pid 812): stop it, or publish "
            "postgres on another host port\n"
            "3 checks: 1 ok, 1 warning, 1 failure\n");
  EXPECT_FALSE(any_failed({checks[0], checks[1]}));
  EXPECT_TRUE(any_failed(checks));
}

TEST(RenderChecks, FixOfSeveralLinesGoesBelowIndented) {
  std::vector<CheckResult> checks = {
      check_fail("engine.rlimits", "podman cannot raise rlimits", "write:\n[containers]\n\nthen")};
  EXPECT_EQ(render_checks(checks),
            "fail  podman cannot raise rlimits:\n"
            "        write:\n"
            "        [containers]\n"
            "\n"
            "        then\n"
            "1 check: 0 ok, 0 warnings, 1 failure\n");
}

TEST(RenderChecks, ColourOnlyOnTheLevelKeepsTheColumn) {
  std::string text = render_checks({check_warn("git", "old", "")}, true);
  EXPECT_EQ(text.substr(0, text.find('\n')), "\x1b[33mwarn\x1b[0m  old");
}

TEST(ChecksToJson, OneObjectPerCheck) {
  nlohmann::json json = checks_to_json(
      {check_ok("git", "git 2.39.5"), check_warn("registry", "no fusion.yaml", "cd")});
  EXPECT_EQ(json.dump(),
            R"([{"fix":"","level":"ok","message":"git 2.39.5","name":"git"},)"
            R"({"fix":"cd","level":"warn","message":"no fusion.yaml","name":"registry"}])");
}

}  // namespace
}  // namespace fusion
