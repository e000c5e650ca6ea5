#include "registry/overlay.h"

#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace fusion {
namespace {

using testing::load_and_validate;

const char* kBase = R"(version: 1
name: shop
services:
  api:
    path: ./api
    image: api:1
    env: { LOG_LEVEL: info, DB: postgres }
    ports: ["8080"]
    build: { dockerfile: Dockerfile, args: { A: "1", B: "2" } }
  db:
    image: postgres:16
)";

TEST(Overlay, MergesEnvReplacesListsAndChoosesLocal) {
  std::string overlay = R"(local: [api]
services:
  api:
    env: { LOG_LEVEL: debug, EXTRA: "1" }
    ports: ["18080:8080"]
    build: { args: { B: "3" } }
)";
  auto l = load_and_validate(kBase, &overlay);
  ASSERT_EQ(l.text(), "");
  const Service& api = l.registry.services[0];
  EXPECT_TRUE(api.local);
  EXPECT_FALSE(l.registry.services[1].local);
  ASSERT_EQ(api.env.size(), 3u);
  EXPECT_EQ(api.env[0].value, "debug");
  EXPECT_EQ(api.env[0].value_pos.file, 1u);  // points into the overlay
  EXPECT_EQ(api.env[0].value_pos.line, 4u);
  EXPECT_EQ(api.env[1].value, "postgres");
  EXPECT_EQ(api.env[1].value_pos.file, 0u);
  EXPECT_EQ(api.env[2].name.value, "EXTRA");
  ASSERT_EQ(api.ports.size(), 1u);
  EXPECT_EQ(api.ports[0].host_port, 18080);
  EXPECT_EQ(api.build->dockerfile.value, "Dockerfile");
  EXPECT_EQ(api.build->args.at("A"), "1");
  EXPECT_EQ(api.build->args.at("B"), "3");
}

TEST(Overlay, ErrorsPointIntoTheOverlayFile) {
  std::string overlay = R"(local: [apii, db]
services:
  dbb: { env: { A: b } }
  api: { ports: ["99999"] }
)";
  auto l = load_and_validate(kBase, &overlay);
  EXPECT_EQ(
      l.text(),
      "fusion.local.yaml:1:9: error: cannot run undefined service 'apii' from local source; "
      "did you mean 'api'?\n"
      "    1 | local: [apii, db]\n"
      "      |         ^~~~\n"
      "fusion.local.yaml:1:15: error: service 'db' cannot run from local source: it has no "
      "'repo' or 'path'\n"
      "    1 | local: [apii, db]\n"
      "      |               ^~\n"
      "fusion.local.yaml:3:3: error: the overlay changes service 'dbb', which fusion.yaml does "
      "not define; did you mean 'db'?\n"
      "    3 |   dbb: { env: { A: b } }\n"
      "      |   ^~~\n"
      "fusion.local.yaml:4:18: error: invalid port '99999': expected a port number from 1 to "
      "65535 in service 'api'\n"
      "    4 |   api: { ports: [\"99999\"] }\n"
      "      |                  ^~~~~~~\n");
}

TEST(Overlay, UnknownTopLevelKey) {
  std::string overlay = "locals: [api]\n";
  auto l = load_and_validate(kBase, &overlay);
  EXPECT_EQ(l.text(),
            "fusion.local.yaml:1:1: error: unknown key 'locals' in fusion.local.yaml; did you mean "
            "'local'?\n"
            "    1 | locals: [api]\n"
            "      | ^~~~~~\n");
}

TEST(Overlay, ChoosesWhereTheStackRuns) {
  std::string overlay = R"(target: kubernetes
kubernetes: { context: dev-cluster, namespace: shop-ana, loader: kind }
)";
  auto l = load_and_validate(kBase, &overlay);
  EXPECT_EQ(l.text(), "");
  const RunTarget& t = l.registry.run_target;
  EXPECT_EQ(t.target.value, "kubernetes");
  EXPECT_EQ(t.context.value, "dev-cluster");
  EXPECT_EQ(t.namespace_.value, "shop-ana");
  EXPECT_EQ(t.loader.value, "kind");
  EXPECT_EQ(t.kubeconfig.value, "");
}

TEST(Overlay, UnknownTargetAndKubernetesKeyAreErrors) {
  std::string overlay = "target: kubernets\nkubernetes: { contxt: dev }\n";
  auto l = load_and_validate(kBase, &overlay);
  EXPECT_EQ(l.text(),
            "fusion.local.yaml:1:9: error: unknown target 'kubernets': 'engine' or 'kubernetes'; "
            "did you mean 'kubernetes'?\n"
            "    1 | target: kubernets\n"
            "      |         ^~~~~~~~~\n"
            "fusion.local.yaml:2:15: error: unknown key 'contxt' in 'kubernetes'; did you mean "
            "'context'?\n"
            "    2 | kubernetes: { contxt: dev }\n"
            "      |               ^~~~~~\n");
  EXPECT_EQ(l.registry.run_target.target.value, "");
}

}  // namespace
}  // namespace fusion
