#include "runtime/container_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

constexpr const char* kStack = R"(version: 1
name: shop
domain: shop.localhost
services:
  db:
    image: postgres:16
    env: { POSTGRES_PASSWORD: { secret: pg }, MODE: "${MODE:-dev}", URL: "x://u:${secret:pg}@db" }
    ports: ["127.0.0.1:5432:5432", "53/udp"]
    volumes: ["pgdata:/var/lib/postgresql/data", "./init:/docker-entrypoint-initdb.d:ro"]
    resources: { memory: 512Mi, cpus: 250m }
    networks:
      backend: { aliases: [database] }
  api:
    image: api:1
    subdomain: api
volumes: { pgdata: {}, shared: { external: true } }
networks: { backend: {} }
)";

class ContainerSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(loaded_.diagnostics.has_errors()) << loaded_.text();
    ctx_.registry = &loaded_.registry;
    ctx_.registry_dir = "/stacks/shop";
    ctx_.secrets = {{"pg", "hunter2"}};
    ctx_.variable = [](const std::string& name) -> std::optional<std::string> {
      if (name == "MODE") return "prod";
      return std::nullopt;
    };
  }
  ContainerSpec spec(const std::string& service, const std::string& image = "img:1") {
    auto s = make_container_spec(ctx_, *loaded_.registry.find_service(service), image);
    EXPECT_TRUE(s.ok()) << s.error();
    return s.ok() ? *s : ContainerSpec{};
  }
  testing::Loaded loaded_ = testing::load_and_validate(kStack);
  RunContext ctx_;
};

TEST_F(ContainerSpecTest, NamesFollowComposeAndEveryServiceIsReachableByItsName) {
  ContainerSpec db = spec("db");
  EXPECT_EQ(db.name, "shop-db");
  ASSERT_EQ(db.networks.size(), 1u);
  EXPECT_EQ(db.networks[0].network, "shop_backend");
  EXPECT_THAT(db.networks[0].aliases, ElementsAre("db", "database"));
  ContainerSpec api = spec("api");
  EXPECT_EQ(api.networks[0].network, "shop_default");
  EXPECT_THAT(api.networks[0].aliases, ElementsAre("api", "api.shop.localhost"));
  EXPECT_EQ(volume_name(loaded_.registry, "shared"), "shared");  // external keeps its name
}

TEST_F(ContainerSpecTest, EnvResolvesVariablesAndSecrets) {
  EXPECT_THAT(spec("db").env, ElementsAre(Pair("POSTGRES_PASSWORD", "hunter2"),
                                          Pair("MODE", "prod"), Pair("URL", "x://u:hunter2@db")));
  ctx_.variable = nullptr;
  EXPECT_THAT(spec("db").env[1], Pair("MODE", "dev"));
}

TEST_F(ContainerSpecTest, AMissingSecretIsAnErrorNotAnEmptyPassword) {
  ctx_.secrets.clear();
  auto s = make_container_spec(ctx_, *loaded_.registry.find_service("db"), "img");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "service 'db' reads secret 'pg', which is not in the store");
}

TEST_F(ContainerSpecTest, PortsMountsLimitsAndLabels) {
  ContainerSpec db = spec("db");
  ASSERT_EQ(db.ports.size(), 2u);
  EXPECT_EQ(db.ports[0].host_ip, "127.0.0.1");
  EXPECT_EQ(db.ports[0].host_port, 5432);
  EXPECT_EQ(db.ports[1].protocol, "udp");
  ASSERT_EQ(db.mounts.size(), 2u);
  EXPECT_EQ(db.mounts[0].source, "shop_pgdata");
  EXPECT_EQ(db.mounts[1].source, "/stacks/shop/init");
  EXPECT_TRUE(db.mounts[1].read_only);
  EXPECT_EQ(db.memory_bytes, 512u * 1024 * 1024);
  EXPECT_EQ(db.millicpus, 250u);
  EXPECT_EQ(db.labels.at(kStackLabel), "shop");
  EXPECT_EQ(db.labels.at(kServiceLabel), "db");
  EXPECT_EQ(db.labels.at(kConfigHashLabel).size(), 32u);
}

TEST_F(ContainerSpecTest, TheConfigHashFollowsEveryInputAndNothingElse) {
  std::string base = spec("db").labels.at(kConfigHashLabel);
  EXPECT_EQ(spec("db").labels.at(kConfigHashLabel), base);  // deterministic
  EXPECT_NE(spec("db", "img:2").labels.at(kConfigHashLabel), base);
  ctx_.secrets["pg"] = "rotated";
  EXPECT_NE(spec("db").labels.at(kConfigHashLabel), base);
}

TEST_F(ContainerSpecTest, LocalImagesAreTaggedByTheirContextDigest) {
  EXPECT_EQ(local_image_tag(loaded_.registry, *loaded_.registry.find_service("api"),
                            "0123456789abcdef0123456789abcdef"),
            "localhost/shop-api:0123456789abcdef");
}

}  // namespace
}  // namespace fusion
