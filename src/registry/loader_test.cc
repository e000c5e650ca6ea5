#include "registry/loader.h"

#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace fusion {
namespace {

using testing::load_and_validate;

const Service& only_service(const testing::Loaded& l) {
  EXPECT_EQ(l.registry.services.size(), 1u);
  return l.registry.services.front();
}

TEST(Loader, TopLevelWithPositions) {
  auto l = load_and_validate(R"(version: 1
name: shop
domain: shop.localhost
workspace: { root: .. }
repos:
  core-api: { url: https://example.invalid/core-api.git, branch: main }
  web: https://example.invalid/web.git
phases:
  infra: { order: 1, timeout: 1m30s, description: databases }
volumes: { pgdata: {}, shared: { external: true } }
networks: { backend: {}, edge: { internal: true } }
)");
  ASSERT_EQ(l.text(), "");
  const Registry& r = l.registry;
  EXPECT_EQ(r.version.value, 1);
  EXPECT_EQ(r.name.value, "shop");
  EXPECT_EQ(r.name.pos.line, 2u);
  EXPECT_EQ(r.name.pos.column, 7u);
  EXPECT_EQ(r.workspace_root.value, "..");
  ASSERT_EQ(r.repos.size(), 2u);
  EXPECT_EQ(r.repos[0].branch.value, "main");
  EXPECT_EQ(r.repos[1].url.value, "https://example.invalid/web.git");
  ASSERT_EQ(r.phases.size(), 1u);
  EXPECT_EQ(r.phases[0].timeout->value, Duration(90'000));
  EXPECT_EQ(r.phases[0].description, "databases");
  EXPECT_TRUE(r.volumes[1].external);
  EXPECT_TRUE(r.networks[1].internal);
}

TEST(Loader, PortsShortAndLongForms) {
  auto l = load_and_validate(R"(version: 1
name: s
services:
  dns:
    image: dns:1
    ports: ["53/udp", 8080, "127.0.0.1:5432:5432", { target: 9000, published: 19000, protocol: udp }]
)");
  ASSERT_EQ(l.text(), "");
  const auto& ports = only_service(l).ports;
  ASSERT_EQ(ports.size(), 4u);
  EXPECT_EQ(ports[0].protocol, Protocol::kUdp);
  EXPECT_EQ(ports[1].container_port, 8080);
  EXPECT_EQ(ports[2].host_ip, "127.0.0.1");
  EXPECT_EQ(ports[3].host_port, 19000);
  EXPECT_EQ(ports[3].protocol, Protocol::kUdp);
  EXPECT_EQ(ports[1].pos.column, 23u);
}

TEST(Loader, DependsOnListAndMapForms) {
  auto l = load_and_validate(R"(version: 1
name: s
services:
  a: { image: a:1, health: { exec: [true] } }
  b: { image: b:1 }
  c: { image: c:1 }
  x: { image: x:1, depends_on: [a, b] }
  y: { image: y:1, depends_on: { a: healthy, b: { condition: started }, c: completed } }
)");
  ASSERT_EQ(l.text(), "");
  const auto& x = l.registry.services[3].depends_on;
  ASSERT_EQ(x.size(), 2u);
  EXPECT_EQ(x[0].condition, DependencyCondition::kStarted);
  const auto& y = l.registry.services[4].depends_on;
  ASSERT_EQ(y.size(), 3u);
  EXPECT_EQ(y[0].condition, DependencyCondition::kHealthy);
  EXPECT_EQ(y[1].condition, DependencyCondition::kStarted);
  EXPECT_EQ(y[2].condition, DependencyCondition::kCompleted);
}

TEST(Loader, EnvMapListAndSecrets) {
  auto l = load_and_validate(R"(version: 1
name: s
services:
  a:
    image: a:1
    env: { A: "1", B: 2, C: { secret: db-password }, D: }
  b:
    image: b:1
    env: [X=1, Y=a=b, HOME]
)");
  ASSERT_EQ(l.text(), "");
  const auto& a = l.registry.services[0].env;
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[1].value, "2");
  EXPECT_EQ(a[2].secret->value, "db-password");
  EXPECT_EQ(a[3].value, "");
  const auto& b = l.registry.services[1].env;
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[1].name.value, "Y");
  EXPECT_EQ(b[1].value, "a=b");
  EXPECT_EQ(b[2].value, "${HOME}");
}

TEST(Loader, HealthForms) {
  auto l = load_and_validate(R"(version: 1
name: s
services:
  a: { image: a:1, ports: ["80"], health: { http: /healthz, interval: 500ms, timeout: 1s, retries: 3, start_period: 1m } }
  b: { image: b:1, ports: ["5432"], health: { tcp: 5432 } }
  c: { image: c:1, health: { exec: "pg_isready -U 'my user'" } }
  d: { image: d:1, health: { container: true } }
)");
  ASSERT_EQ(l.text(), "");
  const auto& s = l.registry.services;
  EXPECT_EQ(s[0].health->kind, HealthKind::kHttp);
  EXPECT_EQ(s[0].health->http_path, "/healthz");
  EXPECT_EQ(s[0].health->interval, Duration(500));
  EXPECT_EQ(s[0].health->retries, 3u);
  EXPECT_EQ(s[0].health->start_period, Duration(60'000));
  EXPECT_EQ(s[1].health->kind, HealthKind::kTcp);
  EXPECT_EQ(s[1].health->port.value, 5432);
  EXPECT_EQ(s[2].health->command, (std::vector<std::string>{"pg_isready", "-U", "my user"}));
  EXPECT_EQ(s[3].health->kind, HealthKind::kContainer);
}

TEST(Loader, VolumesNetworksBuildResources) {
  auto l = load_and_validate(R"(version: 1
name: s
volumes: { data: {} }
networks: { backend: {}, frontend: {} }
services:
  a:
    path: ./a
    build: { context: ., dockerfile: Dockerfile.dev, target: dev, args: { GO_VERSION: "1.22" } }
    volumes: ["data:/data", "./conf:/etc/conf:ro", "/cache"]
    networks: { backend: { aliases: [api, api-v1] }, frontend: }
    resources: { memory: 1Gi, cpus: 1.5 }
    command: npm run start
    profiles: [dev]
    labels: { team: checkout }
)");
  ASSERT_EQ(l.text(), "");
  const Service& a = only_service(l);
  EXPECT_EQ(a.build->dockerfile.value, "Dockerfile.dev");
  EXPECT_EQ(a.build->args.at("GO_VERSION"), "1.22");
  ASSERT_EQ(a.volumes.size(), 3u);
  EXPECT_TRUE(a.volumes[0].named);
  EXPECT_FALSE(a.volumes[1].named);
  EXPECT_TRUE(a.volumes[1].read_only);
  EXPECT_EQ(a.volumes[2].target, "/cache");
  ASSERT_EQ(a.networks.size(), 2u);
  EXPECT_EQ(a.networks[0].aliases.size(), 2u);
  EXPECT_EQ(a.resources.memory_bytes->value, 1ull << 30);
  EXPECT_EQ(a.resources.millicpus->value, 1500u);
  EXPECT_EQ(a.command, (std::vector<std::string>{"npm", "run", "start"}));
  EXPECT_TRUE(a.local);
  EXPECT_EQ(a.labels.at("team"), "checkout");
}

TEST(Loader, RootMustBeAMap) {
  EXPECT_EQ(load_and_validate("- a\n- b\n").text(),
            "fusion.yaml:1:1: error: fusion.yaml must be a map with 'version', 'name' and "
            "'services', found a list\n"
            "    1 | - a\n"
            "      | ^\n");
}

TEST(Loader, EmptyFileSaysWhatIsMissing) {
  auto l = load_and_validate("");
  ASSERT_EQ(l.diagnostics.items().size(), 2u);
  EXPECT_EQ(l.diagnostics.items()[0].message, "missing 'version'; add 'version: 1'");
}

TEST(Loader, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "version: 1\nname: s\nservices: " + std::string(5000, '[') + "\n";
  auto l = load_and_validate(deep);
  ASSERT_FALSE(l.diagnostics.empty());
  EXPECT_EQ(l.diagnostics.items()[0].message.rfind("invalid YAML", 0), 0u);
}

}  // namespace
}  // namespace fusion
