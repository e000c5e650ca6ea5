#pragma once
// Kubernetes manifests as kubectl reads them: a text of YAML documents separated by `---`
// lines, each an object (a `List` stands for its items), plain scalars typed as Kubernetes'
// YAML reader types them (YAML 1.1: `yes` and `on` are booleans, `0x1F` a number), so what
// fusion sends is what `kubectl apply` would send.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace fusion {

class YamlNode;

struct ManifestObject {
  nlohmann::json object;
  std::string origin;  ///< "deploy/web.yaml:12", the line its document starts on
};

/// The objects of `text`; `name` prefixes positions in errors and origins. Empty documents are
/// skipped; a document that is not a map with apiVersion, kind and metadata.name is an error.
Result<std::vector<ManifestObject>> parse_manifests(std::string_view text, const std::string& name);

/// One YAML node as JSON, with Kubernetes' scalar typing.
nlohmann::json yaml_to_json(const YamlNode& node);

}  // namespace fusion
