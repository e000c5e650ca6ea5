#pragma once
// Compose files read and merged the way compose merges `-f a.yaml -f b.yaml`: services,
// networks and volumes by name; in a service, environment, labels, depends_on, networks and
// extension maps by key, volumes by target path, ports and expose appended, everything else
// replaced by the later file. Values stay text (`${VAR}` is kept, never interpolated); each
// service key remembers the file and line it was last set in, for reports.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/result.h"

namespace fusion {

using ComposeValue = nlohmann::ordered_json;  ///< scalars as strings, null as null

struct ComposeFileText {
  std::string path;  ///< as the user named it, for messages
  std::string text;
};

struct MergedCompose {
  ComposeValue document = ComposeValue::object();
  /// "services/api/restart" → "compose.yaml:12:5": where each service key was last set.
  std::map<std::string, std::string> origins;

  std::string origin(const std::string& service, const std::string& key) const;
};

/// Reads a compose file named by `include:` or `extends: { file }` (a path relative to the
/// folder of the file that names it, joined as written).
using ComposeFileReader = std::function<Result<std::string>(const std::string& path)>;

/// Parses each file and merges them in order, as compose does: a file's `include:` files first
/// (recursively; without `read`, an include is an error), then the file itself; afterwards
/// every service's `extends:` (a service of the project, or of another file with `read`) is
/// resolved: the extended service merged under the extending one, `depends_on` not inherited.
/// Fails on a syntax error (file:line:col), a file whose top level is not a map, a missing
/// include or extended service, or a cycle.
Result<MergedCompose> merge_compose_files(const std::vector<ComposeFileText>& files,
                                          const ComposeFileReader& read = {});

/// The value at `key` of `map`; null when `map` is not a map or has no such key. Compose files
/// are user input: nothing here assumes a shape.
const ComposeValue& at(const ComposeValue& map, const std::string& key);

/// The text of the scalar at `key` ("" → `fallback` too); a collection as its JSON text.
std::string text_at(const ComposeValue& map, const std::string& key,
                    const std::string& fallback = "");

/// A scalar's text; a collection as its JSON text; null as "".
std::string text_of(const ComposeValue& value);

/// A YAML node as a ComposeValue: scalars as their text.
ComposeValue compose_value(const class YamlNode& node);

/// `[A=b, C]` and `{A: b, C: null}` both as the map; other shapes unchanged.
ComposeValue as_key_map(const ComposeValue& value);

}  // namespace fusion
