#pragma once
// YAML text → Registry model. Reports malformed YAML, wrong types, unknown and duplicate keys and
// malformed values (ports, durations, quantities) as diagnostics and keeps going, returning
// whatever could be read. Semantic checks across the model belong to the validator.

#include <string>
#include <vector>

#include "registry/diagnostic.h"
#include "registry/model.h"
#include "registry/source.h"
#include "registry/yaml_tree.h"

namespace fusion {

class YamlReader;

/// Loads fusion.yaml held in `sources` as `file`; nullopt when it is not valid YAML (the syntax
/// error is a diagnostic and nothing else can be checked).
std::optional<Registry> load_registry(const SourceSet& sources, uint32_t file,
                                      Diagnostics& diagnostics);

/// Parses the YAML text of `file`; a syntax error becomes a diagnostic and nullopt.
std::optional<YamlDocument> parse_yaml(const SourceSet& sources, uint32_t file,
                                       Diagnostics& diagnostics);

/// Reads one service's map. `keys_seen`, when given, receives the keys the map set (the overlay
/// merges exactly those).
Service load_service(YamlReader& reader, const Text& name, const YamlNode& node,
                     std::vector<std::string>* keys_seen = nullptr);

}  // namespace fusion
