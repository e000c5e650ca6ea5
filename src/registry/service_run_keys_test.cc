// The compose-named service keys: read in compose's forms, mistakes reported with did-you-mean.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/test_support.h"
#include "util/file.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using testing::load_and_validate;

testing::Loaded every_key() {
  return load_and_validate(*read_file(FUSION_SOURCE_DIR "/tests/fixtures/every-key/fusion.yaml"));
}

TEST(RunKeys, EveryKeyOfTheFixtureIsRead) {
  auto l = every_key();
  ASSERT_EQ(l.text(), "");
  const Registry& r = l.registry;
  const Service& pg = *r.find_service("postgres");
  EXPECT_EQ(pg.restart->policy, RestartPolicy::kUnlessStopped);  // through the merge key
  EXPECT_EQ(pg.stop_grace_period->value, Duration(20'000));
  ASSERT_EQ(pg.ulimits.size(), 1u);
  EXPECT_EQ(pg.ulimits[0].soft, 20000);
  EXPECT_EQ(pg.ulimits[0].hard, 40000);
  EXPECT_EQ(pg.shm_size->value, 256u << 20);
  EXPECT_EQ(pg.user.value, "999:999");
  EXPECT_THAT(pg.volumes[0].options, ElementsAre("Z"));
  EXPECT_EQ(pg.sysctls.at("net.core.somaxconn"), "1024");
  ASSERT_EQ(container_ports(pg).size(), 1u);  // from expose
  EXPECT_EQ(container_ports(pg)[0].port, 5432);
  const Service& redis = *r.find_service("redis");
  EXPECT_TRUE(redis.read_only->value);
  ASSERT_EQ(redis.tmpfs.size(), 1u);
  EXPECT_EQ(redis.tmpfs[0].size_bytes, 64u << 20);
  EXPECT_EQ(redis.tmpfs[0].options, "size=64Mi,mode=1777");
  const Service& migrate = *r.find_service("migrate");
  EXPECT_EQ(migrate.restart->policy, RestartPolicy::kOnFailure);
  EXPECT_EQ(migrate.restart->max_retries, 3u);
  EXPECT_THAT(*migrate.entrypoint, ElementsAre("/usr/local/bin/docker-entrypoint.sh", "--"));
  ASSERT_EQ(migrate.env_files.size(), 2u);
  EXPECT_FALSE(migrate.env_files[1].required);
  const Service& api = *r.find_service("api");
  ASSERT_EQ(api.extra_hosts.size(), 2u);
  EXPECT_EQ(api.extra_hosts[0].address, "host-gateway");
  EXPECT_EQ(api.extra_hosts[1].host, "metadata.internal");
  EXPECT_EQ(api.secrets[0].target, "token");
  EXPECT_EQ(*api.secrets[0].mode, 0440u);
  EXPECT_EQ(api.replicas->value, 2);
  const Service& worker = *r.find_service("worker");
  EXPECT_THAT(worker.volumes[0].options, ElementsAre("nocopy"));
  EXPECT_EQ(r.find_service("transcoder")->gpus[0].count, 1);
  ASSERT_EQ(r.networks[0].subnets.size(), 1u);
  EXPECT_EQ(r.networks[0].subnets[0].gateway, "10.89.77.1");
  EXPECT_EQ(r.networks[1].external_name.value, "every-key-edge-net");
  EXPECT_TRUE(r.secrets[0].from_store());
  EXPECT_EQ(r.secrets[2].environment.value, "SMTP_PASSWORD");
}

TEST(RunKeys, MistakesPointAtTheValueWithASuggestion) {
  auto l = load_and_validate(R"(version: 1
name: s
secrets: { db-password: {} }
services:
  a:
    image: a:1
    restart: unles-stopped
    entrypont: [sh]
    ulimits: { nofile: { soft: 1 } }
    secrets: [db-pasword]
    tmpfs: run
    pull_policy: sometimes
)");
  EXPECT_EQ(l.text(),
            "fusion.yaml:7:14: error: unknown restart policy 'unles-stopped' in service 'a'; did "
            "you mean 'unless-stopped'?\n"
            "    7 |     restart: unles-stopped\n"
            "      |              ^~~~~~~~~~~~~\n"
            "fusion.yaml:8:5: error: unknown key 'entrypont' in service 'a'; did you mean "
            "'entrypoint'?\n"
            "    8 |     entrypont: [sh]\n"
            "      |     ^~~~~~~~~\n"
            "fusion.yaml:9:24: error: ulimit 'nofile' of service 'a' needs both 'soft' and "
            "'hard'\n"
            "    9 |     ulimits: { nofile: { soft: 1 } }\n"
            "      |                        ^\n"
            "fusion.yaml:10:15: error: service 'a' uses undefined secret 'db-pasword'; did you "
            "mean 'db-password'?\n"
            "   10 |     secrets: [db-pasword]\n"
            "      |               ^~~~~~~~~~\n"
            "fusion.yaml:11:12: error: invalid tmpfs 'run' in service 'a': the path must be "
            "absolute\n"
            "   11 |     tmpfs: run\n"
            "      |            ^~~\n"
            "fusion.yaml:12:18: error: unknown pull_policy 'sometimes' in service 'a'; expected "
            "always, never, missing or build\n"
            "   12 |     pull_policy: sometimes\n"
            "      |                  ^~~~~~~~~\n");
}

TEST(RunKeys, TheOverlayReplacesThemAndMergesSysctls) {
  std::string overlay = R"(services:
  a: { restart: always, sysctls: { b: "2" }, user: "1000" }
)";
  auto l = load_and_validate(R"(version: 1
name: s
services:
  a: { image: a:1, restart: "no", sysctls: { a: "1" } }
)",
                             &overlay);
  ASSERT_EQ(l.text(), "");
  const Service& a = l.registry.services[0];
  EXPECT_EQ(a.restart->policy, RestartPolicy::kAlways);
  EXPECT_EQ(a.sysctls.size(), 2u);
  EXPECT_EQ(a.user.value, "1000");
}

}  // namespace
}  // namespace fusion
