#include "gitops/sync_worker.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <type_traits>

#include "kube/apply_batch.h"
#include "util/duration.h"

namespace fusion {
namespace gitops {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

const std::string kCommitA(40, 'a');
const std::string kCommitB(40, 'b');

json config_map(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "shop"}}}};
}

GitRepositorySpec web_spec() {
  GitRepositorySpec spec;
  spec.name = "web";
  spec.namespace_ = "shop";
  spec.generation = 1;
  spec.url = "https://git.example/shop.git";
  return spec;
}

/// A driver that answers every action at once from the fields below and logs what it was asked,
/// one line per action: "ls-remote refs/heads/main", "fetch aaaa", "status Synced/Synced",
/// "wait 5m".
class FakeDriver {
 public:
  explicit FakeDriver(GitRepositorySpec spec = web_spec(), GitRepositoryStatus status = {},
                      SyncWorkerOptions options = {})
      : worker(std::move(spec), std::move(status), with_test_clock(std::move(options))) {}

  /// Steps until the worker waits; returns the lines logged meanwhile.
  std::vector<std::string> run() {
    std::vector<std::string> lines;
    for (int i = 0; i < 100; ++i) {
      Action action = worker.step(clock.now());
      lines.push_back(std::visit([&](auto& a) { return answer(a); }, action));
      if (std::holds_alternative<WaitUntil>(action)) return lines;
    }
    ADD_FAILURE() << "the worker never waits";
    return lines;
  }

  FakeClock clock;
  Result<std::string> head = kCommitA;
  Status fetch = ok_status();
  Result<std::vector<json>> render = std::vector<json>{config_map("a"), config_map("b")};
  Status apply = ok_status();
  /// Every candidate is live and ours unless set here.
  std::optional<Result<std::map<ObjectRef, OwnerLabel>>> owners;
  Status prune = ok_status();
  Result<DriftReport> drift = DriftReport{};
  Status write = ok_status();
  std::vector<json> applied;  ///< the objects of the last Apply
  SyncWorker worker;

 private:
  SyncWorkerOptions with_test_clock(SyncWorkerOptions options) {
    options.timestamp = [this] {
      auto since = std::chrono::duration_cast<seconds>(clock.now().time_since_epoch()).count();
      return fmt::format("t+{}s", since);
    };
    return options;
  }

  static std::string names(const std::vector<ObjectRef>& refs) {
    std::vector<std::string> out;
    for (const ObjectRef& ref : refs) out.push_back(ref.name);
    return fmt::format("{}", fmt::join(out, ","));
  }

  std::string answer(const LsRemote& a) {
    worker.on_ls_remote(head, clock.now());
    return "ls-remote " + a.ref;
  }
  std::string answer(const Fetch& a) {
    worker.on_fetched(fetch, clock.now());
    return "fetch " + a.commit.substr(0, 4);
  }
  std::string answer(const Render& a) {
    worker.on_rendered(render, clock.now());
    return "render " + a.commit.substr(0, 4) + " " + a.path;
  }
  std::string answer(const Apply& a) {
    applied = a.objects;
    worker.on_applied(apply, clock.now());
    std::vector<ObjectRef> refs;
    for (const json& object : a.objects) refs.push_back(object_ref_of(object));
    return "apply " + names(refs);
  }
  std::string answer(const ReadOwners& a) {
    std::map<ObjectRef, OwnerLabel> all_ours;
    for (const ObjectRef& ref : a.objects) all_ours[ref] = "shop.web";
    worker.on_owners_read(owners.value_or(all_ours), clock.now());
    return "read-owners " + names(a.objects);
  }
  std::string answer(const Prune& a) {
    worker.on_pruned(prune, clock.now());
    return "prune " + names(a.objects);
  }
  std::string answer(const CheckDrift& a) {
    worker.on_drift_checked(drift, clock.now());
    return "drift " + a.commit.substr(0, 4);
  }
  std::string answer(const WriteStatus& a) {
    worker.on_status_written(write, clock.now());
    const Condition* ready = a.status.condition(kReadyCondition);
    return fmt::format("status {}/{}", to_string(a.status.phase), ready ? ready->reason : "-");
  }
  std::string answer(const WaitUntil& a) {
    if (a.time == TimePoint::max()) return "wait forever";
    return "wait " + format_duration(std::chrono::duration_cast<Millis>(a.time - clock.now()));
  }
};

