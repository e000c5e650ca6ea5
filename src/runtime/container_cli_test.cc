#include "runtime/container_cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/docker.h"
#include "runtime/podman.h"
#include "util/file.h"
#include "util/strings.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// Records every command and answers from a table keyed by the command's first words.
class FakeProcesses : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override {
    std::string line = join(spec.argv, " ");
    commands.push_back(line);
    auto flag = std::find(spec.argv.begin(), spec.argv.end(), "--env-file");
    if (flag != spec.argv.end() && flag + 1 != spec.argv.end()) {
      auto env = read_file(*(flag + 1));  // exists while the command runs
      env_file_content = env.ok() ? *env : "";
    }
    for (const auto& [prefix, result] : answers) {
      if (line.starts_with(prefix)) return result;
    }
    return {.exit_code = 0};
  }
  std::vector<std::string> commands;
  std::vector<std::pair<std::string, ProcessResult>> answers;
  std::string env_file_content;
};

TEST(ContainerCliTest, CreateArgumentsCarryEverythingButTheEnv) {
  ContainerSpec spec;
  spec.name = "shop-db";
  spec.image = "postgres:16";
  spec.command = {"postgres", "-c", "fsync=off"};
  spec.env = {{"PASSWORD", "hunter2"}};
  spec.ports = {{"127.0.0.1", 5432, 5432, "tcp"}, {"", 0, 8080, "tcp"}, {"", 3000, 80, "tcp"}};
  spec.mounts = {{"shop_pgdata", "/data", false}, {"/src/init", "/init", true}};
  spec.networks = {{"shop_backend", {"db", "database"}}};
  spec.labels = {{"io.fusion.service", "db"}};
  spec.memory_bytes = 1024;
  spec.millicpus = 1500;
  EXPECT_EQ(join(create_arguments(spec), " "),
            "create --name shop-db --init --label io.fusion.service=db --network shop_backend "
            "--network-alias db --network-alias database -p 127.0.0.1:5432:5432/tcp -p 8080/tcp "
            "-p 3000:80/tcp -v shop_pgdata:/data -v /src/init:/init:ro --memory 1024 --cpus 1.500 "
            "postgres:16 postgres -c fsync=off");
}

TEST(ContainerCliTest, PodmanBuildsDockerFormatImagesSoTheirHealthcheckStays) {
  FakeProcesses processes;
  ImageBuild build{.context = "/src/api",
                   .dockerfile = "/src/api/Dockerfile",
                   .tag = "api:1",
                   .target = "",
                   .args = {},
                   .labels = {}};
  ASSERT_TRUE(PodmanRuntime(processes).build_image(build));
  ASSERT_TRUE(DockerRuntime(processes).build_image(build));
  EXPECT_THAT(
      processes.commands,
      ElementsAre("podman build --tag api:1 --file /src/api/Dockerfile --format docker /src/api",
                  "docker build --tag api:1 --file /src/api/Dockerfile /src/api"));
}

TEST(ContainerCliTest, SecretsGoThroughAPrivateEnvFileNeverTheCommandLine) {
  FakeProcesses processes;
  PodmanRuntime podman(processes);
  ContainerSpec spec{.name = "shop-api", .image = "api:1", .env = {{"TOKEN", "hunter2"}}};
  spec.networks = {{"shop_backend", {"api"}}, {"shop_frontend", {"api", "www"}}};
  ASSERT_TRUE(podman.create(spec).ok());
  ASSERT_EQ(processes.commands.size(), 2u);
  EXPECT_THAT(processes.commands[0], ::testing::Not(HasSubstr("hunter2")));
  EXPECT_EQ(processes.env_file_content, "TOKEN=hunter2\n");
  // Further networks are joined before the start, with their aliases.
  EXPECT_EQ(processes.commands[1],
            "podman network connect --alias api --alias www shop_frontend shop-api");
}

