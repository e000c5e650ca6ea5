#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_test_support.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

using testing::CliRun;

CliRun run(std::vector<std::string> args) { return testing::run_command_line(std::move(args)); }

std::string example(const std::string& name) {
  return std::string(FUSION_SOURCE_DIR) + "/examples/" + name + "/fusion.yaml";
}

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fusion-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(CommandsTest, ValidateExamplesSucceeds) {
  CliRun r = run({"-f", example("shop"), "validate"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, example("shop") + ": ok: 9 services (3 from local source), 3 phases\n");
  EXPECT_EQ(run({"-f", example("platform"), "validate"}).code, 0);
}

TEST_F(CommandsTest, ValidateReportsEveryErrorAndExitsOne) {
  std::string file = write(
      "fusion.yaml",
      "version: 1\nname: s\nservices:\n  a: { imag: x }\n  b: { image: b, depends_on: [c] }\n");
  CliRun r = run({"-f", file, "validate"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, file +
                       ":4:8: error: unknown key 'imag' in service 'a'; did you mean 'image'?\n"
                       "    4 |   a: { imag: x }\n"
                       "      |        ^~~~\n" +
                       file +
                       ":5:31: error: service 'b' depends on undefined service 'c'\n"
                       "    5 |   b: { image: b, depends_on: [c] }\n"
                       "      |                               ^\n" +
                       file + ": 2 errors\n");
}

TEST_F(CommandsTest, ValidateJsonForTools) {
  std::string file = write("fusion.yaml", "version: 1\nname: s\nservices:\n  a: { }\n");
  CliRun r = run({"-f", file, "validate", "--json"});
  EXPECT_EQ(r.code, 1);
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["errors"], 1);
  EXPECT_EQ(j["diagnostics"][0]["line"], 4);
  EXPECT_EQ(j["diagnostics"][0]["column"], 3);
}

TEST_F(CommandsTest, OverlayBesideTheRegistryIsRead) {
  std::string file =
      write("fusion.yaml", "version: 1\nname: s\nservices:\n  a: { image: a:1, path: ./a }\n");
  write("fusion.local.yaml", "local: [b]\n");
  CliRun r = run({"-f", file, "validate"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find((dir_ / "fusion.local.yaml").string() + ":1:9: error: cannot run undefined "
                                                               "service 'b' from local source"),
            std::string::npos)
      << r.err;
}

TEST_F(CommandsTest, MissingFileIsAnErrorNotACrash) {
  CliRun r = run({"-f", (dir_ / "nope.yaml").string(), "validate"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "fusion: error: " + (dir_ / "nope.yaml").string() + ": No such file or directory\n");
}

TEST_F(CommandsTest, UsageErrorsExitTwo) {
  EXPECT_EQ(run({}).code, 2);
  EXPECT_EQ(run({"frobnicate"}).code, 2);
  EXPECT_EQ(run({"graph", "--format", "svg"}).code, 2);
  CliRun r = run({"-f", example("shop"), "plan", "nosuch"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "fusion: error: no service 'nosuch' in the registry\n");
}

TEST_F(CommandsTest, GraphAndPlanOfTheShop) {
  CliRun g = run({"-f", example("shop"), "graph", "web", "--format", "mermaid"});
  EXPECT_EQ(g.code, 0);
  EXPECT_NE(g.out.find("  web -->|healthy| core_api\n"), std::string::npos) << g.out;
  EXPECT_EQ(g.out.find("orders_worker"), std::string::npos);  // not a dependency of web
  CliRun p = run({"-f", example("shop"), "plan", "--profile", "dev", "--json"});
  EXPECT_EQ(p.code, 0);
  nlohmann::json plan = nlohmann::json::parse(p.out);
  EXPECT_EQ(plan["services"].size(), 8u);  // everything but the payments profile
  EXPECT_EQ(plan["critical_path"].back(), "web");
}

TEST_F(CommandsTest, LocalFlagNeedsASource) {
  CliRun r = run({"-f", example("shop"), "plan", "--local", "postgres"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "fusion: error: service 'postgres' cannot run from local source: it has no 'repo' or "
            "'path'\n" +
                example("shop") + ": 1 error\n");
}

TEST_F(CommandsTest, SchemaIsJson) {
  CliRun r = run({"schema"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["title"], "fusion.yaml");
}

}  // namespace
}  // namespace fusion
