#pragma once
// What every generator needs besides the registry: where fusion.yaml and the output folder are
// (generated files refer to source folders by relative paths), and the names fusion gives to
// what the registry leaves unnamed.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "registry/model.h"
#include "util/result.h"

namespace fusion {

struct GenerateContext {
  const Registry* registry = nullptr;
  std::filesystem::path registry_dir;                      ///< absolute: the folder of fusion.yaml
  std::filesystem::path output_dir;                        ///< absolute
  std::map<std::string, std::filesystem::path> repo_dirs;  ///< repo name → absolute folder
  std::unordered_map<std::string, const Service*> services;  ///< by name
  std::set<std::string> awaited_to_complete;  ///< services another one waits on to complete
  std::string registry_file = "fusion.yaml";  ///< for the positions in `notes`
  /// What a generator could not express, once per service and key:
  /// "fusion.yaml:12:5: kubernetes: service 'db': 'ulimits' …". Generators append.
  mutable std::vector<std::string> notes;

  const Service* find(const std::string& name) const {
    auto it = services.find(name);
    return it == services.end() ? nullptr : it->second;
  }
};

/// Fails when a repo's folder cannot be worked out (see workspace/layout.h).
Result<GenerateContext> make_generate_context(const Registry& registry,
                                              const std::filesystem::path& registry_dir,
                                              const std::filesystem::path& output_dir);

/// The absolute source folder of a service with `repo` or `path`.
std::filesystem::path source_dir(const GenerateContext& ctx, const Service& service);

/// The folder the service's image is built from (source folder + build.context).
std::filesystem::path build_context_dir(const GenerateContext& ctx, const Service& service);

/// `target` as seen from `from` (both absolute), '/'-separated: "../../services/api".
std::string relative_path(const std::filesystem::path& from, const std::filesystem::path& target);

/// The image a service runs: its `image`, or for a service built only from source
/// "localhost/<stack>/<service>:local".
std::string service_image(const Registry& registry, const Service& service);

/// Env split by where values may be written: `plain` ones go into generated files; a variable
/// whose value is or holds a secret goes to the service's git-ignored secrets env file, as
/// `secret_templates` (name → value with ${secret:name} references, for `fusion secrets`).
struct SplitEnv {
  std::vector<std::pair<std::string, std::string>> plain;
  std::vector<std::pair<std::string, std::string>> secret_templates;
};
SplitEnv split_env(const Service& service);

/// `<subdomain>.<domain>` (or the subdomain alone without a domain); empty without subdomain.
std::string service_hostname(const Registry& registry, const Service& service);

}  // namespace fusion
