#include "generate/output_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "util/file.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

class OutputFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("fusion-output-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  Status write(const FileSet& files) {
    OutputFolder folder(root_ / "out");
    OutputPlan plan = folder.plan(files);
    if (!plan.refusals.empty()) return Error{plan.refusals.front()};
    return folder.apply(plan);
  }

  fs::path root_;
};

const std::string kA = generated_header("#") + "a: 1\n";
const std::string kB = generated_header("#") + "b: 1\n";

TEST_F(OutputFolderTest, WritesFilesAndManifestThenRemovesWhatIsNoLongerGenerated) {
  ASSERT_TRUE(write({{"compose/a.yaml", kA}, {"compose/b.yaml", kB}}));
  EXPECT_EQ(*read_file(root_ / "out/compose/a.yaml"), kA);
  EXPECT_EQ(*read_file(root_ / "out/.fusion-generated"),
            render_manifest({"compose/a.yaml", "compose/b.yaml"}));

  ASSERT_TRUE(write({{"compose/a.yaml", kA}}));
  EXPECT_FALSE(fs::exists(root_ / "out/compose/b.yaml"));
  EXPECT_TRUE(OutputFolder(root_ / "out").plan({{"compose/a.yaml", kA}}).changes.empty());
}

TEST_F(OutputFolderTest, KeepsTheModeOfAFileItReplaces) {
  ASSERT_TRUE(write({{"run.sh", kA}}));
  fs::permissions(root_ / "out/run.sh", fs::perms(0750));
  ASSERT_TRUE(write({{"run.sh", kB}}));
  EXPECT_EQ(fs::status(root_ / "out/run.sh").permissions(), fs::perms(0750));
}

TEST_F(OutputFolderTest, NeverFollowsASymbolicLinkOutOfTheFolder) {
  fs::create_directories(root_ / "out");
  fs::create_directories(root_ / "elsewhere");
  fs::create_directory_symlink(root_ / "elsewhere", root_ / "out/compose");
  Status written = write({{"compose/a.yaml", kA}});
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().find("is a symbolic link"), std::string::npos) << written.error();
  EXPECT_FALSE(fs::exists(root_ / "elsewhere/a.yaml"));
}

TEST_F(OutputFolderTest, LeavesAFileItDidNotGenerateUntouched) {
  fs::create_directories(root_ / "out");
  ASSERT_TRUE(write_file_atomically(root_ / "out/notes.md", "mine\n"));
  EXPECT_FALSE(write({{"notes.md", kA}}));
  EXPECT_EQ(*read_file(root_ / "out/notes.md"), "mine\n");
}

}  // namespace
}  // namespace fusion
