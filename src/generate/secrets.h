#pragma once
// Secret values: kept in one store file beside fusion.yaml (.fusion/secrets.env, `name=value`
// lines, git-ignored, mode 0600), and rendered per service into the env files the generated
// compose files and the local kustomize overlay read (`VAR=value` lines, also 0600 and
// git-ignored). Values never reach generated files, output or logs.

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "registry/model.h"
#include "util/result.h"

namespace fusion {

using SecretStore = std::map<std::string, std::string>;  ///< secret name → value

/// Parses the store; blank lines and `#` comments are skipped; errors name the line.
Result<SecretStore> parse_secret_store(std::string_view text);
std::string render_secret_store(const SecretStore& store);

/// Secret names the registry uses, sorted.
std::vector<std::string> secrets_used(const Registry& registry);

/// Secrets from the store that some service mounts as a file, sorted: `fusion secrets` writes
/// each as `secrets/<name>.secret` where the compose files and the local overlay read it.
std::vector<std::string> store_secret_files(const Registry& registry);

/// The store's file name inside the stack's private folder (.fusion/).
inline constexpr const char* kSecretStoreFile = "secrets.env";

/// The store in `dir` (.fusion/ beside fusion.yaml) with a new value for every secret the
/// registry uses and lacks; when it creates any, it writes the store (0600, in a 0700 folder
/// with a `*` .gitignore). `created` names those, never their values.
struct UpdatedSecretStore {
  SecretStore store;
  std::vector<std::string> created;
};
Result<UpdatedSecretStore> update_secret_store(const Registry& registry,
                                               const std::filesystem::path& dir);

/// A new value from the kernel's CSPRNG: 32 random bytes as 43 URL-safe base64 characters.
Result<std::string> new_secret_value();

/// Each variable of the service whose value is or holds a secret, with the secrets,
/// ${VAR:-default}s and $$ resolved, in the order of its env.
std::vector<std::pair<std::string, std::string>> service_secret_values(const Service& service,
                                                                       const SecretStore& store);

/// The service's env file: each variable whose value is or holds a secret, with the secrets,
/// ${VAR:-default}s and $$ resolved. Empty when the service reads no secret.
std::string render_service_secrets(const Service& service, const SecretStore& store);

}  // namespace fusion
