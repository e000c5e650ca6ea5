#include "runtime/stack_up.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "registry/test_support.h"
#include "runtime/fake_runtime.h"
#include "runtime/stack_down.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

/// api is built from tests/fixtures/fake-stack/api; db is a released image; migrate runs once.
constexpr const char* kStack = R"(version: 1
name: shop
services:
  db:
    image: postgres:16
    ports: ["5432"]
    health: { tcp: 5432 }
  migrate:
    image: migrate:1
    depends_on: { db: healthy }
  api:
    path: api
    ports: ["8080"]
    depends_on: { migrate: completed }
    health: { http: /healthz, port: 8080 }
  web:
    image: web:1
    depends_on: { api: healthy }
)";

class StackUpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(loaded_.diagnostics.has_errors()) << loaded_.text();
    ctx_.registry = &loaded_.registry;
    ctx_.registry_dir = fs::path(FUSION_SOURCE_DIR) / "tests/fixtures/fake-stack";
    cache_ = fs::temp_directory_path() / ("fusion-stack-up-test-" + std::to_string(getpid()));
  }
  void TearDown() override { fs::remove_all(cache_); }

  PreparedUp prepare(const std::vector<std::string>& restart = {}) {
    auto up = prepare_up(ctx_, graph_, runtime_, cache_, restart);
    EXPECT_TRUE(up.ok()) << up.error();
    return up.ok() ? std::move(up).value() : PreparedUp{};
  }

  std::map<std::string, std::string> up(const PreparedUp& prepared) {
    runtime_.calls.clear();
    SteadyClock clock;
    auto outcome = run_up(ctx_, prepared, up_tasks(loaded_.registry, graph_, prepared), runtime_,
                          prober_, clock, {.max_builds = 2});
    EXPECT_TRUE(outcome.ok()) << outcome.error();
    std::map<std::string, std::string> states;
    for (size_t t = 0; t < outcome->tasks.size(); ++t) {
      states[outcome->tasks[t].name] = task_state_name(outcome->states[t]);
    }
    return states;
  }

  Service& service(const std::string& name) {
    return const_cast<Service&>(*loaded_.registry.find_service(name));
  }

  static std::map<std::string, std::string> actions(const PreparedUp& prepared) {
    std::map<std::string, std::string> out;
    for (const PreparedService& s : prepared.services) {
      out[s.service->name.value] =
          std::string(container_action_name(s.decision.action)) + (s.build ? " +build" : "");
    }
    return out;
  }

  testing::Loaded loaded_ = testing::load_and_validate(kStack);
  ServiceGraph graph_{loaded_.registry};
  testing::FakeRuntime runtime_;
  testing::FakeProber prober_{runtime_};
  RunContext ctx_;
  fs::path cache_;
};

TEST_F(StackUpTest, AColdUpBuildsCreatesAndStartsEverythingInDependencyOrder) {
  PreparedUp first = prepare();
  EXPECT_EQ(
      actions(first),
      (std::map<std::string, std::string>{
          {"api", "create +build"}, {"db", "create"}, {"migrate", "create"}, {"web", "create"}}));
  EXPECT_EQ(
      up(first),
      (std::map<std::string, std::string>{
          {"api", "healthy"}, {"db", "healthy"}, {"migrate", "completed"}, {"web", "running"}}));
  auto position = [&](const std::string& call) {
    return std::find(runtime_.calls.begin(), runtime_.calls.end(), call) - runtime_.calls.begin();
  };
  EXPECT_LT(position("start shop-db"), position("create shop-migrate"));
  EXPECT_LT(position("start shop-migrate"), position("create shop-api"));
  EXPECT_LT(position("start shop-api"), position("create shop-web"));
  EXPECT_THAT(runtime_.networks, ElementsAre("shop_default"));
}

TEST_F(StackUpTest, ASecondUpWithNothingChangedBuildsAndStartsNothing) {
  up(prepare());
  PreparedUp again = prepare();
  EXPECT_EQ(actions(again),
            (std::map<std::string, std::string>{
                {"api", "keep"}, {"db", "keep"}, {"migrate", "keep"}, {"web", "keep"}}));
  EXPECT_EQ(up(again)["migrate"], "completed");
  EXPECT_THAT(runtime_.calls, IsEmpty());
}

TEST_F(StackUpTest, AChangedEnvRecreatesThatServiceOnly) {
  up(prepare());
  service("web").env.push_back({Text{"MODE", {}}, "debug", std::nullopt, {}});
  PreparedUp changed = prepare();
  EXPECT_EQ(actions(changed)["web"], "recreate");
  EXPECT_EQ(actions(changed)["api"], "keep");
  up(changed);
  EXPECT_THAT(runtime_.calls, ElementsAre("remove shop-web", "create shop-web", "start shop-web"));
}

TEST_F(StackUpTest, ABrokenBuildFailsItsServiceAndBlocksWhatWaitsForIt) {
  PreparedUp first = prepare();
  runtime_.failing_builds.insert(first.services[0].spec.image);  // api, first by name
  auto states = up(first);
  EXPECT_EQ(states["api"], "failed");
  EXPECT_EQ(states["web"], "blocked");
  EXPECT_EQ(states["db"], "healthy");
  EXPECT_THAT(runtime_.calls, Not(Contains("create shop-api")));
}

TEST_F(StackUpTest, AFailedOneShotBlocksItsDependents) {
  runtime_.exit_codes["shop-migrate"] = 2;
  auto states = up(prepare());
  EXPECT_EQ(states["migrate"], "failed");
  EXPECT_EQ(states["api"], "blocked");
}

TEST_F(StackUpTest, RestartStopsAndStartsTheNamedContainersAndLeavesTheRestAlone) {
  up(prepare());
  service("db").env.push_back({Text{"X", {}}, "1", std::nullopt, {}});  // not applied by restart
  PreparedUp restart = prepare({"api", "web"});
  EXPECT_EQ(actions(restart),
            (std::map<std::string, std::string>{
                {"api", "restart"}, {"db", "keep"}, {"migrate", "keep"}, {"web", "restart"}}));
  up(restart);
  EXPECT_THAT(runtime_.calls,
              ElementsAre("stop shop-api", "start shop-api", "stop shop-web", "start shop-web"));
}

TEST_F(StackUpTest, DownRemovesContainersNetworksAndOnlyThenVolumes) {
  up(prepare());
  runtime_.volumes.insert("shop_data");
  auto kept = stack_down(loaded_.registry, runtime_, false);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->containers,
            (std::vector<std::string>{"shop-api", "shop-db", "shop-migrate", "shop-web"}));
  EXPECT_THAT(runtime_.containers, IsEmpty());
  EXPECT_THAT(runtime_.volumes, ElementsAre("shop_data"));
  ASSERT_TRUE(stack_down(loaded_.registry, runtime_, true).ok());
  EXPECT_THAT(runtime_.volumes, IsEmpty());
}

}  // namespace
}  // namespace fusion
