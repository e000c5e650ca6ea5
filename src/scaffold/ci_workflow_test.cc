#include "scaffold/ci_workflow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/yaml_tree.h"

namespace fusion {
namespace {

using ::testing::HasSubstr;

const YamlNode* at(const YamlNode& node, std::string_view key) {
  for (const YamlNode::Entry& e : node.entries()) {
    if (e.key->Scalar() == key) return e.value;
  }
  return nullptr;
}

TEST(CiWorkflowTest, ValidatesChecksGeneratedFilesAndBuildsEachImage) {
  CiWorkflowInput input{"shop",
                        "fusion.yaml",
                        {{"api", "services/api", "services/api/Dockerfile"},
                         {"web", "services/web", "services/web/Dockerfile.prod"}}};
  auto text = render_ci_workflow(input, Templates{});
  ASSERT_TRUE(text) << text.error();
  EXPECT_TRUE(ci_workflow_by_fusion(*text));
  auto parsed = YamlDocument::parse(*text);
  ASSERT_TRUE(std::holds_alternative<YamlDocument>(parsed)) << *text;
  const YamlNode& root = std::get<YamlDocument>(parsed).root();
  const YamlNode* jobs = at(root, "jobs");
  ASSERT_TRUE(jobs && at(*jobs, "registry") && at(*jobs, "images"));
  EXPECT_THAT(*text, HasSubstr("run: fusion -f fusion.yaml validate"));
  EXPECT_THAT(*text, HasSubstr("run: fusion -f fusion.yaml generate --check"));
  const YamlNode* include = at(*at(*at(*jobs, "images"), "strategy"), "matrix");
  ASSERT_TRUE(include);
  const YamlNode* entries = at(*include, "include");
  ASSERT_EQ(entries->items().size(), 2u);
  EXPECT_EQ(at(*entries->items()[1], "dockerfile")->Scalar(), "services/web/Dockerfile.prod");
  EXPECT_THAT(*text, HasSubstr("--tag \"shop/${{ matrix.service }}:${{ github.sha }}\""));
}

TEST(CiWorkflowTest, WithoutLocalImagesThereIsNoBuildJob) {
  auto text = render_ci_workflow({"shop", "deploy/fusion.yaml", {}}, Templates{});
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, ::testing::Not(HasSubstr("images:")));
  EXPECT_THAT(*text, HasSubstr("fusion -f deploy/fusion.yaml validate"));
}

}  // namespace
}  // namespace fusion
