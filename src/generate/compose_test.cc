#include "generate/compose.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "generate/generate_test_support.h"
#include "util/file.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::mapping_fixture;

std::vector<std::string> keys(const FileSet& files) {
  std::vector<std::string> out;
  for (const auto& [path, content] : files) out.push_back(path);
  return out;
}

TEST(ComposeTest, MapsEveryFieldOfALocalSourceService) {
  auto f = mapping_fixture();
  YamlData expected = YamlData::parse(R"({
    "container_name": "mapping-api",
    "image": "localhost/mapping/api:local",
    "build": {"context": "../../app", "dockerfile": "Dockerfile", "args": {"VERSION": "1.0"}},
    "environment": {"LOG_LEVEL": "${LOG_LEVEL:-info}", "MODE": "on"},
    "ports": ["8080:8080", "9090"],
    "networks": {"data": {"aliases": ["api.mapping.test"]},
                 "edge": {"aliases": ["backend", "api.mapping.test"]}},
    "depends_on": {"setup": {"condition": "service_completed_successfully"},
                   "db": {"condition": "service_healthy"},
                   "cache": {"condition": "service_started"}},
    "healthcheck": {"test": ["CMD-SHELL", "curl -fsS -o /dev/null http://localhost:8080/healthz || wget -q -O /dev/null http://localhost:8080/healthz"],
                    "interval": "3s", "timeout": "2s", "retries": 5, "start_period": "10s"},
    "mem_limit": 1073741824,
    "cpus": 2.0,
    "labels": {"team": "core", "io.fusion.stack": "mapping", "io.fusion.service": "api"}
  })");
  EXPECT_EQ(compose_service(f.ctx, f.service("api")).dump(2), expected.dump(2));
}

testing::Fixture every_key_fixture() {
  return testing::load_fixture(
      *read_file(FUSION_SOURCE_DIR "/tests/fixtures/every-key/fusion.yaml"));
}

TEST(ComposeTest, ComposeNamedKeysAreWrittenAsComposeWritesThem) {
  auto f = every_key_fixture();
  YamlData pg = compose_service(f.ctx, f.service("postgres"));
  EXPECT_EQ(pg["restart"], "unless-stopped");
  EXPECT_EQ(pg["user"], "999:999");
  EXPECT_EQ(pg["shm_size"], 268435456);
  EXPECT_EQ(pg["ulimits"].dump(), R"({"nofile":{"soft":20000,"hard":40000}})");
  EXPECT_EQ(pg["volumes"], YamlData({"pgdata:/var/lib/postgresql/data:Z"}));
  EXPECT_EQ(pg["expose"], YamlData({"5432"}));
  EXPECT_EQ(pg["stop_grace_period"], "20s");
  EXPECT_EQ(pg["secrets"], YamlData({"db-password"}));
  YamlData migrate = compose_service(f.ctx, f.service("migrate"));
  EXPECT_EQ(migrate["entrypoint"], YamlData({"/usr/local/bin/docker-entrypoint.sh", "--"}));
  EXPECT_EQ(migrate["restart"], "on-failure:3");
  EXPECT_EQ(migrate["env_file"].dump(),
            R"(["../../config/app.env",{"path":"../../config/local.env","required":false}])");
  YamlData api = compose_service(f.ctx, f.service("api"));
  EXPECT_FALSE(api.contains("container_name"));  // replicas: compose names them
  EXPECT_EQ(api["scale"], 2);
  EXPECT_EQ(api["extra_hosts"],
            YamlData({"host.docker.internal:host-gateway", "metadata.internal:169.254.169.254"}));
  EXPECT_EQ(api["secrets"][0].dump(), R"({"source":"api_token","target":"token","mode":288})");
  EXPECT_EQ(compose_service(f.ctx, f.service("gateway"))["container_name"], "every-key-gateway");
  EXPECT_EQ(
      compose_service(f.ctx, f.service("transcoder"))["deploy"].dump(),
      R"({"resources":{"reservations":{"devices":[{"driver":"nvidia","capabilities":["gpu"],"count":1}]}}})");
  std::string file = generate_compose(f.ctx, {})["compose/compose.default.yaml"];
  EXPECT_THAT(file, HasSubstr("  backend:\n    driver: bridge\n    ipam:\n      config:\n"
                              "      - subnet: 10.89.77.0/24\n        gateway: \"10.89.77.1\"\n"));
  EXPECT_THAT(file, HasSubstr("secrets:\n  db-password:\n    file: ./secrets/db-password.secret\n"
                              "  api_token:\n    file: ../../config/api-token.txt\n"
                              "  smtp_password:\n    environment: SMTP_PASSWORD\n"));
  EXPECT_THAT(file, HasSubstr("  edge:\n    name: every-key-edge-net\n"));
}

TEST(ComposeTest, AServiceThatNamesTheDefaultNetworkStaysOnIt) {
  auto f = testing::load_fixture(R"(version: 1
name: s
services:
  db: { image: db:1, networks: { default: {}, backend: { aliases: [postgres] } } }
  web: { image: web:1, subdomain: web }
networks: { default: {}, backend: {} }
)");
  std::string file = generate_compose(f.ctx, {})["compose/compose.default.yaml"];
  EXPECT_THAT(file, HasSubstr("    networks:\n    - default\n    - backend\n"));
  EXPECT_THAT(file, HasSubstr("  web:\n    container_name: s-web\n    image: web:1\n    labels:"));
}