TEST(ContainerCliTest, AValueWithANewlineIsRefusedRatherThanCut) {
  FakeProcesses processes;
  PodmanRuntime podman(processes);
  auto created = podman.create({.name = "x", .image = "i", .env = {{"KEY", "a\nb"}}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error(), "the value of KEY holds a newline, which an env file cannot carry");
}

TEST(ContainerCliTest, ParsesPodmanAndDockerInspectOutput) {
  const char* podman_json = R"([{"Id":"abc","Name":"shop-db","Image":"sha256:1",
    "Config":{"Image":"postgres:16","Labels":{"io.fusion.service":"db"}},
    "State":{"Status":"running","ExitCode":0,"StartedAt":"2026-11-23T19:10:03.9Z",
             "FinishedAt":"0001-01-01T00:00:00Z"},
    "NetworkSettings":{"Networks":{"shop_backend":{"IPAddress":"10.89.0.2"}},
                       "Ports":{"5432/tcp":[{"HostIp":"127.0.0.1","HostPort":"5432"}],
                                "9000/tcp":null}}}])";
  auto podman = parse_container_inspect(podman_json);
  ASSERT_TRUE(podman.ok());
  const ContainerInfo& c = podman->front();
  EXPECT_EQ(c.name, "shop-db");
  EXPECT_EQ(c.image, "postgres:16");
  EXPECT_EQ(c.state, ContainerState::kRunning);
  EXPECT_EQ(c.finished_at, "");
  EXPECT_EQ(c.ip_addresses.at("shop_backend"), "10.89.0.2");
  ASSERT_EQ(c.ports.size(), 1u);
  EXPECT_EQ(c.ports[0].host_port, 5432);
  EXPECT_EQ(c.labels.at("io.fusion.service"), "db");

  auto docker = parse_container_inspect(
      R"([{"Id":"d","Name":"/shop-job","Config":{"Image":"job"},"State":{"Status":"exited","ExitCode":3}}])");
  ASSERT_TRUE(docker.ok());
  EXPECT_EQ(docker->front().name, "shop-job");
  EXPECT_EQ(docker->front().state, ContainerState::kExited);
  EXPECT_EQ(docker->front().exit_code, 3);

  EXPECT_FALSE(parse_container_inspect("Error: no such container").ok());
}

TEST(ContainerCliTest, EachEngineReadsTheImageHealthcheckWhereItKeepsIt) {
  FakeProcesses processes;
  processes.answers = {{"podman image inspect --format {{json .HealthCheck}}",
                        {.exit_code = 0, .out = R"({"Test":["CMD-SHELL","curl -f localhost"]})"}},
                       {"docker image inspect --format {{json .Config.Healthcheck}}",
                        {.exit_code = 0, .out = R"({"Test":["NONE"]})"}}};
  PodmanRuntime podman(processes);
  DockerRuntime docker(processes);
  EXPECT_THAT(podman.image_healthcheck("img"), ElementsAre("CMD-SHELL", "curl -f localhost"));
  EXPECT_THAT(docker.image_healthcheck("img"), ElementsAre());
}

TEST(ContainerCliTest, RemovingAContainerThatIsGoneIsFine) {
  FakeProcesses processes;
  processes.answers = {{"podman rm", {.exit_code = 1, .err = "Error: no such container shop-x\n"}}};
  PodmanRuntime podman(processes);
  EXPECT_TRUE(podman.remove("shop-x").ok());
  processes.answers = {{"podman rm", {.exit_code = 125, .err = "Error: permission denied\n"}}};
  auto removed = podman.remove("shop-x");
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error(), "podman rm: Error: permission denied");
}

TEST(ContainerCliTest, ANetworkOrVolumeThatExistsAlreadyIsFine) {
  FakeProcesses processes;
  processes.answers = {
      {"podman network create",
       {.exit_code = 125,
        .err = "Error: network name shop_default already used: network "
               "already exists\n"}},
      {"podman volume create", {.exit_code = 125, .err = "Error: no space left on device\n"}}};
  PodmanRuntime podman(processes);
  EXPECT_TRUE(podman.ensure_network("shop_default", {{"io.fusion.stack", "shop"}}, {}).ok());
  EXPECT_EQ(processes.commands[0],
            "podman network create --label io.fusion.stack=shop shop_default");
  auto volume = podman.ensure_volume("shop_data", {}, {});
  ASSERT_FALSE(volume.ok());
  EXPECT_EQ(volume.error(), "podman volume create: Error: no space left on device");
}

TEST(ContainerCliTest, ListsTheStackByLabelThenInspectsItInOneCall) {
  FakeProcesses processes;
  processes.answers = {{"podman ps", {.exit_code = 0, .out = "id1\nid2\n"}},
                       {"podman container inspect", {.exit_code = 0, .out = "[]"}}};
  PodmanRuntime podman(processes);
  ASSERT_TRUE(podman.containers_labelled("io.fusion.stack", "shop").ok());
  EXPECT_THAT(processes.commands,
              ElementsAre("podman ps --all --quiet --no-trunc --filter label=io.fusion.stack=shop",
                          "podman container inspect id1 id2"));
}

}  // namespace
}  // namespace fusion
