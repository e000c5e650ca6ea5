#pragma once
// One GitRepository's sync, as a state machine that never does I/O (STYLE.md, watchman): step()
// says what to do next, the driver does it (git, render, the API) and reports the result back
// with the matching on_…() call. Tests drive it by hand with a fake clock.
//
// A cycle starts at start-up, every spec.interval, on request_sync() and when the spec changes:
//   ls-remote (a fixed commit skips it) ─► the commit is lastSyncedCommit and nothing forces a
//   sync ─► CheckDrift (nothing fetched);
//   otherwise ─► Fetch ─► Render ─► Apply (labelled, in apply order) ─► the prune plan:
//   candidates (inventory entries not rendered) ─► refused (Stalled) or ReadOwners ─► Prune
//   ─► Synced.
// A failure at any step makes the phase Failed with Ready=False and the error in words, prunes
// nothing and retries by the backoff; a refused prune is Stalled and is tried again at the next
// interval, not sooner. Suspended, the worker only reports; with dependsOn it waits until the
// driver says every dependency is Synced. Every change of the status is written (WriteStatus)
// before the cycle goes on, so what the cluster shows is never behind what the worker did.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gitops/backoff.h"
#include "gitops/git_repository.h"
#include "gitops/prune_plan.h"
#include "gitops/repository_status.h"
#include "util/clock.h"
#include "util/result.h"

namespace fusion {
namespace gitops {

/// `git ls-remote url ref`: report the commit it points to with on_ls_remote.
struct LsRemote {
  std::string url;
  std::string ref;  ///< "refs/heads/main", "refs/tags/v1.2"
};
/// Make `commit` readable (shallow fetch into the shared cache): on_fetched.
struct Fetch {
  std::string url;
  std::string commit;
};
/// Render `path` of `commit` (YAML, kustomization or fusion.yaml), putting namespaced objects
/// without a namespace into `target_namespace` when it is set: on_rendered.
struct Render {
  std::string commit;
  std::string path;
  std::string target_namespace;
};
/// Server-side apply `objects` in the order given (labelled, CRDs and Namespaces first):
/// on_applied.
struct Apply {
  std::vector<nlohmann::json> objects;
};
/// Read the owner label of each object that still exists: on_owners_read.
struct ReadOwners {
  std::vector<ObjectRef> objects;
};
/// Delete `objects` in the order given: on_pruned.
struct Prune {
  std::vector<ObjectRef> objects;
};
/// Render `path` of `commit` again (the driver's cache has it) and compare the live objects with
/// it by a server-side dry-run; with DriftMode::kCorrect apply what differs: on_drift_checked.
struct CheckDrift {
  std::string commit;
  std::string path;
  std::string target_namespace;
  DriftMode mode = DriftMode::kCorrect;
};
/// Write the status subresource: on_status_written.
struct WriteStatus {
  GitRepositoryStatus status;
};
/// Nothing to do until `time` (TimePoint::max(): until a result, request_sync or update_spec);
/// no on_…() call.
struct WaitUntil {
  TimePoint time;
};

using Action = std::variant<LsRemote, Fetch, Render, Apply, ReadOwners, Prune, CheckDrift,
                            WriteStatus, WaitUntil>;

/// What a drift check found: one line per object and field, e.g. "Deployment shop/web:
/// spec.replicas"; empty when the cluster matches git.
struct DriftReport {
  std::vector<std::string> drifted;
};

struct SyncWorkerOptions {
  Backoff::Options backoff;  ///< its interval is the spec's
  /// In [0, 1), for the backoff's jitter.
  std::function<double()> random = [] { return 0.0; };
  /// The time written into the status (RFC 3339); the system clock's when empty.
  std::function<std::string()> timestamp;
  /// Whether a dependency is Synced; every dependency counts as Synced when empty.
  std::function<bool(const GitRepositoryDependency&)> dependency_synced;
  /// How often dependencies are looked at again while waiting (the driver also steps a waiting
  /// worker when another repository becomes Synced).
  Millis dependency_recheck{10'000};
};

class SyncWorker {
 public:
  /// `status` is the resource's status as read from the cluster (empty for a new one): a worker
  /// that finds its commit already synced applies nothing.
  SyncWorker(GitRepositorySpec spec, GitRepositoryStatus status, SyncWorkerOptions options);

