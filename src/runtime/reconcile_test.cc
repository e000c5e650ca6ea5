#include "runtime/reconcile.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

ContainerSpec desired(const std::string& hash, const std::string& image = "api:2") {
  return {.name = "shop-api", .image = image, .labels = {{kConfigHashLabel, hash}}};
}

ContainerInfo existing(const std::string& hash, ContainerState state, int exit_code = 0,
                       const std::string& image = "api:2") {
  ContainerInfo c;
  c.image = image;
  c.state = state;
  c.status = state == ContainerState::kRunning ? "running" : "exited";
  c.exit_code = exit_code;
  c.labels = {{kConfigHashLabel, hash}};
  return c;
}

TEST(ReconcileTest, KeepsWhatRunsWithTheSameConfig) {
  auto c = existing("aaaa", ContainerState::kRunning);
  ServiceDecision d = decide_container(desired("aaaa"), &c, false);
  EXPECT_EQ(d.action, ContainerAction::kKeep);
  EXPECT_EQ(d.reason, "unchanged and running");
}

TEST(ReconcileTest, RecreatesOnAnyChangeAndSaysWhich) {
  auto c = existing("aaaaaaaaaaaaaaaa", ContainerState::kRunning, 0, "api:1");
  ServiceDecision image = decide_container(desired("bbbbbbbbbbbbbbbb"), &c, false);
  EXPECT_EQ(image.action, ContainerAction::kRecreate);
  EXPECT_EQ(image.reason, "image changed: api:1 -> api:2");
  auto same_image = existing("aaaaaaaaaaaaaaaa", ContainerState::kRunning);
  EXPECT_EQ(decide_container(desired("bbbbbbbbbbbbbbbb"), &same_image, false).reason,
            "config changed: aaaaaaaaaaaa -> bbbbbbbbbbbb");
}

TEST(ReconcileTest, AOneShotThatExitedZeroIsDoneOneThatFailedRunsAgain) {
  auto done = existing("aaaa", ContainerState::kExited, 0);
  ServiceDecision kept = decide_container(desired("aaaa"), &done, true);
  EXPECT_EQ(kept.action, ContainerAction::kKeep);
  EXPECT_TRUE(kept.kept_completed);
  auto failed = existing("aaaa", ContainerState::kExited, 1);
  ServiceDecision again = decide_container(desired("aaaa"), &failed, true);
  EXPECT_EQ(again.action, ContainerAction::kRecreate);
  EXPECT_EQ(again.reason, "unchanged but not running (exited with code 1)");
  // A long-running service that exited is not "completed", whatever its code.
  EXPECT_EQ(decide_container(desired("aaaa"), &done, false).action, ContainerAction::kRecreate);
}

TEST(ReconcileTest, CreatesWhatIsMissing) {
  EXPECT_EQ(decide_container(desired("aaaa"), nullptr, false).action, ContainerAction::kCreate);
}

}  // namespace
}  // namespace fusion