using Lines = std::vector<std::string>;

TEST(SyncWorker, FirstSyncAppliesEverythingLabelledAndRecordsTheInventory) {
  FakeDriver driver;
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing", "fetch aaaa",
                   "render aaaa .", "apply a,b", "status Synced/Synced", "wait 5m"}));
  const GitRepositoryStatus& status = driver.worker.status();
  EXPECT_EQ(status.last_synced_commit, kCommitA);
  EXPECT_EQ(status.last_attempted_commit, kCommitA);
  EXPECT_EQ(status.last_sync_time, "t+0s");
  EXPECT_EQ(status.observed_generation, 1);
  ASSERT_EQ(status.inventory.size(), 2u);
  EXPECT_EQ(status.inventory[0].ref, (ObjectRef{"v1", "ConfigMap", "shop", "a"}));
  EXPECT_EQ(status.inventory[0].digest, object_digest(driver.applied[0]));
  EXPECT_EQ(driver.applied[1]["metadata"]["labels"]["gitops.fusion.dev/owner"], "shop.web");
  EXPECT_EQ(status.condition(kReadyCondition)->message,
            "2 objects applied from branch main at aaaaaaaaaaaa");
  EXPECT_EQ(status.condition(kReconcilingCondition)->status, "False");
}

TEST(SyncWorker, AnUnchangedCommitOnlyLooksForDrift) {
  FakeDriver driver;
  driver.run();
  driver.clock.advance(minutes(4));
  EXPECT_EQ(driver.run(), Lines{"wait 1m"});
  driver.clock.advance(minutes(1));
  EXPECT_EQ(driver.run(), (Lines{"ls-remote refs/heads/main", "drift aaaa", "wait 5m"}));
}

TEST(SyncWorker, ANewCommitIsSyncedAndWhatItDroppedIsPruned) {
  FakeDriver driver;
  driver.render =
      std::vector<json>{config_map("a"), config_map("b"), config_map("c"), config_map("d")};
  driver.run();
  driver.clock.advance(minutes(5));
  driver.head = kCommitB;
  driver.render = std::vector<json>{config_map("a"), config_map("b"), config_map("c")};
  EXPECT_EQ(driver.run(), (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing",
                                 "fetch bbbb", "render bbbb .", "apply a,b,c", "read-owners d",
                                 "prune d", "status Synced/Synced", "wait 5m"}));
  EXPECT_EQ(driver.worker.status().inventory.size(), 3u);
  EXPECT_EQ(driver.worker.status().condition(kReadyCondition)->message,
            "3 objects applied from branch main at bbbbbbbbbbbb; pruned 1");
}

TEST(SyncWorker, NeverPrunesAnObjectAnotherOwnerHas) {
  FakeDriver driver;
  driver.render =
      std::vector<json>{config_map("a"), config_map("b"), config_map("c"), config_map("d")};
  driver.run();
  driver.head = kCommitB;
  driver.render = std::vector<json>{config_map("a"), config_map("b"), config_map("c")};
  driver.owners = std::map<ObjectRef, OwnerLabel>{{{"v1", "ConfigMap", "shop", "d"}, "shop.api"}};
  driver.worker.request_sync();
  EXPECT_EQ(driver.run(), (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing",
                                 "fetch bbbb", "render bbbb .", "apply a,b,c", "read-owners d",
                                 "status Synced/Synced", "wait 5m"}));
  EXPECT_EQ(driver.worker.status().condition(kReadyCondition)->message,
            "3 objects applied from branch main at bbbbbbbbbbbb; not pruned, not this "
            "repository's: ConfigMap shop/d is owned by \"shop.api\"");
  EXPECT_EQ(driver.worker.status().inventory.size(), 3u);  // d is no longer ours to track
}

