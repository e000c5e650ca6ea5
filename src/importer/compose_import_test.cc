#include "importer/compose_import.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/yaml_tree.h"

namespace fusion {
namespace {

using ::testing::HasSubstr;

MergedCompose merged(const std::vector<ComposeFileText>& files) {
  auto result = merge_compose_files(files);
  EXPECT_TRUE(result) << (result ? "" : result.error());
  return result ? *result : MergedCompose{};
}

ImportResult imported(const std::vector<ComposeFileText>& files) {
  ImportOptions options;
  options.compose_dir = "/src/shop";
  options.registry_dir = "/src/shop";
  return import_compose(merged(files), options);
}

std::string notes_of(const ImportResult& r) {
  std::string out;
  for (const ImportNote& n : r.notes) out += n.where + " " + n.message + "\n";
  return out;
}

TEST(ComposeMergeTest, LaterFilesMergeMapsAppendPortsAndReplaceVolumesByTarget) {
  MergedCompose m =
      merged({{"a.yaml",
               "services:\n  api:\n    image: a:1\n    environment: [A=1, B=2]\n    ports: ['80']\n"
               "    volumes: ['./x:/data', 'logs:/logs']\n    command: run\n"},
              {"b.yaml",
               "services:\n  api:\n    environment: {B: 3, C: 4}\n    ports: ['81']\n"
               "    volumes: ['./y:/data']\n    command: [serve]\n"}});
  const ComposeValue& api = m.document["services"]["api"];
  EXPECT_EQ(api["environment"].dump(), R"({"A":"1","B":"3","C":"4"})");
  EXPECT_EQ(api["ports"].dump(), R"(["80","81"])");
  EXPECT_EQ(api["volumes"].dump(), R"(["logs:/logs","./y:/data"])");
  EXPECT_EQ(api["command"].dump(), R"(["serve"])");
  EXPECT_EQ(m.origin("api", "command"), "b.yaml:6:5");
}

TEST(ComposeMergeTest, SyntaxErrorsNameTheFileAndPosition) {
  auto result = merge_compose_files({{"bad.yaml", "services:\n  api: [\n"}});
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error(), HasSubstr("bad.yaml:"));
}

TEST(ComposeImportTest, ReportsWhatFusionCannotHoldWithFileAndLine) {
  ImportResult r = imported({{"compose.yaml",
                              "services:\n  api:\n    image: a:1\n    restart: always\n"
                              "    env_file: .env\n    entrypoint: [tini]\n"}});
  std::string notes = notes_of(r);
  EXPECT_THAT(notes, HasSubstr("compose.yaml:4:5 service 'api': 'restart' is not represented"));
  EXPECT_THAT(notes, HasSubstr("compose.yaml:5:5 service 'api': 'env_file' is not represented"));
  EXPECT_THAT(notes, HasSubstr("compose.yaml:6:5 service 'api': 'entrypoint'"));
  EXPECT_THAT(r.registry_text, ::testing::Not(HasSubstr("restart")));
}

TEST(ComposeImportTest, KeepsVariablesAndConvertsConditionsHealthAndResources) {
  ImportResult r = imported(
      {{"compose.yaml",
        "services:\n  db:\n    image: postgres:${PG_TAG:-16}\n    healthcheck:\n"
        "      test: [CMD-SHELL, pg_isready]\n      interval: 5s\n  api:\n    build: ./api\n"
        "    depends_on: {db: {condition: service_healthy}}\n    mem_limit: 1g\n    cpus: "
        "0.25\n"}});
  EXPECT_THAT(r.registry_text, HasSubstr("image: postgres:${PG_TAG:-16}"));
  EXPECT_THAT(r.registry_text,
              HasSubstr("      exec:\n      - sh\n      - -c\n      - pg_isready\n"
                        "      interval: 5s\n      timeout: 30s\n      retries: 3\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("    path: ./api\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("      db: healthy\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("      memory: 1Gi\n      cpus: 250m\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("name: shop\n"));
  EXPECT_EQ(r.services, 2u);
}

TEST(ComposeImportTest, RenamesServicesFusionCannotNameAndTheirDependents) {
  ImportResult r = imported({{"compose.yaml",
                              "services:\n  Api_V2:\n    image: a:1\n  web:\n    image: w:1\n"
                              "    depends_on: [Api_V2]\n"}});
  EXPECT_THAT(r.registry_text, HasSubstr("  api-v2:\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("      api-v2: started\n"));
  EXPECT_THAT(notes_of(r), HasSubstr("service 'Api_V2' is named 'api-v2'"));
}

TEST(ComposeImportTest, DockerMemoryUnitsAreBinary) {
  EXPECT_EQ(parse_docker_memory("512m").value(), 512u << 20);
  EXPECT_EQ(parse_docker_memory("1GB").value(), 1u << 30);
  EXPECT_EQ(parse_docker_memory("1048576").value(), 1u << 20);
  EXPECT_FALSE(parse_docker_memory("lots"));
}

}  // namespace
}  // namespace fusion
