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

TEST_F(DiscoveryTest, LongWalksAreSummarised) {
  fs::path deep = root_ / "a" / "b" / "c" / "d" / "e";
  fs::create_directories(deep);
  auto result = find_registry(deep, root_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "no fusion.yaml found in " + deep.string() +
                                " and its 5 parent folders; create one with 'fusion init' or name "
                                "one with -f");
}

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
  auto result = find_registry(root_ / "a" / "b", root_);  // never above root_, whatever is there
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), "no fusion.yaml found in " + (root_ / "a" / "b").string() + ", " +
                                (root_ / "a").string() + ", " + root_.string() +
                                "; create one with 'fusion init' or name one with -f");
}

}  // namespace
}  // namespace fusion
