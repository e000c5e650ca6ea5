#pragma once
// How objects say which GitRepository applied them: kubectl's ApplySet label (KEP 3659), so
// `kubectl apply --prune --applyset` and other ApplySet tools see the same sets, and fusion's own
// owner label, which a prune checks on the live object before deleting it.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gitops/repository_status.h"

namespace fusion {

inline constexpr std::string_view kApplySetPartOfLabel = "applyset.kubernetes.io/part-of";
/// On the parent (the GitRepository): the same id as its members' part-of label.
inline constexpr std::string_view kApplySetIdLabel = "applyset.kubernetes.io/id";
inline constexpr std::string_view kApplySetToolingAnnotation = "applyset.kubernetes.io/tooling";
inline constexpr std::string_view kApplySetGroupKindsAnnotation =
    "applyset.kubernetes.io/contains-group-kinds";
inline constexpr std::string_view kOwnerLabel = "gitops.fusion.dev/owner";

/// kubectl's ApplySet id of a parent object: "applyset-" + unpadded base64url of
/// sha256("<name>.<namespace>.<kind>.<group>") + "-v1".
std::string applyset_id(std::string_view name, std::string_view namespace_, std::string_view kind,
                        std::string_view group);

/// The ApplySet id of the GitRepository `namespace_/name` (kind GitRepository, gitops.fusion.dev).
std::string git_repository_applyset_id(std::string_view namespace_, std::string_view name);

/// The owner label's value: "<namespace>.<name>". A label value holds at most 63 characters; a
/// longer one keeps its first 46 and ends in "-" and 16 hex digits of its SHA-256, so it stays
/// unique and the same on every call.
std::string owner_label_value(std::string_view namespace_, std::string_view name);

/// Sets both labels on `object` (metadata.labels, created when missing), keeping its others.
void add_owner_labels(nlohmann::json& object, std::string_view namespace_, std::string_view name);

/// The parent's contains-group-kinds annotation: the inventory's kinds as "Kind.group" ("Kind"
/// for the core group), sorted, without repeats, comma-separated.
std::string applyset_group_kinds(const std::vector<InventoryEntry>& inventory);

}  // namespace fusion
