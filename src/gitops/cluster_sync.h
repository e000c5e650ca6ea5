#pragma once
// What a GitRepository's sync does to the cluster, for the controller to run the worker's
// actions with: staged server-side apply (CRDs and Namespaces first, waiting for CRDs to be
// Established), the owner labels of live objects, pruning, the drift check (a server-side dry
// run compared with the live object) and the status subresource.

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "gitops/git_repository.h"
#include "gitops/prune_plan.h"
#include "gitops/repository_status.h"
#include "gitops/sync_worker.h"
#include "kube/apply_batch.h"
#include "kube/kube_client.h"

namespace fusion {
namespace gitops {

inline constexpr const char* kGitOpsFieldManager = "fusion-gitops";

/// Applies `objects` (in apply order) in two stages, CRDs and Namespaces, then the rest, waiting
/// up to `timeout` for the CRDs to be Established in between. With `state`, an object unchanged
/// since its last apply on both sides is not sent (apply_batch.h). The first failing stage's
/// errors, each naming its object.
Status apply_staged(KubeClient& client, const std::vector<nlohmann::json>& objects,
                    std::chrono::milliseconds timeout, AppliedState* state = nullptr);

/// The owner label of each of `refs` that exists (absent from the map: gone).
Result<std::map<ObjectRef, OwnerLabel>> read_owners(KubeClient& client,
                                                    const std::vector<ObjectRef>& refs);

/// Deletes `refs` in the order given; one already gone is fine.
Status delete_objects(KubeClient& client, const std::vector<ObjectRef>& refs);

/// The fields of `live` that applying `dry_run` (the server's answer to a dry-run apply) would
/// change, as JSON pointers ("/spec/replicas"); the server's bookkeeping (resourceVersion,
/// managedFields, generation, status) left out.
std::vector<std::string> drifted_fields(const nlohmann::json& live, const nlohmann::json& dry_run);

/// Compares each of `objects` with the cluster by a server-side dry-run apply; with
/// DriftMode::kCorrect applies what drifted (or was deleted). One line per object and field.
Result<DriftReport> check_drift(KubeClient& client, const std::vector<nlohmann::json>& objects,
                                DriftMode mode);

/// Server-side apply of the GitRepository's status subresource.
Status write_status(KubeClient& client, const GitRepositorySpec& spec,
                    const GitRepositoryStatus& status);

}  // namespace gitops
}  // namespace fusion
