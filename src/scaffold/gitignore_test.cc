#include "scaffold/gitignore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(GitignoreTest, AppendsWhatIsMissingAndKeepsTheRest) {
  std::vector<std::string> added;
  EXPECT_EQ(with_ignore_entries("node_modules\n/.fusion\n", fusion_ignore_entries(), added),
            "node_modules\n/.fusion\n# fusion: secret values and each developer's overrides stay "
            "out of git\nfusion.local.yaml\n");
  EXPECT_EQ(added, std::vector<std::string>{"fusion.local.yaml"});
}

TEST(GitignoreTest, NothingMissingChangesNothing) {
  std::vector<std::string> added;
  std::string text = "*.log\n.fusion/\nfusion.local.yaml";
  EXPECT_EQ(with_ignore_entries(text, fusion_ignore_entries(), added), text);
  EXPECT_TRUE(added.empty());
}

TEST(GitignoreTest, AnEmptyFileGetsBoth) {
  std::vector<std::string> added;
  EXPECT_THAT(with_ignore_entries("", fusion_ignore_entries(), added),
              ::testing::EndsWith(".fusion/\nfusion.local.yaml\n"));
  EXPECT_EQ(added.size(), 2u);
}

}  // namespace
}  // namespace fusion