TEST(SyncWorker, AFailedFetchBacksOffThenRecovers) {
  FakeDriver driver;
  driver.fetch =
      Error{"could not read Username for 'https://git.example': terminal prompts disabled"};
  EXPECT_EQ(driver.run(), (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing",
                                 "fetch aaaa", "status Failed/FetchFailed", "wait 1s"}));
  const GitRepositoryStatus& status = driver.worker.status();
  EXPECT_EQ(status.last_error,
            "fetching commit aaaaaaaaaaaa from https://git.example/shop.git failed: could not read "
            "Username for 'https://git.example': terminal prompts disabled");
  EXPECT_EQ(status.condition(kReadyCondition)->status, "False");
  EXPECT_EQ(status.condition(kReconcilingCondition)->message, "retrying in 1s");
  EXPECT_TRUE(status.inventory.empty());
  EXPECT_TRUE(status.last_synced_commit.empty());
  // The schedule: 1 s, 2 s, 4 s … Ready keeps its first transition time while it stays False.
  std::vector<std::string> waits;
  for (int i = 0; i < 8; ++i) {
    Lines lines = driver.run();
    driver.clock.advance(parse_duration(lines.back().substr(5)).value());
    waits.push_back(driver.run().back());
  }
  EXPECT_EQ(waits, (Lines{"wait 2s", "wait 4s", "wait 8s", "wait 16s", "wait 32s", "wait 1m",
                          "wait 5m", "wait 5m"}));
  EXPECT_EQ(status.condition(kReadyCondition)->last_transition_time, "t+0s");
  driver.fetch = ok_status();
  driver.clock.advance(minutes(5));
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "status Syncing/FetchFailed", "fetch aaaa",
                   "render aaaa .", "apply a,b", "status Synced/Synced", "wait 5m"}));
  EXPECT_TRUE(status.last_error.empty());
  // The backoff starts over after a success.
  driver.head =
      Error{"fatal: unable to access 'https://git.example/shop.git/': Could not resolve host"};
  driver.clock.advance(minutes(5));
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "status Failed/SourceFailed", "wait 1s"}));
}

TEST(SyncWorker, ARenderFailureKeepsTheInventoryAndPrunesNothing) {
  FakeDriver driver;
  driver.run();
  GitRepositoryStatus before = driver.worker.status();
  driver.head = kCommitB;
  driver.render = Error{"deploy/web.yaml:3: mapping values are not allowed here"};
  driver.clock.advance(minutes(5));
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing", "fetch bbbb",
                   "render bbbb .", "status Failed/RenderFailed", "wait 1s"}));
  const GitRepositoryStatus& status = driver.worker.status();
  EXPECT_EQ(status.inventory, before.inventory);
  EXPECT_EQ(status.last_synced_commit, kCommitA);
  EXPECT_EQ(status.last_attempted_commit, kCommitB);
  EXPECT_EQ(status.last_error,
            "rendering . of commit bbbbbbbbbbbb failed: deploy/web.yaml:3: mapping values are not "
            "allowed here; nothing was applied or pruned");
}

TEST(SyncWorker, AnApplyFailurePrunesNothingAndTracksWhatItMayHaveCreated) {
  FakeDriver driver;
  driver.run();
  driver.head = kCommitB;
  driver.render = std::vector<json>{config_map("c")};
  driver.apply = Error{
      "ConfigMap shop/c: forbidden: User \"system:serviceaccount:shop:deployer\" "
      "cannot patch resource \"configmaps\""};
  driver.clock.advance(minutes(5));
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing", "fetch bbbb",
                   "render bbbb .", "apply c", "status Failed/ApplyFailed", "wait 1s"}));
  const GitRepositoryStatus& status = driver.worker.status();
  ASSERT_EQ(status.inventory.size(), 3u);
  EXPECT_EQ(status.inventory[2].ref.name, "c");
  EXPECT_EQ(status.inventory[2].digest, "");  // unknown: the apply failed
  EXPECT_EQ(status.last_synced_commit, kCommitA);
}

