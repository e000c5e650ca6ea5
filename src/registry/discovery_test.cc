#include "registry/discovery.h"

#include <gtest/gtest.h>

#include <fstream>

namespace fusion {
namespace {

namespace fs = std::filesystem;

class DiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("fusion-discovery-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "a" / "b" / "c");
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(DiscoveryTest, WalksUpToTheNearestRegistry) {
  std::ofstream(root_ / "fusion.yaml") << "version: 1\n";
  std::ofstream(root_ / "a" / "fusion.yaml") << "version: 1\n";
  EXPECT_EQ(find_registry(root_ / "a" / "b" / "c").value(), root_ / "a" / "fusion.yaml");
  EXPECT_EQ(find_registry(root_).value(), root_ / "fusion.yaml");
  EXPECT_FALSE(find_overlay(root_ / "fusion.yaml").has_value());
  std::ofstream(root_ / "fusion.local.yaml") << "local: []\n";
  EXPECT_EQ(find_overlay(root_ / "fusion.yaml").value(), root_ / "fusion.local.yaml");
}

TEST_F(DiscoveryTest, MissingRegistrySaysWhereItLooked) {
  // Below the temp folder there is no fusion.yaml, unless the machine has one higher up.
  if (find_registry(fs::temp_directory_path()).ok()) GTEST_FAIL() << "a fusion.yaml above /tmp";
  auto result = find_registry(root_ / "a" / "b");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("no fusion.yaml found in " + (root_ / "a" / "b").string()),
            std::string::npos);
  EXPECT_NE(
      result.error().find("parent folders; create one with 'fusion init' or name one with -f"),
      std::string::npos);
}

}  // namespace
}  // namespace fusion
