#include "gitops/prune_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "gitops/apply_order.h"
#include "gitops/git_repository.h"
#include "gitops/ownership.h"

namespace fusion {
namespace {

/// The most candidates a prune may delete without the annotation: the share of the inventory,
/// rounded down, but never less than one, so removing one object of a small repository is not
/// a "mass" prune.
size_t prune_allowance(size_t inventory_size, int max_prune_percent) {
  size_t share = inventory_size * static_cast<size_t>(std::max(max_prune_percent, 0)) / 100;
  return std::max<size_t>(share, 1);
}

std::optional<std::string> refusal_reason(const PruneInput& input, size_t candidates) {
  if (input.allow_mass_prune || candidates == 0) return std::nullopt;
  if (input.rendered.empty()) {
    return fmt::format(
        "the render is empty, which would delete all {} objects of the inventory; nothing was "
        "pruned. Check spec.path and the commit, or set the annotation {}: \"true\" to allow it",
        input.inventory.size(), kAllowMassPruneAnnotation);
  }
  if (candidates > prune_allowance(input.inventory.size(), input.max_prune_percent)) {
    return fmt::format(
        "the render would delete {} of {} objects, more than spec.maxPrunePercent ({}%) allows; "
        "nothing was pruned. Check the commit, or set the annotation {}: \"true\" to allow it",
        candidates, input.inventory.size(), input.max_prune_percent, kAllowMassPruneAnnotation);
  }
  return std::nullopt;
}

}  // namespace

bool same_object(const ObjectRef& a, const ObjectRef& b) {
  return a.kind == b.kind && a.name == b.name && a.namespace_ == b.namespace_ &&
         a.group() == b.group();
}

std::vector<ObjectRef> prune_candidates(const std::vector<InventoryEntry>& inventory,
                                        const std::vector<ObjectRef>& rendered) {
  // An object's identity: its reference with the group in place of the API version.
  auto identity = [](const ObjectRef& r) {
    return ObjectRef{r.group(), r.kind, r.namespace_, r.name};
  };
  std::set<ObjectRef> kept;
  for (const ObjectRef& ref : rendered) kept.insert(identity(ref));
  std::vector<ObjectRef> candidates;
  for (const InventoryEntry& entry : inventory) {
    if (!kept.contains(identity(entry.ref))) candidates.push_back(entry.ref);
  }
  return candidates;
}

PrunePlan plan_prune(const PruneInput& input) {
  PrunePlan plan;
  if (!input.prune) return plan;
  std::vector<ObjectRef> candidates = prune_candidates(input.inventory, input.rendered);
  plan.refusal = refusal_reason(input, candidates.size());
  if (plan.refusal) return plan;
  for (const ObjectRef& ref : candidates) {
    auto live = input.live_owners.find(ref);
    if (live == input.live_owners.end()) {
      plan.already_gone.push_back(ref);
    } else if (!live->second) {
      plan.not_ours.emplace_back(ref, fmt::format("has no {} label", kOwnerLabel));
    } else if (*live->second != input.owner) {
      plan.not_ours.emplace_back(ref, fmt::format("is owned by \"{}\"", *live->second));
    } else {
      plan.to_delete.push_back(ref);
    }
  }
  std::stable_sort(plan.to_delete.begin(), plan.to_delete.end(),
                   [](const ObjectRef& a, const ObjectRef& b) { return applies_before(b, a); });
  return plan;
}

}  // namespace fusion
