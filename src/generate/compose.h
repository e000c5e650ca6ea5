#pragma once
// Compose files from the registry, under `compose/` of the output folder.
//
// Default: one file per `group` (compose.<group>.yaml; services without a group go to
// compose.default.yaml); `single`: every service in compose.yaml. Network aliases (declared ones
// and `<subdomain>.<domain>`) go to compose.network-aliases.yaml, since podman-compose 1.0
// cannot read the form that holds them. `.env` sets COMPOSE_PROJECT_NAME and COMPOSE_FILE (all
// of these files, aliases last), which docker-compose 1.x and Compose v2 read from the project
// folder: `docker-compose up` there needs no flags. podman-compose 1.0 reads COMPOSE_FILE only
// from the environment and takes the service files with -f.
//
// Secrets are never written: a variable whose value is or holds a secret is read from
// `secrets/<service>.env` (env_file), which `fusion secrets` writes and .gitignore excludes.

#include "generate/context.h"
#include "generate/file_set.h"
#include "generate/yaml_emitter.h"

namespace fusion {

struct ComposeOptions {
  bool single = false;
};

FileSet generate_compose(const GenerateContext& ctx, const ComposeOptions& options);

/// The compose service definition (without the config-hash label), for tests and the hash.
YamlData compose_service(const GenerateContext& ctx, const Service& service);

/// A short hash of a service's generated definition: equal definitions, equal hashes.
std::string config_hash(const YamlData& definition);

}  // namespace fusion
