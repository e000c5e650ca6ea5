#pragma once
// Which object (or collection) a call is about: what a person writes after `kubectl get`.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace fusion {

struct ObjectRef {
  std::string api_version;  ///< "v1", "apps/v1"
  std::string kind;         ///< "Deployment"
  std::string namespace_;   ///< empty: the client's default (ignored for cluster-scoped kinds)
  std::string name;

  /// "apps" of "apps/v1"; "" of "v1".
  std::string group() const;
  /// "v1" of "apps/v1".
  std::string version() const;
  /// "Deployment shop/web", for messages.
  std::string describe() const;
  bool operator==(const ObjectRef&) const = default;
  auto operator<=>(const ObjectRef&) const = default;
};

/// The reference of an object's own apiVersion, kind, metadata.namespace and metadata.name.
ObjectRef object_ref_of(const nlohmann::json& object);

}  // namespace fusion