  /// The next action. While an action is out (not reported back yet), WaitUntil{max}. Call it
  /// after every on_…() call, request_sync() and update_spec(), and when a WaitUntil is due.
  Action step(TimePoint now);

  void on_ls_remote(Result<std::string> commit, TimePoint now);
  void on_fetched(Status result, TimePoint now);
  void on_rendered(Result<std::vector<nlohmann::json>> objects, TimePoint now);
  void on_applied(Status result, TimePoint now);
  /// The owner label of each candidate that exists; one missing from the map is gone.
  void on_owners_read(Result<std::map<ObjectRef, OwnerLabel>> owners, TimePoint now);
  void on_pruned(Status result, TimePoint now);
  void on_drift_checked(Result<DriftReport> report, TimePoint now);
  void on_status_written(Status result, TimePoint now);

  /// Fetch, render and apply at the next step even when the commit is unchanged (`fusion gitops
  /// sync NAME`); it also cuts a backoff short.
  void request_sync() { sync_requested_ = true; }
  /// The resource changed: a changed spec or annotation syncs again at once; a cycle in flight
  /// before its apply is abandoned when its result comes.
  void update_spec(GitRepositorySpec spec);

  const GitRepositorySpec& spec() const { return spec_; }
  const GitRepositoryStatus& status() const { return status_; }

 private:
  /// What is out: Stage(i + 1) answers alternative i of Action.
  enum class Stage {
    kNone,
    kLsRemote,
    kFetch,
    kRender,
    kApply,
    kReadOwners,
    kPrune,
    kDrift,
    kWriteStatus,
  };

  Action emit(Action action);
  bool take_result(Stage stage);
  void start_cycle(TimePoint now);
  void report_suspended();
  bool dependencies_ready(TimePoint now);
  void on_commit(const std::string& commit);
  bool abandon_if_spec_changed(TimePoint now);
  void plan_apply(std::vector<nlohmann::json> objects, TimePoint now);
  PruneInput prune_input() const;
  void after_apply(TimePoint now);

  void begin_sync();
  void succeed(TimePoint now, const std::string& detail);
  void fail(TimePoint now, std::string_view reason, const std::string& message);
  void stall(TimePoint now, std::string_view reason, const std::string& message);
  void mark_ready(std::string_view reason, const std::string& message);
  void end_cycle();
  std::string source_text() const;
  std::string synced_message(const std::string& detail) const;
  std::string now_text() const;

  GitRepositorySpec spec_;
  GitRepositoryStatus status_;
  GitRepositoryStatus written_;  ///< the status as last written (or read at start)
  GitRepositoryStatus sending_;  ///< the status a WriteStatus out carries
  SyncWorkerOptions options_;
  Backoff backoff_;
  Backoff status_backoff_;

  Stage in_flight_ = Stage::kNone;
  std::optional<Action> next_;  ///< decided by a result, emitted by the next step
  TimePoint next_poll_ = TimePoint::min();
  TimePoint status_retry_at_ = TimePoint::min();
  bool sync_requested_ = false;
  bool spec_changed_ = false;
  bool waiting_for_dependencies_ = false;
  bool force_sync_ = false;  ///< this cycle applies even an unchanged commit

  // The cycle in progress.
  std::string commit_;
  std::vector<InventoryEntry> rendered_;  ///< the objects sent by Apply, with their digests
  std::vector<ObjectRef> to_delete_;
  std::string prune_detail_;
};

}  // namespace gitops
}  // namespace fusion
