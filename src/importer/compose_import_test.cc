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
                              "services:\n  api:\n    image: a:1\n    logging: {driver: none}\n"
                              "    links: [db]\n    restart: always\n"}});
  std::string notes = notes_of(r);
  EXPECT_THAT(notes, HasSubstr("compose.yaml:4:5 service 'api': 'logging' is not represented"));
  EXPECT_THAT(notes, HasSubstr("compose.yaml:5:5 service 'api': 'links' is not represented"));
  EXPECT_THAT(r.registry_text, HasSubstr("    restart: always\n"));
}

TEST(ComposeImportTest, KeepsTheComposeNamedKeysInTheirUnits) {
  ImportResult r = imported(
      {{"compose.yaml",
        "services:\n  api:\n    image: a:1\n    env_file: .env\n    entrypoint: [tini, --]\n"
        "    shm_size: 2gb\n    tmpfs: /run:size=64m\n    ulimits: {nofile: {soft: 10, hard: 20}, "
        "nproc: 65535}\n    init: true\n    stop_grace_period: 1m30s\n    expose: ['3003']\n"
        "    ports: ['${WEB_PORT:-8080}:80']\n"
        "    volumes: ['${DATA:-./data}:/data:z', {type: tmpfs, target: /cache, tmpfs: {size: "
        "1m}}]\n"
        "    deploy: {resources: {reservations: {devices: [{driver: nvidia, count: 1, "
        "capabilities: [gpu]}]}}}\n"}});
  EXPECT_THAT(r.registry_text, HasSubstr("    env_file:\n    - ./.env\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("    entrypoint:\n    - tini\n    - --\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("    shm_size: 2Gi\n"));
  EXPECT_THAT(r.registry_text,
              HasSubstr("    tmpfs:\n    - /run:size=67108864\n    - /cache:size=1048576\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("      nofile:\n        soft: 10\n        hard: 20\n"
                                         "      nproc: 65535\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("    init: true\n    stop_grace_period: 1m30s\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("    - ${DATA:-./data}:/data:z\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("    ports:\n    - \"80\"\n"));
  EXPECT_THAT(notes_of(r), HasSubstr("publishes on a host port or address from a variable"));
  EXPECT_THAT(r.registry_text, HasSubstr("    gpus:\n    - driver: nvidia\n      count: 1\n"));
}

TEST(ComposeImportTest, IncludeAndExtendsAreFollowed) {
  std::map<std::string, std::string> disk = {
      {"infra/db.yaml", "services:\n  db:\n    image: postgres:16\n"},
      {"common.yaml",
       "services:\n  base:\n    image: app:1\n    environment: {A: '1'}\n"
       "    depends_on: [db]\n"}};
  auto read = [&](const std::string& path) -> Result<std::string> {
    auto it = disk.find(path);
    if (it == disk.end()) return Error{"no such file"};
    return it->second;
  };
  auto m = merge_compose_files(
      {{"compose.yaml",
        "include: [infra/db.yaml]\nservices:\n  web:\n    extends: {file: common.yaml, service: "
        "base}\n    environment: {B: '2'}\n  worker:\n    extends: web\n    command: work\n"}},
      read);
  ASSERT_TRUE(m) << m.error();
  const ComposeValue& services = m->document["services"];
  EXPECT_EQ(services["db"]["image"], "postgres:16");
  EXPECT_EQ(services["web"]["image"], "app:1");
  EXPECT_EQ(services["web"]["environment"].dump(), R"({"A":"1","B":"2"})");
  EXPECT_FALSE(services["web"].contains("depends_on"));
  EXPECT_EQ(services["worker"]["command"], "work");
  EXPECT_FALSE(services["worker"].contains("extends"));
  auto missing = merge_compose_files({{"c.yaml", "services:\n  a:\n    extends: nope\n"}}, read);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), "c.yaml: extends service 'nope', which c.yaml does not define");
}

TEST(ComposeImportTest, RenamedNamesKeepTheOldNameAsAnAlias) {
  ImportResult r = imported({{"compose.yaml",
                              "services:\n  photos_server:\n    image: a:1\n"
                              "    volumes: ['model_cache:/cache']\n  ml:\n    image: m:1\n"
                              "    networks: [db_net]\nnetworks:\n  db_net: {}\n"
                              "volumes:\n  model_cache: {}\n"}});
  EXPECT_THAT(r.registry_text, HasSubstr("  photos-server:\n    image: a:1\n    volumes:\n"
                                         "    - model-cache:/cache\n    networks:\n"
                                         "      default:\n        aliases:\n        - "
                                         "photos_server\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("    networks:\n      db-net: {}\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("networks:\n  db-net: {}\n  default: {}\n"));
  EXPECT_THAT(r.registry_text, HasSubstr("volumes:\n  model-cache: {}\n"));
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

TEST(ComposeImportTest, TimingsAndShellBuildArgsTakeTheProjectsDotEnvValues) {
  ImportOptions options;
  options.compose_dir = "/src/sentry";
  options.registry_dir = "/src/sentry";
  options.variables = {{"HC_TIMEOUT", "1m30s"}, {"HC_RETRIES", "10"}, {"BASE", "debian:12"}};
  ImportResult r = import_compose(
      merged({{"compose.yaml",
               "services:\n  api:\n    build: {context: ., args: [BASE, MISSING]}\n"
               "    healthcheck:\n      test: [CMD, true]\n      timeout: $HC_TIMEOUT\n"
               "      retries: ${HC_RETRIES}\n      interval: ${HC_INTERVAL:-5s}\n"
               "      start_period: ${UNSET}\n"}}),
      options);
  EXPECT_THAT(r.registry_text, HasSubstr("timeout: 1m30s"));
  EXPECT_THAT(r.registry_text, HasSubstr("retries: 10"));
  EXPECT_THAT(r.registry_text, HasSubstr("interval: 5s"));
  EXPECT_THAT(r.registry_text, HasSubstr("BASE: debian:12"));
  std::string notes = notes_of(r);
  EXPECT_THAT(notes, HasSubstr("arg MISSING takes its value from the shell"));
  EXPECT_THAT(notes, HasSubstr("start_period \"${UNSET}\" is not a duration"));
  EXPECT_THAT(notes, ::testing::Not(HasSubstr("HC_TIMEOUT")));
}

TEST(ComposeImportTest, ADisabledHealthCheckIsNotedAndSecretFilesAreRebased) {
  ImportOptions options;
  options.compose_dir = "/src/photos";
  options.registry_dir = "/src";
  ImportResult r = import_compose(
      merged({{"compose.yaml",
               "services:\n  api:\n    image: a:1\n    healthcheck: {disable: true}\n"
               "    secrets: [db_password]\n"
               "secrets:\n  db_password:\n    file: ./secrets/db.txt\n"}}),
      options);
  EXPECT_THAT(notes_of(r), HasSubstr("'healthcheck' disabled is not represented"));
  EXPECT_THAT(r.registry_text, HasSubstr("file: ./photos/secrets/db.txt"));
}

}  // namespace
}  // namespace fusion
