#pragma once
// Entries a workspace's .gitignore needs once fusion runs there: `.fusion/` (the secret store,
// whose values never belong in git) and `fusion.local.yaml` (one developer's overrides).

#include <string>
#include <string_view>
#include <vector>

namespace fusion {

/// The entries fusion wants ignored at a stack's root.
const std::vector<std::string>& fusion_ignore_entries();

/// `existing` with each of `entries` it lacks appended under a comment; lines already there
/// (also as "/entry" or without the trailing '/') are left as they are. `added` lists the new
/// ones; nothing added gives `existing` back unchanged.
std::string with_ignore_entries(std::string_view existing, const std::vector<std::string>& entries,
                                std::vector<std::string>& added);

}  // namespace fusion
