#pragma once
// What a sync deletes after a successful apply, decided without touching the cluster: the
// objects of the previous inventory that the new render no longer has, still labelled as this
// repository's, deleted in reverse apply order. A render that would wipe out everything, or more
// than a set share of the inventory, is refused rather than trusted: a wrong `path`, a bad merge
// or an empty checkout looks exactly like that.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gitops/repository_status.h"
#include "kube/object_ref.h"

namespace fusion {

/// The owner label of a live object; nullopt when it has none.
using OwnerLabel = std::optional<std::string>;

struct PruneInput {
  std::vector<InventoryEntry> inventory;  ///< what the last syncs applied
  std::vector<ObjectRef> rendered;        ///< what this sync applied
  /// The live objects among the candidates (inventory entries not rendered), by their inventory
  /// reference; a candidate missing here is gone from the cluster already.
  std::map<ObjectRef, OwnerLabel> live_owners;
  std::string owner;  ///< this repository's owner label value (owner_label_value)
  bool prune = true;
  bool allow_mass_prune = false;
  int max_prune_percent = 25;
};

struct PrunePlan {
  std::vector<ObjectRef> to_delete;  ///< in reverse apply order
  /// Candidates left alone because a live object's owner label is not this repository's: the
  /// reason, e.g. `owned by "shop.other"` or `has no gitops.fusion.dev/owner label`.
  std::vector<std::pair<ObjectRef, std::string>> not_ours;
  std::vector<ObjectRef> already_gone;  ///< candidates no longer in the cluster
  /// Set when the prune is refused (the repository is Stalled): why, in words a person can act
  /// on. Nothing is deleted then.
  std::optional<std::string> refusal;
};

/// Objects are the same across API versions: ("apps/v1", Deployment) and ("apps/v1beta2",
/// Deployment) of one name are one object, so moving to a new version never prunes.
bool same_object(const ObjectRef& a, const ObjectRef& b);

/// The inventory entries that `rendered` no longer has (by same_object), in inventory order.
std::vector<ObjectRef> prune_candidates(const std::vector<InventoryEntry>& inventory,
                                        const std::vector<ObjectRef>& rendered);

/// The decision: nothing when prune is off; a refusal when the render is empty and the inventory
/// is not, or when more candidates than max_prune_percent of the inventory (and more than one)
/// would go, unless allow_mass_prune; otherwise the candidates whose live owner label is
/// `owner`.
PrunePlan plan_prune(const PruneInput& input);

}  // namespace fusion
