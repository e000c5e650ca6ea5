#pragma once
// A repository path rendered into the objects a sync applies, from the files git read at one
// commit. Three layouts, decided by what the top of the path holds:
//
//   kustomization.yaml (.yml, Kustomization)  `kubectl kustomize` of the files, written to a
//                                             fresh folder that is removed afterwards
//   fusion.yaml                               fusion's own Kubernetes generator: each service's
//                                             objects (services of no profile, as base/ holds
//                                             them) and the volume claims, with the stack's
//                                             labels; no Secret is rendered, the workloads name
//                                             the Secrets the cluster already holds
//   anything else                             every .yaml/.yml file, subfolders too, read as
//                                             kubectl reads manifests (kube/manifest.h)
//
// The same files always give the same objects in the same order: files in path order,
// documents and List items in the order written. An empty render is not an error here; the
// prune guard decides what it means.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/result.h"
#include "util/subprocess.h"

namespace fusion::gitops {

struct RenderOptions {
  std::string target_namespace{};  ///< set on namespaced objects that name none; "" leaves them
  /// Whether a kind is namespaced (the driver asks discovery). Empty: the built-in table of
  /// cluster-scoped core kinds (builtin_namespaced) decides, and everything else is namespaced.
  std::function<bool(const std::string& api_version, const std::string& kind)> namespaced{};
  ProcessRunner* runner = nullptr;  ///< runs `kubectl kustomize` (a kustomization)
  /// Where a kustomization's files are written to be rendered: a fresh folder inside it per
  /// call, removed after. Empty: the system's temporary folder.
  std::filesystem::path scratch_dir{};
  /// How long `kubectl kustomize` may run (it may fetch remote bases); 0: no limit.
  std::chrono::milliseconds kustomize_timeout{std::chrono::minutes(2)};
};

enum class RenderKind { kManifests, kKustomization, kFusionRegistry };

/// "manifests", "kustomization", "fusion.yaml": for messages and status.
const char* render_kind_name(RenderKind kind);

struct Rendered {
  RenderKind kind = RenderKind::kManifests;
  std::vector<nlohmann::json> objects{};
};

/// `files`: path (relative to the repository path, '/'-separated) → content, as git read them.
/// Errors name the file and line: broken YAML (`deploy/web.yaml:12:3: …`), an object without
/// apiVersion, kind or metadata.name, two objects of one API group, kind, namespace and name;
/// a fusion.yaml with errors gives its diagnostics as `fusion validate` prints them (no colour).
/// Paths that would leave the scratch folder (`..`, absolute) are refused.
Result<Rendered> render_path(const std::map<std::string, std::string>& files,
                             const RenderOptions& options);

/// The built-in answer to RenderOptions::namespaced: false for the cluster-scoped core kinds
/// (Namespace, CustomResourceDefinition, ClusterRole, ClusterRoleBinding, PersistentVolume,
/// StorageClass, PriorityClass, IngressClass, RuntimeClass, the admission webhook
/// configurations, APIService, CSIDriver, Node, …), true for every other kind.
bool builtin_namespaced(const std::string& api_version, const std::string& kind);

}  // namespace fusion::gitops
