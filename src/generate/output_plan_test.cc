#include "generate/output_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "generate/unified_diff.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::string kOurs = generated_header("#") + "a: 1\n";

ReadExisting disk(std::map<std::string, std::string> files) {
  return [files = std::move(files)](const std::string& path) -> std::optional<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
}

std::vector<std::string> summary(const OutputPlan& plan) {
  std::vector<std::string> out;
  for (const FileChange& c : plan.changes) {
    const char* kind = c.kind == ChangeKind::kCreate   ? "create "
                       : c.kind == ChangeKind::kUpdate ? "update "
                                                       : "remove ";
    out.push_back(kind + c.path);
  }
  return out;
}

TEST(OutputPlanTest, CreatesUpdatesAndLeavesIdenticalFilesAlone) {
  FileSet wanted = {{"new.yaml", kOurs}, {"same.yaml", kOurs}, {"changed.yaml", kOurs}};
  OutputPlan plan = plan_output(wanted, {"same.yaml", "changed.yaml"},
                                disk({{"same.yaml", kOurs}, {"changed.yaml", "# old\n"}}));
  EXPECT_THAT(summary(plan), ElementsAre("update changed.yaml", "create new.yaml"));
  EXPECT_THAT(plan.refusals, IsEmpty());
  EXPECT_EQ(plan.manifest, (std::set<std::string>{"changed.yaml", "new.yaml", "same.yaml"}));
}

TEST(OutputPlanTest, RefusesToOverwriteAFileFusionDidNotGenerate) {
  OutputPlan plan =
      plan_output({{"compose/apps.yaml", kOurs}}, {}, disk({{"compose/apps.yaml", "mine\n"}}));
  EXPECT_THAT(plan.changes, IsEmpty());
  EXPECT_THAT(plan.refusals, ElementsAre("compose/apps.yaml exists and fusion did not generate "
                                         "it; move it away or choose another output folder"));
}

TEST(OutputPlanTest, RecognizesItsOwnFilesByHeaderWhenTheManifestIsLost) {
  OutputPlan plan =
      plan_output({{"a.yaml", kOurs}}, {}, disk({{"a.yaml", generated_header("#") + "a: 0\n"}}));
  EXPECT_THAT(summary(plan), ElementsAre("update a.yaml"));
}

TEST(OutputPlanTest, RemovesStaleGeneratedFilesButNotHandEditedOnes) {
  OutputPlan plan = plan_output({}, {"gone.yaml", "taken-over.yaml", "missing.yaml", "../x"},
                                disk({{"gone.yaml", kOurs}, {"taken-over.yaml", "mine\n"}}));
  EXPECT_THAT(summary(plan), ElementsAre("remove gone.yaml"));
  EXPECT_THAT(plan.notes, ElementsAre("left taken-over.yaml in place: fusion no longer generates "
                                      "it, and its header is gone, so it was edited by hand"));
  EXPECT_THAT(plan.manifest, IsEmpty());
}

TEST(OutputPlanTest, NeverWritesOutsideTheFolder) {
  for (const char* path : {"../x", "/etc/passwd", "a/../../x", "a//b", "./a", "a\\b", ""}) {
    EXPECT_FALSE(check_output_path(path)) << path;
    OutputPlan plan = plan_output({{path, kOurs}}, {}, disk({}));
    EXPECT_THAT(plan.changes, IsEmpty()) << path;
    EXPECT_EQ(plan.refusals.size(), 1u) << path;
  }
  EXPECT_TRUE(check_output_path("kubernetes/base/api.yaml"));
}

TEST(OutputPlanTest, ManifestRoundTrips) {
  std::set<std::string> paths = {"a.yaml", "b/c.yaml"};
  EXPECT_EQ(parse_manifest(render_manifest(paths)), paths);
}

TEST(UnifiedDiffTest, ShowsChangedLinesWithContext) {
  EXPECT_EQ(unified_diff("x.yaml", "a\nb\nc\n", "a\nB\nc\n"),
            "--- a/x.yaml\n+++ b/x.yaml\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  EXPECT_EQ(unified_diff("new.yaml", "", "a\n"),
            "--- /dev/null\n+++ b/new.yaml\n@@ -0,0 +1,1 @@\n+a\n");
  EXPECT_EQ(unified_diff("old.yaml", "a\nb\n", ""),
            "--- a/old.yaml\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n");
}

}  // namespace
}  // namespace fusion
