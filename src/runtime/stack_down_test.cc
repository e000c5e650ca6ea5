#include "runtime/stack_down.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;

TEST(StackDownTest, DependentsStopBeforeWhatTheyDependOn) {
  auto loaded = testing::load_and_validate(R"(version: 1
name: shop
services:
  db: { image: db }
  api: { image: api, depends_on: [db] }
  web: { image: web, depends_on: [api] }
  worker: { image: w, depends_on: [db] }
)");
  ASSERT_FALSE(loaded.diagnostics.has_errors()) << loaded.text();
  EXPECT_THAT(stop_levels(loaded.registry, {"db", "api", "web", "worker", "removed-service"}),
              ElementsAre(2, 1, 0, 0, 0));
}

TEST(StackDownTest, LaterPhasesStopFirst) {
  auto loaded = testing::load_and_validate(R"(version: 1
name: shop
phases: { infra: { order: 1 }, apps: { order: 2 } }
services:
  db: { image: db, phase: infra }
  api: { image: api, phase: apps }
)");
  ASSERT_FALSE(loaded.diagnostics.has_errors()) << loaded.text();
  std::vector<size_t> levels = stop_levels(loaded.registry, {"db", "api"});
  EXPECT_GT(levels[0], levels[1]);
}

}  // namespace
}  // namespace fusion
