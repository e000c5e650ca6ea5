#include "gitops/repository_status.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fusion {
namespace {

using nlohmann::json;

GitRepositoryStatus synced_status() {
  GitRepositoryStatus status;
  status.phase = SyncPhase::kSynced;
  status.last_synced_commit = "1a2b";
  status.last_attempted_commit = "1a2b";
  status.last_sync_time = "2024-05-01T10:00:00Z";
  status.observed_generation = 4;
  status.set_condition("Ready", "True", "Synced", "2 objects applied", "2024-05-01T10:00:00Z");
  status.inventory = {{{"v1", "Namespace", "", "shop"}, "d1"},
                      {{"apps/v1", "Deployment", "shop", "web"}, "d2"}};
  return status;
}

TEST(GitRepositoryStatus, WritesTheSubresourceAsKubernetesSpellsIt) {
  json expected = json::parse(R"({
    "phase": "Synced", "observedGeneration": 4, "lastSyncedCommit": "1a2b",
    "lastAttemptedCommit": "1a2b", "lastSyncTime": "2024-05-01T10:00:00Z",
    "conditions": [{"type": "Ready", "status": "True", "reason": "Synced",
                    "message": "2 objects applied", "lastTransitionTime": "2024-05-01T10:00:00Z"}],
    "inventory": [{"apiVersion": "v1", "kind": "Namespace", "name": "shop", "digest": "d1"},
                  {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop",
                   "name": "web", "digest": "d2"}]})");
  EXPECT_EQ(status_to_json(synced_status()), expected);
}

TEST(GitRepositoryStatus, ReadsBackWhatItWrote) {
  GitRepositoryStatus status = synced_status();
  status.phase = SyncPhase::kFailed;
  status.last_error = "fetching failed";
  auto read = status_from_json(status_to_json(status));
  ASSERT_TRUE(read.ok()) << read.error();
  EXPECT_EQ(*read, status);
  auto empty = status_from_json(json::object());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, GitRepositoryStatus{});
}

TEST(GitRepositoryStatus, NamesTheFieldThatCannotBeRead) {
  EXPECT_EQ(status_from_json(json{{"phase", "Done"}}).error(),
            "status.phase: unknown phase \"Done\"");
  EXPECT_EQ(status_from_json(json{{"inventory", {1}}}).error(),
            "status.inventory[0]: expected a map");
  EXPECT_EQ(status_from_json(json{{"observedGeneration", "4"}}).error(),
            "status.observedGeneration: expected a whole number");
  EXPECT_EQ(status_from_json(json{{"lastSyncedCommit", 7}}).error(),
            "status.lastSyncedCommit: expected a string");
}

TEST(GitRepositoryStatus, ATransitionTimeChangesOnlyWithTheStatus) {
  GitRepositoryStatus status;
  status.set_condition("Ready", "False", "FetchFailed", "timeout", "T1");
  status.set_condition("Ready", "False", "RenderFailed", "bad yaml", "T2");
  ASSERT_NE(status.condition("Ready"), nullptr);
  EXPECT_EQ(*status.condition("Ready"),
            (Condition{"Ready", "False", "RenderFailed", "bad yaml", "T1"}));
  status.set_condition("Ready", "True", "Synced", "ok", "T3");
  EXPECT_EQ(status.condition("Ready")->last_transition_time, "T3");
  status.set_condition("Stalled", "False", "Synced", "", "T4");
  EXPECT_EQ(status.conditions.size(), 2u);
  EXPECT_EQ(status.conditions[1].type, "Stalled");
  EXPECT_EQ(status.condition("Reconciling"), nullptr);
}

TEST(GitRepositoryStatus, PhasesHaveTheirCustomResourceNames) {
  for (SyncPhase phase :
       {SyncPhase::kPending, SyncPhase::kSyncing, SyncPhase::kSynced, SyncPhase::kFailed}) {
    EXPECT_EQ(parse_sync_phase(to_string(phase)), phase);
  }
  EXPECT_EQ(to_string(SyncPhase::kSyncing), "Syncing");
  EXPECT_EQ(parse_sync_phase("synced"), std::nullopt);
}

TEST(GitRepositoryStatus, FormatsTimesAsRfc3339InUtc) {
  auto time = std::chrono::system_clock::time_point(std::chrono::seconds(1'714'557'600)) +
              std::chrono::milliseconds(999);
  EXPECT_EQ(format_rfc3339(time), "2024-05-01T10:00:00Z");
}

}  // namespace
}  // namespace fusion
