#include "kube/object_ref.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace fusion {

std::string ObjectRef::group() const {
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

std::string ObjectRef::version() const {
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? api_version : api_version.substr(slash + 1);
}

std::string ObjectRef::describe() const {
  if (namespace_.empty()) return fmt::format("{} {}", kind, name);
  return fmt::format("{} {}/{}", kind, namespace_, name);
}

ObjectRef object_ref_of(const nlohmann::json& object) {
  auto text = [](const nlohmann::json& node, const char* key) {
    auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  ObjectRef ref{text(object, "apiVersion"), text(object, "kind"), "", ""};
  auto metadata = object.find("metadata");
  if (metadata != object.end() && metadata->is_object()) {
    ref.namespace_ = text(*metadata, "namespace");
    ref.name = text(*metadata, "name");
  }
  return ref;
}

}  // namespace fusion
