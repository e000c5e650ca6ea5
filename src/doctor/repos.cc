#include "doctor/repos.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/strings.h"

namespace fusion {

namespace {

std::vector<std::string> built_locally(const RepoTarget& repo,
                                       const std::vector<std::string>& local_services) {
  std::vector<std::string> out;
  for (const std::string& service : repo.services) {
    if (std::find(local_services.begin(), local_services.end(), service) != local_services.end())
      out.push_back(service);
  }
  return out;
}

}  // namespace

CheckResult check_repo(const RepoStatus& status, const std::vector<std::string>& local_services) {
  const RepoTarget& repo = status.repo;
  std::string name = "repo." + repo.name;
  std::string path = repo.path.string();
  if (!status.cloned) {
    std::vector<std::string> needed = built_locally(repo, local_services);
    std::string fix = "fusion workspace sync " + repo.name;
    if (needed.empty()) {
      return check_warn(name, fmt::format("repo {} is not cloned in {}", repo.name, path), fix);
    }
    return check_fail(name,
                      fmt::format("repo {} is not cloned in {}, and {} {} built from it", repo.name,
                                  path, join(needed, ", "), needed.size() == 1 ? "is" : "are"),
                      fix);
  }
  if (!status.error.empty()) {
    return check_fail(name, fmt::format("repo {}: {}", repo.name, status.error),
                      "git -C " + path + " status");
  }
  const RepoState& state = status.state;
  if (state.detached()) {
    std::string want = repo.branch.empty() ? "its branch" : repo.branch;
    return check_warn(name, fmt::format("repo {} is detached at {}", repo.name, state.head),
                      fmt::format("git -C {} switch {}", path, want));
  }
  if (!repo.branch.empty() && state.branch != repo.branch) {
    return check_warn(name,
                      fmt::format("repo {} is on branch {}, the registry names {}", repo.name,
                                  state.branch, repo.branch),
                      fmt::format("git -C {} switch {} (or keep working here: fusion builds what "
                                  "is checked out)",
                                  path, repo.branch));
  }
  std::string dirty = state.dirty ? fmt::format(", {} local changes", state.dirty) : "";
  return check_ok(name, fmt::format("repo {} on {}{}", repo.name, state.branch, dirty));
}

}  // namespace fusion
