#include "workspace/workspace.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/strings.h"

namespace fusion {

Result<Workspace> make_workspace(const Registry& registry,
                                 const std::filesystem::path& registry_dir,
                                 std::optional<WorkspaceLayout> layout) {
  Workspace ws;
  std::string root = registry.workspace_root.present() ? registry.workspace_root.value : ".";
  ws.root = (registry_dir / root).lexically_normal();
  if (layout) {
    ws.layout = *layout;
  } else if (registry.workspace_layout.present()) {
    auto parsed = parse_layout(registry.workspace_layout.value);
    if (!parsed) return Error{parsed.error()};
    ws.layout = *parsed;
  }
  for (const Repo& repo : registry.repos) {
    auto path = repo_path(ws.root, ws.layout, repo.name.value, repo.url.value);
    if (!path) return Error{path.error()};
    RepoTarget target{repo.name.value, repo.url.value, repo.branch.value, *path, {}};
    for (const Service& s : registry.services) {
      if (s.repo.value == repo.name.value) target.services.push_back(s.name.value);
    }
    ws.repos.push_back(std::move(target));
  }
  return ws;
}

Result<std::vector<RepoTarget>> select_repos(const Workspace& workspace,
                                             const std::vector<std::string>& names) {
  if (names.empty()) return workspace.repos;
  std::vector<std::string> known;
  for (const RepoTarget& r : workspace.repos) known.push_back(r.name);
  std::vector<RepoTarget> selected;
  for (const std::string& name : names) {
    auto it = std::find_if(workspace.repos.begin(), workspace.repos.end(),
                           [&](const RepoTarget& r) { return r.name == name; });
    if (it == workspace.repos.end()) {
      auto best = closest_match(name, known);
      return Error{fmt::format("no repo '{}' in the registry{}", name,
                               best ? fmt::format("; did you mean '{}'?", *best) : "")};
    }
    selected.push_back(*it);
  }
  return selected;
}

}  // namespace fusion
