#pragma once
// `fusion workspace status`: each repo's branch, ahead/behind, local changes, last commit and the
// registry's services built from it.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "workspace/git.h"
#include "workspace/workspace.h"

namespace fusion {

struct RepoStatus {
  RepoTarget repo;
  bool cloned = false;
  RepoState state;
  std::string error;  ///< when git could not read it
};

/// Reads every repo (in parallel, at most `jobs` at once); order follows `repos`.
std::vector<RepoStatus> collect_status(Git& git, const std::vector<RepoTarget>& repos, size_t jobs);

std::string render_status(const std::vector<RepoStatus>& statuses);
nlohmann::json status_to_json(const std::vector<RepoStatus>& statuses);

}  // namespace fusion
