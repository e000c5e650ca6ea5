#include "kube/discovery.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace fusion {

namespace {

std::string text_of(const nlohmann::json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string path_of_group_version(const std::string& api_version) {
  return api_version.find('/') == std::string::npos ? "/api/" + api_version
                                                    : "/apis/" + api_version;
}

/// The resources of an APIResourceList; subresources ("deployments/status") only mark theirs.
std::vector<ApiResource> parse_resource_list(const std::string& api_version,
                                             const nlohmann::json& list) {
  std::vector<ApiResource> resources;
  size_t slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  auto items = list.find("resources");
  if (items == list.end() || !items->is_array()) return resources;
  std::vector<std::string> with_status;
  for (const nlohmann::json& item : *items) {
    if (!item.is_object()) continue;
    std::string name = text_of(item, "name");
    size_t sub = name.find('/');
    if (sub != std::string::npos) {
      if (name.substr(sub + 1) == "status") with_status.push_back(name.substr(0, sub));
      continue;
    }
    ApiResource resource{group, version, text_of(item, "kind"), name, false, {}, false};
    auto namespaced = item.find("namespaced");
    resource.namespaced =
        namespaced != item.end() && namespaced->is_boolean() && namespaced->get<bool>();
    auto verbs = item.find("verbs");
    if (verbs != item.end() && verbs->is_array())
      for (const nlohmann::json& verb : *verbs)
        if (verb.is_string()) resource.verbs.push_back(verb.get<std::string>());
    resources.push_back(std::move(resource));
  }
  for (ApiResource& resource : resources)
    resource.has_status =
        std::find(with_status.begin(), with_status.end(), resource.plural) != with_status.end();
  return resources;
}

const ApiResource* find_kind(const std::vector<ApiResource>& resources, const std::string& kind) {
  for (const ApiResource& resource : resources)
    if (resource.kind == kind) return &resource;
  return nullptr;
}

}  // namespace

std::string ApiResource::group_version_path() const {
  return group.empty() ? "/api/" + version : fmt::format("/apis/{}/{}", group, version);
}

Discovery::Discovery(Getter get) : get_(std::move(get)) {}

KubeResult<std::vector<ApiResource>> Discovery::read_group_version(const std::string& api_version) {
  KubeResult<nlohmann::json> list = get_(path_of_group_version(api_version));
  if (!list.ok()) {
    if (!list.error().not_found()) return list.error();
    ApiError error = list.error();
    error.message =
        fmt::format("the server does not serve {} (is its CRD installed?)", api_version);
    return error;
  }
  return parse_resource_list(api_version, list.value());
}

KubeResult<ApiResource> Discovery::resource_for(const std::string& api_version,
                                                const std::string& kind) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::lock_guard lock(mutex_);
      auto it = by_group_version_.find(api_version);
      if (it != by_group_version_.end()) {
        if (const ApiResource* resource = find_kind(it->second, kind)) return *resource;
        if (attempt == 0) by_group_version_.erase(it);  // a CRD may have been created since
      }
    }
    KubeResult<std::vector<ApiResource>> resources = read_group_version(api_version);
    if (!resources.ok()) return resources.error();
    std::lock_guard lock(mutex_);
    by_group_version_[api_version] = std::move(resources).value();
    if (const ApiResource* resource = find_kind(by_group_version_[api_version], kind))
      return *resource;
  }
  ApiError error;
  error.code = 404;
  error.reason = "NotFound";
  error.message = fmt::format("the server has no kind {} in {}", kind, api_version);
  return error;
}

KubeResult<std::vector<std::string>> Discovery::group_versions() {
  std::vector<std::string> versions;
  KubeResult<nlohmann::json> core = get_("/api");
  if (!core.ok()) return core.error();
  if (auto it = core->find("versions"); it != core->end() && it->is_array())
    for (const nlohmann::json& version : *it)
      if (version.is_string()) versions.push_back(version.get<std::string>());
  KubeResult<nlohmann::json> groups = get_("/apis");
  if (!groups.ok()) return groups.error();
  auto list = groups->find("groups");
  if (list == groups->end() || !list->is_array()) return versions;
  for (const nlohmann::json& group : *list) {
    if (!group.is_object()) continue;
    std::string preferred;
    if (auto it = group.find("preferredVersion"); it != group.end() && it->is_object())
      preferred = text_of(*it, "groupVersion");
    if (!preferred.empty()) versions.push_back(preferred);
    if (auto it = group.find("versions"); it != group.end() && it->is_array())
      for (const nlohmann::json& version : *it)
        if (std::string name = text_of(version, "groupVersion"); !name.empty() && name != preferred)
          versions.push_back(name);
  }
  return versions;
}

void Discovery::invalidate() {
  std::lock_guard lock(mutex_);
  by_group_version_.clear();
}

}  // namespace fusion
