#pragma once
// A GitRepository's status subresource: where its sync stands, what it applied (the inventory
// that pruning works from) and what went wrong. The controller keeps no other state, so a
// restarted controller reads this back and carries on without re-applying what is unchanged.

#include <chrono>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/object_ref.h"
#include "util/result.h"

namespace fusion {

enum class SyncPhase { kPending, kSyncing, kSynced, kFailed };
/// "Pending", "Syncing", "Synced", "Failed".
std::string_view to_string(SyncPhase phase);
std::optional<SyncPhase> parse_sync_phase(std::string_view text);

/// The condition types the controller sets, kstatus's conventions: Ready says whether the
/// cluster has what git has; Reconciling is True while a sync is under way; Stalled is True when
/// only a change by a person (a commit, the spec, an annotation) can get it further.
inline constexpr std::string_view kReadyCondition = "Ready";
inline constexpr std::string_view kReconcilingCondition = "Reconciling";
inline constexpr std::string_view kStalledCondition = "Stalled";

/// A Kubernetes condition (metav1.Condition without observedGeneration).
struct Condition {
  std::string type;
  std::string status;  ///< "True", "False" or "Unknown"
  std::string reason;  ///< CamelCase: "Synced", "FetchFailed", "PruneRefused"
  std::string message;
  std::string last_transition_time;  ///< RFC 3339: when status last changed
  bool operator==(const Condition&) const = default;
};

/// One object a sync applied, with the digest of the object as it was sent.
struct InventoryEntry {
  ObjectRef ref;
  std::string digest;
  bool operator==(const InventoryEntry&) const = default;
};

struct GitRepositoryStatus {
  SyncPhase phase = SyncPhase::kPending;
  std::string last_synced_commit;  ///< of the last sync that applied and pruned all it had to
  std::string last_attempted_commit;
  std::string last_sync_time;  ///< RFC 3339, of last_synced_commit's sync; empty before the first
  int64_t observed_generation = 0;  ///< the spec generation of the last completed sync
  std::vector<Condition> conditions;
  std::vector<InventoryEntry> inventory;  ///< in apply order
  std::string last_error;                 ///< empty unless phase is Failed

  const Condition* condition(std::string_view type) const;
  /// Sets condition `type` (added after the others when new). Its last_transition_time becomes
  /// `now` only when the condition is new or its status changes, as Kubernetes' own do.
  void set_condition(std::string_view type, std::string_view status, std::string_view reason,
                     std::string_view message, std::string_view now);
  bool operator==(const GitRepositoryStatus&) const = default;
};

/// The status as the subresource holds it: camelCase keys; empty strings and lists left out.
nlohmann::json status_to_json(const GitRepositoryStatus& status);
/// Reads back what status_to_json wrote (missing fields keep their defaults); an error names the
/// first field of the wrong type or an unknown phase.
Result<GitRepositoryStatus> status_from_json(const nlohmann::json& json);

/// "2024-05-01T10:00:00Z": UTC, whole seconds, as Kubernetes writes times.
std::string format_rfc3339(std::chrono::system_clock::time_point time);

}  // namespace fusion
