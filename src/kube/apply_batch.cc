#include "kube/apply_batch.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <mutex>
#include <set>

#include "util/parallel.h"

namespace fusion {

namespace {

std::string version_of(const nlohmann::json& object) {
  const nlohmann::json& metadata = object.value("metadata", nlohmann::json::object());
  return metadata.value("resourceVersion", "");
}

/// The live resourceVersion of every object of the kinds and namespaces `objects` name, one
/// list each. An object missing from the map does not exist (or its list failed: then it is
/// applied, never skipped).
std::map<ObjectRef, std::string> live_versions(KubeClient& client,
                                               const std::vector<nlohmann::json>& objects) {
  std::set<std::tuple<std::string, std::string, std::string>> collections;
  for (const nlohmann::json& object : objects) {
    ObjectRef ref = object_ref_of(object);
    KubeResult<ApiResource> resource = client.discovery().resource_for(ref.api_version, ref.kind);
    if (!resource.ok()) continue;
    std::string ns = resource->namespaced
                         ? (ref.namespace_.empty() ? client.default_namespace() : ref.namespace_)
                         : "";
    collections.emplace(ref.api_version, ref.kind, ns);
  }
  std::map<ObjectRef, std::string> versions;
  for (const auto& [api_version, kind, ns] : collections) {
    KubeResult<ObjectList> list = client.list(api_version, kind, ns);
    if (!list.ok()) continue;
    for (const nlohmann::json& item : list->items) {
      ObjectRef ref = object_ref_of(item);
      versions[ref] = version_of(item);
    }
  }
  return versions;
}

/// The key an object is recorded under: its namespace filled in as the server will.
ObjectRef state_key(KubeClient& client, const nlohmann::json& object) {
  ObjectRef ref = object_ref_of(object);
  KubeResult<ApiResource> resource = client.discovery().resource_for(ref.api_version, ref.kind);
  if (resource.ok() && resource->namespaced && ref.namespace_.empty())
    ref.namespace_ = client.default_namespace();
  if (resource.ok() && !resource->namespaced) ref.namespace_.clear();
  return ref;
}

}  // namespace

std::string object_digest(const nlohmann::json& object) {
  std::string text = object.dump();
  XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
  return fmt::format("{:016x}{:016x}", hash.high64, hash.low64);
}

BatchApplyResult apply_all(KubeClient& client, const std::vector<nlohmann::json>& objects,
                           const ApplyOptions& options, size_t parallelism, AppliedState* state) {
  BatchApplyResult result;
  std::vector<size_t> to_send;
  std::vector<ObjectRef> keys;
  std::vector<std::string> digests;
  for (const nlohmann::json& object : objects) {
    keys.push_back(state_key(client, object));
    digests.push_back(object_digest(object));
  }
  std::map<ObjectRef, std::string> live;
  if (state != nullptr && !options.dry_run) live = live_versions(client, objects);
  for (size_t i = 0; i < objects.size(); ++i) {
    if (state != nullptr && !options.dry_run) {
      auto recorded = state->find(keys[i]);
      auto current = live.find(keys[i]);
      if (recorded != state->end() && current != live.end() &&
          recorded->second.digest == digests[i] &&
          recorded->second.resource_version == current->second) {
        ++result.skipped;
        continue;
      }
    }
    to_send.push_back(i);
  }
  std::mutex mutex;
  parallel_for_each(to_send.size(), parallelism, [&](size_t n) {
    size_t i = to_send[n];
    KubeResult<nlohmann::json> applied = client.apply(objects[i], options);
    std::lock_guard lock(mutex);
    if (!applied.ok()) {
      result.errors.emplace_back(keys[i], applied.error());
      return;
    }
    std::string version = version_of(applied.value());
    auto recorded = state != nullptr ? state->find(keys[i]) : AppliedState::iterator();
    bool same = state != nullptr && recorded != state->end() &&
                recorded->second.resource_version == version;
    ++(same ? result.unchanged : result.applied);
    if (state != nullptr && !options.dry_run) (*state)[keys[i]] = {digests[i], version};
  });
  return result;
}

}  // namespace fusion
