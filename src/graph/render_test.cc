#include "graph/render.h"

#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace fusion {
namespace {

const char* kStack = R"(version: 1
name: s
phases: { infra: { order: 1 } }
services:
  core-db: { image: pg:1, phase: infra, ports: ["5432"], health: { tcp: 5432 } }
  api: { image: api:1, depends_on: { core-db: healthy } }
  web: { image: web:1, depends_on: [api] }
)";

std::string render(GraphFormat format, std::vector<std::string> services = {}) {
  auto l = testing::load_and_validate(kStack);
  EXPECT_EQ(l.text(), "");
  return render_graph(l.registry, *select_services(l.registry, services, {}), format);
}

TEST(RenderGraph, Text) {
  EXPECT_EQ(render(GraphFormat::kText),
            "core-db  [infra]\n"
            "api      -> core-db (healthy)\n"
            "web      -> api (started)\n");
  EXPECT_EQ(render(GraphFormat::kText, {"api"}),
            "core-db  [infra]\n"
            "api      -> core-db (healthy)\n");
}

TEST(RenderGraph, Dot) {
  EXPECT_EQ(render(GraphFormat::kDot),
            "digraph fusion {\n"
            "  rankdir=LR;\n"
            "  node [shape=box];\n"
            "  \"api\";\n"
            "  \"web\";\n"
            "  subgraph \"cluster_infra\" {\n"
            "    label=\"phase infra\";\n"
            "    \"core-db\";\n"
            "  }\n"
            "  \"api\" -> \"core-db\" [label=\"healthy\"];\n"
            "  \"web\" -> \"api\" [label=\"started\"];\n"
            "}\n");
}

TEST(RenderGraph, Mermaid) {
  EXPECT_EQ(render(GraphFormat::kMermaid),
            "flowchart LR\n"
            "  api[\"api\"]\n"
            "  web[\"web\"]\n"
            "  subgraph phase_infra[\"phase infra\"]\n"
            "    core_db[\"core-db\"]\n"
            "  end\n"
            "  api -->|healthy| core_db\n"
            "  web -->|started| api\n");
}

}  // namespace
}  // namespace fusion
