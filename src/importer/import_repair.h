#pragma once
// One bad item never refuses a whole imported stack: the registry the import wrote is loaded
// and validated as `fusion validate` would; each service with an error is left out (and
// dependencies on it dropped), with a note at its compose file's own position, until what is
// left validates.

#include <functional>
#include <string>
#include <vector>

#include "generate/yaml_emitter.h"
#include "importer/compose_import.h"

namespace fusion {

/// `registry` (the import's data) without the services that do not validate; `origin(name)`
/// gives the compose position of a service (by its fusion name) for the notes.
void leave_out_invalid_services(YamlData& registry,
                                const std::function<std::string(const std::string&)>& origin,
                                std::vector<ImportNote>& notes);

}  // namespace fusion