TEST(ComposeTest, SecretsGoToAnEnvFileNeverIntoTheComposeFile) {
  auto f = mapping_fixture();
  YamlData db = compose_service(f.ctx, f.service("db"));
  EXPECT_EQ(db["env_file"], YamlData({"secrets/db.env"}));
  EXPECT_FALSE(db["environment"].contains("POSTGRES_PASSWORD"));
  YamlData setup = compose_service(f.ctx, f.service("setup"));
  EXPECT_FALSE(setup.contains("environment"));  // DATABASE_URL holds a secret
  EXPECT_EQ(setup["env_file"], YamlData({"secrets/setup.env"}));
  for (const auto& [path, content] : generate_compose(f.ctx, {})) {
    EXPECT_THAT(content, ::testing::Not(HasSubstr("secret:"))) << path;
  }
}

TEST(ComposeTest, ExecTcpAndContainerHealthForms) {
  auto f = mapping_fixture();
  EXPECT_EQ(compose_service(f.ctx, f.service("db"))["healthcheck"]["test"],
            YamlData({"CMD", "pg_isready", "-U", "postgres"}));
  EXPECT_EQ(compose_service(f.ctx, f.service("cache"))["healthcheck"]["test"][1],
            "nc -z localhost 6379 || bash -c 'exec 3<>/dev/tcp/localhost/6379'");
  // `container: true` keeps the image's own HEALTHCHECK: no healthcheck key at all.
  EXPECT_FALSE(compose_service(f.ctx, f.service("dns")).contains("healthcheck"));
  EXPECT_EQ(compose_service(f.ctx, f.service("dns"))["ports"], YamlData({"5353:53/udp"}));
}

TEST(ComposeTest, OneFilePerGroupWithAliasesApartAndComposeFileInDotEnv) {
  auto f = mapping_fixture();
  FileSet files = generate_compose(f.ctx, {});
  EXPECT_THAT(keys(files),
              ElementsAre("compose/.env", "compose/.gitignore", "compose/compose.apps.yaml",
                          "compose/compose.data.yaml", "compose/compose.default.yaml",
                          "compose/compose.network-aliases.yaml"));
  EXPECT_THAT(files["compose/.env"],
              HasSubstr("COMPOSE_PROJECT_NAME=mapping\nCOMPOSE_PATH_SEPARATOR=:\nCOMPOSE_FILE="
                        "compose.apps.yaml:compose.data.yaml:compose.default.yaml:"
                        "compose.network-aliases.yaml\n"));
  EXPECT_THAT(files["compose/compose.apps.yaml"],
              HasSubstr("    networks:\n    - data\n    - edge\n"));
  EXPECT_THAT(files["compose/compose.network-aliases.yaml"],
              HasSubstr("  api:\n    networks:\n      data:\n        aliases:\n        - "
                        "api.mapping.test\n      edge:\n        aliases:\n        - backend\n"
                        "        - api.mapping.test\n"));
  for (const auto& [path, content] : files) EXPECT_TRUE(is_generated_by_fusion(content)) << path;
}

TEST(ComposeTest, SingleModeWritesOneServiceFile) {
  auto f = mapping_fixture();
  FileSet files = generate_compose(f.ctx, {.single = true});
  EXPECT_THAT(keys(files),
              ElementsAre("compose/.env", "compose/.gitignore",
                          "compose/compose.network-aliases.yaml", "compose/compose.yaml"));
  const std::string& all = files["compose/compose.yaml"];
  for (const char* name : {"db", "cache", "dns", "setup", "api", "admin"}) {
    EXPECT_THAT(all, HasSubstr(fmt::format("\n  {}:\n    container_name", name)));
  }
  EXPECT_THAT(all, HasSubstr("volumes:\n  dbdata: {}\n"));
  EXPECT_THAT(all, HasSubstr("    profiles:\n    - debug\n"));
}

TEST(ComposeTest, QuotesValuesYamlWouldMisread) {
  auto f = mapping_fixture();
  std::string data = generate_compose(f.ctx, {})["compose/compose.data.yaml"];
  EXPECT_THAT(data, HasSubstr("POSTGRES_DB: \"0123\"\n"));
  EXPECT_THAT(data, HasSubstr("FLAG: \"yes\"\n"));
  EXPECT_THAT(data, HasSubstr("- \"127.0.0.1:15432:5432\"\n"));
}

TEST(ComposeTest, ConfigHashFollowsTheDefinition) {
  auto f = mapping_fixture();
  YamlData api = compose_service(f.ctx, f.service("api"));
  std::string before = config_hash(api);
  EXPECT_EQ(before.size(), 16u);
  EXPECT_EQ(config_hash(api), before);
  api["environment"]["MODE"] = "off";
  EXPECT_NE(config_hash(api), before);
}

TEST(ComposeTest, OutputIsByteIdenticalAcrossRuns) {
  auto a = mapping_fixture();
  auto b = mapping_fixture();
  EXPECT_EQ(generate_compose(a.ctx, {}), generate_compose(b.ctx, {}));
}

}  // namespace
}  // namespace fusion
