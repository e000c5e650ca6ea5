#pragma once
// The GitRepository custom resource (gitops.fusion.dev/v1alpha1): which repository, which ref
// and folder, how often, and how carefully to sync it to the cluster. Parsing checks every field
// and returns every error at once, each naming its field, so one look at the controller's report
// (or the CR's status) shows all that is wrong with a resource.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "util/duration.h"

namespace fusion {

inline constexpr std::string_view kGitOpsGroup = "gitops.fusion.dev";
inline constexpr std::string_view kGitRepositoryApiVersion = "gitops.fusion.dev/v1alpha1";
inline constexpr std::string_view kGitRepositoryKind = "GitRepository";
/// `"true"` on a GitRepository lets a sync prune more than spec.maxPrunePercent of its inventory,
/// or everything when the render is empty.
inline constexpr std::string_view kAllowMassPruneAnnotation = "gitops.fusion.dev/allow-mass-prune";

/// What to follow: a branch or tag moves (ls-remote tells where to), a commit is fixed.
struct GitRef {
  enum class Kind { kBranch, kTag, kCommit };
  Kind kind = Kind::kBranch;
  std::string name = "main";  ///< the branch, the tag, or the full commit id

  /// What `git ls-remote` asks for: "refs/heads/main", "refs/tags/v1.2"; the id for a commit.
  std::string remote_ref() const;
  /// "branch main", "tag v1.2", "commit 1a2b3c4…", for messages.
  std::string describe() const;
  bool operator==(const GitRef&) const = default;
};

/// Whether a drift check puts back what someone changed by hand, or only reports it.
enum class DriftMode { kCorrect, kWarn };

/// Another GitRepository that must be Synced first.
struct GitRepositoryDependency {
  std::string name;
  std::string namespace_;  ///< the depending repository's own when the resource leaves it out
  bool operator==(const GitRepositoryDependency&) const = default;
};

struct GitRepositorySpec {
  // metadata
  std::string name;
  std::string namespace_;
  int64_t generation = 0;  ///< metadata.generation: changes with the spec, not with annotations
  bool allow_mass_prune = false;  ///< kAllowMassPruneAnnotation is "true"

  // spec
  std::string url;
  GitRef ref;
  std::string path = ".";  ///< relative to the repository's root, normalised ("deploy/prod", ".")
  Duration interval = std::chrono::minutes(5);
  Duration timeout = std::chrono::minutes(2);  ///< for each git call and each apply
  std::string target_namespace;                ///< empty: objects keep their own namespaces
  std::string secret_name;                     ///< spec.secretRef.name; empty: no credentials
  bool prune = true;
  bool suspend = false;
  std::vector<GitRepositoryDependency> depends_on;
  std::string service_account_name;  ///< empty: apply as the controller itself
  DriftMode drift = DriftMode::kCorrect;
  int max_prune_percent = 25;  ///< spec.maxPrunePercent: the prune guard's share of the inventory

  bool operator==(const GitRepositorySpec&) const = default;
};

struct GitRepositoryParse {
  GitRepositorySpec spec;  ///< every valid field set; meaningful only when ok()
  /// `spec.interval: "5x" is not a duration (write e.g. 30s, 5m, 1h)`: one per problem found.
  std::vector<std::string> errors;
  bool ok() const { return errors.empty(); }
};

/// Reads a GitRepository as the API server returns it (apiVersion, kind, metadata, spec).
GitRepositoryParse parse_git_repository(const nlohmann::json& object);

}  // namespace fusion
