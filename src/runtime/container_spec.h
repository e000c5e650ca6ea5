#pragma once
// From a service of the registry to the container fusion creates for it: names, env with
// variables and secrets resolved, ports, mounts, networks with aliases, limits and labels. Pure:
// the caller supplies the variables, the secrets and the image.
//
// Names follow compose's so a stack is recognisable in `podman ps`: container
// `<stack>-<service>`, network and volume `<stack>_<name>` (external ones keep their name),
// a service that names no network joins `<stack>_default`. Every service is reachable on its
// networks by its own name, its declared aliases and its hostname (`<subdomain>.<domain>`).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "generate/secrets.h"
#include "registry/model.h"
#include "runtime/container_runtime.h"

namespace fusion {

struct RunContext {
  const Registry* registry = nullptr;
  std::filesystem::path registry_dir;  ///< absolute; host-path volumes are relative to it
  SecretStore secrets;
  /// ${VAR}: the environment, then .env beside fusion.yaml; nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> variable;
  /// Reads env_file files; util's read_file when empty (tests give a map).
  std::function<Result<std::string>(const std::filesystem::path&)> read_text;
  /// Where secrets and configs with a value (not a file) are written to be mounted:
  /// <registry_dir>/.fusion/files when empty.
  std::filesystem::path files_dir;
};

/// `text` with ${VAR} from the run context (defaults applied, unset → empty) and $$ as $;
/// ${secret:…} is left as written: only env may carry secrets.
std::string resolve_for_run(const RunContext& ctx, std::string_view text);

/// The health check with its command and path resolved as resolve_for_run does.
HealthCheck resolve_health(const RunContext& ctx, const HealthCheck& check);

std::string container_name(const Registry& registry, const Service& service);
std::string network_name(const Registry& registry, const std::string& network);
std::string volume_name(const Registry& registry, const std::string& volume);

/// The tag of an image built from local source: its context digest names it, so an unchanged
/// tree finds its image and a changed one gets a new tag.
std::string local_image_tag(const Registry& registry, const Service& service,
                            const std::string& context_digest);

/// The container to create; its labels carry the stack, the service and the config hash.
/// Fails when a secret the service reads is missing from the store.
Result<ContainerSpec> make_container_spec(const RunContext& ctx, const Service& service,
                                          const std::string& image);

/// 32 hex digits over everything in the spec but the hash label itself.
std::string config_hash(const ContainerSpec& spec);

/// The labels fusion puts on the stack's networks and volumes.
std::map<std::string, std::string> stack_labels(const Registry& registry);

}  // namespace fusion
