#pragma once
// What the loader's per-key handlers of a service share (service_loader.cc reads fusion's own
// keys, service_run_keys.cc the compose-named keys of how a container runs).

#include <fmt/format.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "registry/yaml_reader.h"

namespace fusion {

/// Context for one service's handlers: the reader, the service and its name for messages.
struct ServiceReader {
  YamlReader& r;
  Service& service;
  std::string where;  ///< "service 'api'"

  std::string what(std::string_view key) const { return fmt::format("'{}' in {}", key, where); }
  void error(const YamlNode& node, std::string message) { r.error(node, std::move(message)); }
};

using ServiceKeyHandler = std::function<void(ServiceReader&, const YamlNode&)>;

/// Adds the handlers of entrypoint, restart, env_file, user, … (keys::kService's compose keys).
void add_run_key_handlers(std::map<std::string_view, ServiceKeyHandler>& table);

}  // namespace fusion
