#include "graph/cycle_check.h"

#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace fusion {
namespace {

std::string cycles_of(const std::string& yaml) {
  auto l = testing::load_and_validate(yaml);
  Diagnostics d;
  check_cycles(l.registry, d);
  d.sort();
  return render_text(d, l.sources, false);
}

TEST(CycleCheck, PrintsTheFullLoop) {
  EXPECT_EQ(cycles_of(R"(version: 1
name: s
services:
  worker: { image: w:1, depends_on: [queue] }
  api: { image: a:1, depends_on: [worker] }
  queue: { image: q:1, depends_on: [api] }
  web: { image: web:1, depends_on: [api] }
)"),
            "fusion.yaml:5:35: error: dependency cycle: api -> worker -> queue -> api\n"
            "    5 |   api: { image: a:1, depends_on: [worker] }\n"
            "      |                                   ^~~~~~\n");
}

TEST(CycleCheck, SelfDependency) {
  EXPECT_EQ(cycles_of("version: 1\nname: s\nservices:\n  a: { image: a:1, depends_on: [a] }\n"),
            "fusion.yaml:4:33: error: dependency cycle: a -> a\n"
            "    4 |   a: { image: a:1, depends_on: [a] }\n"
            "      |                                 ^\n");
}

TEST(CycleCheck, CyclesThroughPhaseOrder) {
  EXPECT_EQ(cycles_of(R"(version: 1
name: s
phases:
  infra: { order: 1 }
  apps: { order: 2 }
services:
  postgres: { image: p:1, phase: infra, depends_on: [api] }
  api: { image: a:1, phase: apps }
)"),
            "fusion.yaml:8:29: error: dependency cycle: api -> phase 'infra' -> postgres -> api; "
            "'api' is in phase 'apps', which starts after phase 'infra' is healthy\n"
            "    8 |   api: { image: a:1, phase: apps }\n"
            "      |                             ^~~~\n");
}

TEST(CycleCheck, NoCycleNoDiagnostic) {
  EXPECT_EQ(cycles_of(R"(version: 1
name: s
phases: { a: { order: 1 }, b: { order: 2 } }
services:
  x: { image: x:1, phase: a }
  y: { image: y:1, phase: b, depends_on: [x] }
)"),
            "");
}

}  // namespace
}  // namespace fusion
