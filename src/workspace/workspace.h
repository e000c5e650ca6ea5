#pragma once
// The stack's repositories as the workspace sees them: where each one lives and which services
// of the registry are built from it.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "registry/model.h"
#include "util/result.h"
#include "workspace/layout.h"

namespace fusion {

struct RepoTarget {
  std::string name;
  std::string url;
  std::string branch;  ///< empty: the remote's default branch
  std::filesystem::path path;
  std::vector<std::string> services;
};

struct Workspace {
  std::filesystem::path root;
  WorkspaceLayout layout = WorkspaceLayout::kFlat;
  std::vector<RepoTarget> repos;  ///< in registry order
};

/// `registry_dir` is the folder of fusion.yaml; `workspace.root` is relative to it ("." when
/// absent). `layout`, when given, overrides `workspace.layout`.
Result<Workspace> make_workspace(const Registry& registry,
                                 const std::filesystem::path& registry_dir,
                                 std::optional<WorkspaceLayout> layout = std::nullopt);

/// The named repos (all when `names` is empty), or an error naming an unknown one.
Result<std::vector<RepoTarget>> select_repos(const Workspace& workspace,
                                             const std::vector<std::string>& names);

}  // namespace fusion
