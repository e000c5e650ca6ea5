#include "graph/plan.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "graph/selection.h"
#include "registry/test_support.h"

namespace fusion {
namespace {

const char* kStack = R"(version: 1
name: shop
phases:
  infra: { order: 1 }
  apps: { order: 2 }
services:
  db: { image: pg:1, phase: infra, ports: ["5432"], health: { tcp: 5432, interval: 2s, start_period: 5s } }
  cache: { image: redis:7, phase: infra, ports: ["6379"], health: { tcp: 6379, interval: 1s } }
  migrate: { image: m:1, depends_on: { db: healthy } }
  api: { image: api:1, phase: apps, depends_on: { migrate: completed, cache: healthy } }
  web: { image: web:1, phase: apps, depends_on: [api] }
  mock: { image: mock:1, profiles: [test] }
  tools: { image: tools:1, profiles: [debug], depends_on: [api] }
)";

class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loaded_ = testing::load_and_validate(kStack);
    ASSERT_EQ(loaded_.text(), "");
  }
  StartPlan plan(std::vector<std::string> services, std::vector<std::string> profiles = {}) {
    auto sel = select_services(loaded_.registry, services, profiles);
    EXPECT_TRUE(sel.ok());
    return make_plan(loaded_.registry, *sel);
  }
  testing::Loaded loaded_;
};

TEST_F(PlanTest, WavesCriticalPathAndEstimates) {
  EXPECT_EQ(render_plan(plan({}), false),
            "5 services in 4 waves; critical path ~11s: db -> migrate -> api -> web\n"
            "wave 1\n"
            "    cache    ready ~2s\n"
            "  * db       ready ~8s\n"
            "wave 2\n"
            "  * migrate  ready ~9s  after db (healthy)\n"
            "wave 3\n"
            "  * api      ready ~10s  after migrate (completed), cache (healthy), phase 'infra'\n"
            "wave 4\n"
            "  * web      ready ~11s  after api (started), phase 'infra'\n");
}

TEST_F(PlanTest, SubsetPullsInDependenciesOnceAndExplainsWhy) {
  EXPECT_EQ(render_plan(plan({"api", "migrate"}), true),
            "4 services in 3 waves; critical path ~10s: db -> migrate -> api\n"
            "wave 1\n"
            "    cache    ready ~2s\n"
            "      why: needed by 'api' (healthy)\n"
            "  * db       ready ~8s\n"
            "      why: needed by 'migrate' (healthy)\n"
            "wave 2\n"
            "  * migrate  ready ~9s  after db (healthy)\n"
            "      why: requested\n"
            "wave 3\n"
            "  * api      ready ~10s  after migrate (completed), cache (healthy), phase 'infra'\n"
            "      why: requested\n");
}

TEST_F(PlanTest, ProfilesSelectServices) {
  StartPlan p = plan({}, {"debug", "test"});
  ASSERT_EQ(p.services.size(), 7u);
  auto tools = std::find_if(p.services.begin(), p.services.end(), [](const PlannedService& s) {
    return s.service->name.value == "tools";
  });
  EXPECT_EQ(tools->reason, "profile 'debug'");
  EXPECT_EQ(tools->wave, 4u);
}

TEST_F(PlanTest, UnknownServiceSuggestsOne) {
  auto sel = select_services(loaded_.registry, {"wbe"}, {});
  EXPECT_EQ(sel.error(), "no service 'wbe' in the registry; did you mean 'web'?");
}

TEST_F(PlanTest, PhaseBarriersShowOnTheCriticalPath) {
  // cache is quick but api waits for all of infra: the path runs through db and the barrier.
  StartPlan p = plan({"api"});
  nlohmann::json j = plan_to_json(p);
  EXPECT_EQ(j["critical_ms"], 10'000);
  EXPECT_EQ(j["waves"], 3);
  EXPECT_EQ(j["services"][0]["name"], "cache");
}

TEST(Plan, BarrierOnTheCriticalPath) {
  auto l = testing::load_and_validate(R"(version: 1
name: s
phases: { a: { order: 1 }, b: { order: 2 } }
services:
  slow: { image: s:1, phase: a, health: { exec: [true], start_period: 10s } }
  app: { image: a:1, phase: b }
)");
  auto sel = select_services(l.registry, {}, {});
  StartPlan p = make_plan(l.registry, *sel);
  EXPECT_EQ(p.critical_path, (std::vector<std::string>{"slow", "phase 'a'", "app"}));
  EXPECT_EQ(p.critical_length, Duration(14'000));  // 1s + 10s + 2s default interval, then 1s
}

TEST(EstimateReady, StartCostPlusHealth) {
  Service s;
  EXPECT_EQ(estimate_ready(s), kStartCost);
  s.health = HealthCheck{};
  s.health->start_period = Duration(5'000);
  s.health->interval = Duration(2'000);
  EXPECT_EQ(estimate_ready(s), Duration(8'000));
}

}  // namespace
}  // namespace fusion
