// fusion generate and fusion secrets end to end, in a temporary folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "cli/cli_test_support.h"
#include "util/file.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using testing::CliRun;

CliRun run(std::vector<std::string> args) { return testing::run_command_line(std::move(args)); }

constexpr const char* kStack = R"(version: 1
name: s
services:
  web: { image: "nginx:1.27", ports: ["8080:80"], env: { PASSWORD: { secret: web-pw } } }
  api: { image: "api:1", group: apps }
)";

class GenerateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fusion-generate-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    registry_ = (dir_ / "fusion.yaml").string();
    ASSERT_TRUE(write_file_atomically(registry_, kStack));
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun generate(std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"-f", registry_, "generate"};
    args.insert(args.end(), more.begin(), more.end());
    return run(args);
  }

  fs::path dir_;
  std::string registry_;
};

TEST_F(GenerateCommandTest, WritesEverythingThenNothingTheSecondTime) {
  CliRun first = generate();
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_THAT(first.out,
              HasSubstr("create " + (dir_ / "generated/compose/compose.apps.yaml").string()));
  EXPECT_TRUE(fs::exists(dir_ / "generated/kubernetes/base/web.yaml"));
  EXPECT_TRUE(fs::exists(dir_ / "generated/.env.example"));
  EXPECT_TRUE(fs::exists(dir_ / "generated/SERVICES.md"));
  CliRun second = generate();
  EXPECT_EQ(second.code, 0);
  EXPECT_THAT(second.out, HasSubstr(": 0 written, "));
  EXPECT_EQ(generate({"--check"}).code, 0);
}

TEST_F(GenerateCommandTest, CheckPrintsADiffAndExitsOneOnDrift) {
  ASSERT_EQ(generate().code, 0);
  std::string stack = kStack;
  stack.replace(stack.find("8080:80"), 7, "9090:80");
  ASSERT_TRUE(write_file_atomically(registry_, stack));
  std::string before = *read_file(dir_ / "generated/compose/compose.default.yaml");
  CliRun check = generate({"--check"});
  EXPECT_EQ(check.code, 1);
  EXPECT_THAT(check.out, HasSubstr("--- a/compose/compose.default.yaml\n+++ "
                                   "b/compose/compose.default.yaml\n"));
  EXPECT_THAT(check.out, HasSubstr("-    - \"8080:80\"\n+    - \"9090:80\"\n"));
  EXPECT_THAT(check.err, HasSubstr("out of date; run `fusion generate`"));
  EXPECT_EQ(*read_file(dir_ / "generated/compose/compose.default.yaml"), before);  // untouched
}

TEST_F(GenerateCommandTest, RefusesToOverwriteAFileItDidNotWriteAndWritesNothing) {
  fs::create_directories(dir_ / "out/compose");
  ASSERT_TRUE(write_file_atomically(dir_ / "out/compose/compose.apps.yaml", "mine\n"));
  CliRun r = generate({"-o", (dir_ / "out").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("compose/compose.apps.yaml exists and fusion did not generate it"));
  EXPECT_THAT(r.err, HasSubstr("nothing was written"));
  EXPECT_EQ(*read_file(dir_ / "out/compose/compose.apps.yaml"), "mine\n");
  EXPECT_FALSE(fs::exists(dir_ / "out/compose/compose.default.yaml"));
}

TEST_F(GenerateCommandTest, RemovesWhatItNoLongerGeneratesAndOnlyInWhatItRegenerates) {
  ASSERT_EQ(generate().code, 0);
  std::string stack = kStack;
  stack.replace(stack.find(", group: apps"), 13, "");
  ASSERT_TRUE(write_file_atomically(registry_, stack));
  CliRun r = generate({"compose"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("remove " + (dir_ / "generated/compose/compose.apps.yaml").string()));
  EXPECT_FALSE(fs::exists(dir_ / "generated/compose/compose.apps.yaml"));
  EXPECT_TRUE(fs::exists(dir_ / "generated/kubernetes/base/web.yaml"));  // not regenerated, kept
  EXPECT_THAT(*read_file(dir_ / "generated/.fusion-generated"),
              HasSubstr("kubernetes/base/web.yaml\n"));
}

TEST_F(GenerateCommandTest, SecretsAreCreatedPrivateAndNeverPrinted) {
  ASSERT_EQ(generate().code, 0);
  CliRun r = run({"-f", registry_, "secrets"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string store = *read_file(dir_ / ".fusion/secrets.env");
  std::string value = store.substr(store.find("web-pw=") + 7, 43);
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr(value)));
  EXPECT_EQ(*read_file(dir_ / "generated/compose/secrets/web.env"), "PASSWORD=" + value + "\n");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "generated/compose/secrets/web.env").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir_ / ".fusion/secrets.env").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A second run keeps the value.
  ASSERT_EQ(run({"-f", registry_, "secrets"}).code, 0);
  EXPECT_EQ(*read_file(dir_ / ".fusion/secrets.env"), store);
}

TEST_F(GenerateCommandTest, StoreSecretsMountedAsFilesAreWrittenWhereComposeAndKustomizeReadThem) {
  ASSERT_TRUE(write_file_atomically(registry_,
                                    "version: 1\nname: s\nservices:\n"
                                    "  api: { image: \"api:1\", group: apps, secrets: [api-key] }\n"
                                    "secrets:\n  api-key: {}\n"));
  ASSERT_EQ(generate().code, 0);
  CliRun r = run({"-f", registry_, "secrets"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string store = *read_file(dir_ / ".fusion/secrets.env");
  std::string value = store.substr(store.find("api-key=") + 8, 43);
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr(value)));
  for (const char* folder : {"compose", "kubernetes/overlays/local"}) {
    fs::path file = dir_ / "generated" / folder / "secrets/api-key.secret";
    auto text = read_file(file);
    EXPECT_EQ(text ? *text : "", value) << file;
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  EXPECT_THAT(*read_file(dir_ / "generated/compose/compose.apps.yaml"),
              HasSubstr("  api-key:\n    file: ./secrets/api-key.secret\n"));
  EXPECT_THAT(*read_file(dir_ / "generated/kubernetes/overlays/local/kustomization.yaml"),
              HasSubstr("- name: api-key\n  files:\n  - api-key=secrets/api-key.secret\n"));
}

}  // namespace
}  // namespace fusion
