#pragma once
// The parts of a compose import outside one service: names made DNS labels (and every
// reference following them), top-level networks, volumes, secrets and configs, and paths
// rebased from the compose folder onto fusion.yaml's.

#include <map>
#include <string>
#include <vector>

#include "generate/yaml_emitter.h"
#include "importer/compose_import.h"

namespace fusion {

/// A compose path (relative to the compose folder) as fusion.yaml writes it; absolute, `~` and
/// `$` paths unchanged.
std::string rebased_path(const ImportOptions& options, const std::string& path);

/// Compose allows names fusion does not ("api_v2", "Web", "sentry_default"): each service,
/// network and volume (`kind`) of `section` that is not a DNS label gets one, noted. Returns
/// compose name → fusion name for the renamed.
std::map<std::string, std::string> fusion_names(const ComposeValue& section,
                                                const std::string& kind,
                                                std::vector<ImportNote>& notes,
                                                const MergedCompose& compose);

/// `n` renamed by `names`, or `n`.
std::string renamed_or(const std::map<std::string, std::string>& names, const std::string& n);

/// Networks and volumes referred to by their fusion names; a renamed service keeps its compose
/// name as a network alias on each of its networks, so the stack's own URLs keep working.
/// Sets `needs_default` when the service was put on the default network to carry that alias.
void follow_renames(YamlData& service, const std::string& old_name, bool service_renamed,
                    const std::map<std::string, std::string>& networks,
                    const std::map<std::string, std::string>& volumes, bool& needs_default);

/// Top-level networks, volumes, secrets and configs (`kind` singular): the keys fusion.yaml
/// holds, the rest noted.
YamlData top_level(const ComposeValue& section, const std::string& kind,
                   const ImportOptions& options, std::vector<ImportNote>& notes);

}  // namespace fusion