TEST(SyncWorker, AnEmptyRenderIsStalledNotPruned) {
  FakeDriver driver;
  driver.run();
  GitRepositoryStatus before = driver.worker.status();
  driver.head = kCommitB;
  driver.render = std::vector<json>{};
  driver.clock.advance(minutes(5));
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing", "fetch bbbb",
                   "render bbbb .", "status Failed/PruneRefused", "wait 5m"}));
  const GitRepositoryStatus& status = driver.worker.status();
  EXPECT_EQ(status.inventory, before.inventory);
  EXPECT_EQ(status.condition(kStalledCondition)->status, "True");
  EXPECT_EQ(status.condition(kReconcilingCondition)->status, "False");
  EXPECT_EQ(status.last_synced_commit, kCommitA);
  // Allowed by the annotation, the next sync prunes everything.
  GitRepositorySpec spec = driver.worker.spec();
  spec.allow_mass_prune = true;
  driver.worker.update_spec(spec);
  // Ready stays False with the refusal until a sync succeeds.
  EXPECT_EQ(driver.run(), (Lines{"ls-remote refs/heads/main", "status Syncing/PruneRefused",
                                 "fetch bbbb", "render bbbb .", "read-owners a,b", "prune b,a",
                                 "status Synced/Synced", "wait 5m"}));
  EXPECT_TRUE(driver.worker.status().inventory.empty());
}

TEST(SyncWorker, ASuspendedRepositoryOnlyReports) {
  GitRepositorySpec spec = web_spec();
  spec.suspend = true;
  FakeDriver driver(spec);
  EXPECT_EQ(driver.run(), (Lines{"status Pending/-", "wait forever"}));
  EXPECT_EQ(driver.worker.status().condition(kReconcilingCondition)->reason, "Suspended");
  driver.clock.advance(minutes(60));
  driver.worker.request_sync();
  EXPECT_EQ(driver.run(), Lines{"wait forever"});
  spec.suspend = false;
  driver.worker.update_spec(spec);
  EXPECT_EQ(driver.run().front(), "ls-remote refs/heads/main");
}

TEST(SyncWorker, WaitsForItsDependencies) {
  GitRepositorySpec spec = web_spec();
  spec.depends_on = {{"infra", "shop"}};
  bool infra_synced = false;
  SyncWorkerOptions options;
  options.dependency_synced = [&](const GitRepositoryDependency& d) {
    return d.name == "infra" && infra_synced;
  };
  FakeDriver driver(spec, {}, options);
  EXPECT_EQ(driver.run(), (Lines{"status Pending/DependencyNotReady", "wait 10s"}));
  EXPECT_EQ(driver.worker.status().condition(kReadyCondition)->message,
            "waiting for GitRepository 'shop/infra' to be Synced");
  driver.clock.advance(seconds(10));
  EXPECT_EQ(driver.run(), Lines{"wait 10s"});
  infra_synced = true;  // the driver steps dependents when a repository becomes Synced
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing", "fetch aaaa",
                   "render aaaa .", "apply a,b", "status Synced/Synced", "wait 5m"}));
}

TEST(SyncWorker, ARestartedWorkerResumesFromTheStatusWithoutReapplying) {
  FakeDriver first;
  first.run();
  GitRepositoryStatus saved = first.worker.status();
  auto reread = status_from_json(status_to_json(saved));
  ASSERT_TRUE(reread.ok());
  FakeDriver restarted(web_spec(), *reread);
  EXPECT_EQ(restarted.run(), (Lines{"ls-remote refs/heads/main", "drift aaaa", "wait 5m"}));
  EXPECT_EQ(restarted.worker.status(), saved);
  // A new generation of the spec syncs the same commit again.
  GitRepositorySpec spec = web_spec();
  spec.generation = 2;
  FakeDriver changed(spec, *reread);
  EXPECT_EQ(changed.run()[1], "status Syncing/Progressing");
  EXPECT_EQ(changed.worker.status().observed_generation, 2);
}

