#pragma once
// A merged compose project as a fusion registry: services, images, builds, env, ports, volumes,
// networks and aliases, health checks, depends_on conditions, profiles, resources and labels.
// What fusion.yaml has no place for (restart, entrypoint, env_file, …) is reported with the
// file and line it came from, never dropped silently. `${VAR}` references are kept as written.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "importer/compose_model.h"
#include "util/quantity.h"

namespace fusion {

struct ImportOptions {
  std::string name;  ///< the stack's name; empty: compose's `name`, else compose_dir's name
  std::filesystem::path compose_dir;   ///< the first compose file's folder: paths start there
  std::filesystem::path registry_dir;  ///< where fusion.yaml goes: paths are rebased onto it
  std::vector<std::string> command;    ///< the command line, for the header comment
  /// The project's `.env` (compose_dir/.env), compose's values for `${VAR}`. Used only where
  /// fusion.yaml needs a value now (a health check's timing, a build arg taken from the
  /// shell); everywhere else `${VAR}` is kept as written.
  std::map<std::string, std::string> variables;
};

struct ImportNote {
  std::string where;  ///< "compose.yaml:12:5", or empty
  std::string message;
};

struct ImportResult {
  std::string registry_text;  ///< the whole fusion.yaml
  std::vector<ImportNote> notes;
  size_t services = 0;
};

ImportResult import_compose(const MergedCompose& compose, const ImportOptions& options);

}  // namespace fusion
