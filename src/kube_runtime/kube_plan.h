#pragma once
// What `fusion up --target kubernetes` applies, and whether it must: each service's objects as
// `generate kubernetes` makes them (one generator, not two), placed in the stack's namespace,
// with the image built from local source, the Secrets from fusion's store (never written to
// disk), and an annotation holding the digest of what was applied. A service whose every
// object is live with that digest is kept; a Job whose pod template changed is replaced (its
// template cannot be changed in place). Live objects of the stack that are no longer generated
// are pruned, and only objects carrying the stack's labels are ever considered.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kube/object_ref.h"
#include "registry/model.h"
#include "runtime/container_runtime.h"

namespace fusion {

/// Labels every object of a stack carries (the generator puts them on); the selector finds them.
inline constexpr const char* kPartOfLabel = "app.kubernetes.io/part-of";
inline constexpr const char* kManagedByLabel = "app.kubernetes.io/managed-by";
/// The digest of the object as fusion applied it (without this annotation).
inline constexpr const char* kAppliedDigestAnnotation = "fusion.dev/applied-digest";

/// `app.kubernetes.io/part-of=<stack>,app.kubernetes.io/managed-by=fusion`
std::string stack_selector(const std::string& stack);

/// The kinds fusion creates for a stack, in the order they are applied (and pruned in reverse).
struct StackKind {
  const char* api_version;
  const char* kind;
};
const std::vector<StackKind>& stack_kinds();

/// Objects as the cluster returned them, by kind, then name.
using LiveObjects = std::map<std::string, std::map<std::string, nlohmann::json>>;

enum class KubeAction { kApply, kKeep, kReplace };
const char* kube_action_name(KubeAction a);

struct KubeServicePlan {
  const Service* service = nullptr;
  std::vector<nlohmann::json> objects;  ///< in apply order, namespaced, with their digests
  ObjectRef workload;                   ///< its Deployment, StatefulSet or Job
  bool job = false;
  std::optional<ImageBuild> build;  ///< set when the engine must build its image first
  std::vector<std::string> images;  ///< every image its pods name
  /// The engine's name of an image the pods name otherwise (a registry's reference).
  std::map<std::string, std::string> engine_image;
  KubeAction action = KubeAction::kApply;
  bool kept_completed = false;  ///< a kept Job that has completed
  std::string reason;           ///< why, for --explain
  std::string image_origin;     ///< "local source, context 3f2a…" or "released image"
};

struct KubePlan {
  std::string stack;
  std::string namespace_;
  /// Applied before any service: the Namespace, volume claims, Secrets from fusion's store.
  std::vector<nlohmann::json> shared;
  std::vector<KubeServicePlan> services;  ///< in the order the caller gave
  std::vector<ObjectRef> prune;           ///< the stack's live objects no longer generated
  /// Every service of the registry; a live object of a service not among them was left by one
  /// removed from the registry, and is pruned. Empty: not known, only planned services prune.
  std::set<std::string> registry_services{};
};

/// `object` in `namespace_` (when namespaced), labelled as the stack's, with the digest
/// annotation of its content.
nlohmann::json placed(nlohmann::json object, const std::string& namespace_,
                      const std::string& stack);

/// Decides each service's action from the stack's live objects (by kind, then name) and lists
/// what to prune. `services[i].objects` must be placed already.
void decide_kube_actions(KubePlan& plan, const LiveObjects& live);

/// The pod-template annotation that restarts a workload, as `kubectl rollout restart` does.
inline constexpr const char* kRestartedAtAnnotation = "fusion.dev/restarted-at";

/// Restarts `names` (after decide_kube_actions): their pod templates carry the restart
/// annotation with `stamp`, which is not part of the applied digest, so the next up keeps them;
/// a kept Job is replaced.
void request_restarts(KubePlan& plan, const std::vector<std::string>& names,
                      const std::string& stamp);

/// Images named by the containers and init containers of `objects`' pod templates, sorted.
std::vector<std::string> pod_images(const std::vector<nlohmann::json>& objects);

}  // namespace fusion
