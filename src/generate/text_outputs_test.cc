// .env.example and SERVICES.md, and the templates they come from.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "generate/env_example.h"
#include "generate/generate_test_support.h"
#include "generate/inventory.h"

namespace fusion {
namespace {

using ::testing::HasSubstr;
using testing::mapping_fixture;
using ::testing::Not;

TEST(EnvExampleTest, ListsVariablesWithDefaultsAndSecretsByNameOnly) {
  auto f = mapping_fixture();
  FileSet files = *generate_env_example(f.ctx, {});
  const std::string& text = files[".env.example"];
  EXPECT_TRUE(is_generated_by_fusion(text));
  EXPECT_THAT(text, HasSubstr("# Optional: defaults to 'info'.\n# Used by: api\nLOG_LEVEL=info\n"));
  EXPECT_THAT(text, HasSubstr("#   db-password (used by: db, setup)\n"));
  EXPECT_THAT(text, Not(HasSubstr("db-password=")));
}

TEST(EnvExampleTest, RequiredVariablesSayWhy) {
  auto f = testing::load_fixture(R"(version: 1
name: s
services:
  a: { image: "a:${TAG:?set the release tag}", env: { URL: "$HOST/x" } }
)");
  const std::string text = generate_env_example(f.ctx, {})->at(".env.example");
  EXPECT_THAT(text, HasSubstr("# Required: set the release tag\n# Used by: a\nTAG=\n"));
  EXPECT_THAT(text, HasSubstr("# No default: empty when unset.\n# Used by: a\nHOST=\n"));
}

TEST(InventoryTest, TableAndMermaidGraph) {
  auto f = mapping_fixture();
  const std::string text = generate_inventory(f.ctx, {})->at("SERVICES.md");
  EXPECT_TRUE(is_generated_by_fusion(text));
  EXPECT_THAT(text, HasSubstr("| **api** | `./app` | apps | 8080 (host 8080), 9090 | setup "
                              "(completed), db (healthy), cache (started) | "
                              "http://api.mapping.test |\n"));
  EXPECT_THAT(text, HasSubstr("```mermaid\nflowchart LR\n"));
  EXPECT_THAT(text, HasSubstr("api -->|healthy| db"));
}

TEST(TemplatesTest, ATeamTemplateOverridesFusionsOwn) {
  auto f = mapping_fixture();
  Templates team;
  team.overrides["SERVICES.md.mustache"] =
      "{{header}}\n{{#services}}- {{name}}|{{url}}\n{{/services}}";
  const std::string text = generate_inventory(f.ctx, team)->at("SERVICES.md");
  EXPECT_THAT(text, HasSubstr("\n- db|\n"));
  EXPECT_THAT(text, HasSubstr("\n- api|http://api.mapping.test\n"));
}

TEST(TemplatesTest, ABrokenTemplateIsAnErrorNamingIt) {
  auto f = mapping_fixture();
  Templates team;
  team.overrides["SERVICES.md.mustache"] = "{{#services}}unclosed";
  auto result = generate_inventory(f.ctx, team);
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error(), HasSubstr("template SERVICES.md.mustache: "));
}

TEST(TemplatesTest, MarkdownCellsEscapePipes) {
  EXPECT_EQ(markdown_cell_escape("a|b\nc"), "a\\|b<br>c");
}

}  // namespace
}  // namespace fusion