TEST(SyncWorker, ARequestedSyncAppliesAnUnchangedCommitAndCutsTheWaitShort) {
  FakeDriver driver;
  driver.run();
  driver.clock.advance(minutes(1));
  driver.worker.request_sync();
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing", "fetch aaaa",
                   "render aaaa .", "apply a,b", "status Synced/Synced", "wait 5m"}));
}

TEST(SyncWorker, ReportsDriftAndOnlyCorrectsItWhenAskedTo) {
  FakeDriver driver;
  driver.run();
  driver.drift = DriftReport{{"ConfigMap shop/a: data.mode"}};
  driver.clock.advance(minutes(5));
  EXPECT_EQ(driver.run(), (Lines{"ls-remote refs/heads/main", "drift aaaa",
                                 "status Synced/DriftCorrected", "wait 5m"}));
  EXPECT_EQ(driver.worker.status().condition(kReadyCondition)->message,
            "put back what was changed in the cluster: ConfigMap shop/a: data.mode");
  GitRepositorySpec spec = driver.worker.spec();
  spec.drift = DriftMode::kWarn;
  driver.worker.update_spec(spec);  // a changed spec syncs at once
  driver.run();
  driver.clock.advance(minutes(5));
  EXPECT_EQ(driver.run(), (Lines{"ls-remote refs/heads/main", "drift aaaa",
                                 "status Synced/DriftDetected", "wait 5m"}));
  EXPECT_EQ(driver.worker.status().condition(kReadyCondition)->status, "False");
  driver.drift = DriftReport{};
  driver.clock.advance(minutes(5));
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "drift aaaa", "status Synced/Synced", "wait 5m"}));
}

TEST(SyncWorker, APinnedCommitNeedsNoLsRemote) {
  GitRepositorySpec spec = web_spec();
  spec.ref = {GitRef::Kind::kCommit, kCommitB};
  FakeDriver driver(spec);
  EXPECT_EQ(driver.run(), (Lines{"status Syncing/Progressing", "fetch bbbb", "render bbbb .",
                                 "apply a,b", "status Synced/Synced", "wait 5m"}));
  driver.clock.advance(minutes(5));
  EXPECT_EQ(driver.run(), (Lines{"drift bbbb", "wait 5m"}));
}

TEST(SyncWorker, AFailedStatusWriteIsRetriedWithoutHoldingUpTheSync) {
  FakeDriver driver;
  driver.write = Error{"the server is currently unable to handle the request"};
  EXPECT_EQ(driver.run(), (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing",
                                 "fetch aaaa", "render aaaa .", "apply a,b", "wait 1s"}));
  driver.write = ok_status();
  driver.clock.advance(seconds(1));
  EXPECT_EQ(driver.run(), (Lines{"status Synced/Synced", "wait 4m59s"}));
}

TEST(SyncWorker, AChangedSpecAbandonsACycleBeforeItsApply) {
  FakeDriver driver;
  Action action = driver.worker.step(driver.clock.now());
  ASSERT_TRUE(std::holds_alternative<LsRemote>(action));
  GitRepositorySpec spec = web_spec();
  spec.path = "prod";
  driver.worker.update_spec(spec);
  driver.worker.on_ls_remote(kCommitA, driver.clock.now());
  EXPECT_EQ(driver.run(),
            (Lines{"ls-remote refs/heads/main", "status Syncing/Progressing", "fetch aaaa",
                   "render aaaa prod", "apply a,b", "status Synced/Synced", "wait 5m"}));
}

}  // namespace
}  // namespace gitops
}  // namespace fusion
