#pragma once
// Finding fusion.yaml: like git and compose, walk up from the current folder.

#include <filesystem>
#include <optional>
#include <vector>

#include "util/result.h"

namespace fusion {

inline constexpr const char* kRegistryFileName = "fusion.yaml";
inline constexpr const char* kOverlayFileName = "fusion.local.yaml";

/// The first `fusion.yaml` in `start` or one of its parents, looking no higher than `ceiling`
/// when one is given (like git's GIT_CEILING_DIRECTORIES). The error says where it looked.
Result<std::filesystem::path> find_registry(const std::filesystem::path& start,
                                            const std::filesystem::path& ceiling = {});

/// `fusion.local.yaml` beside `registry`, when it exists.
std::optional<std::filesystem::path> find_overlay(const std::filesystem::path& registry);

}  // namespace fusion
