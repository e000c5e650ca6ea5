#pragma once
// YAML output built as data. Generators build an ordered JSON value (maps keep insertion order)
// and this writes it as block-style YAML, so quoting is decided here, never pasted by hand: a
// string a YAML 1.1 or 1.2 reader would take for something else ("yes", "0123", "8080:80", "~",
// "") is double-quoted, and so is anything YAML's syntax might not read plain ("*x", "a: b",
// "# c", control characters); multi-line text is a literal block.
//
// Why not libyaml's emitter (it was the first version): it cost 45% of generating Kubernetes
// manifests (bench/generate_bench), and it decides plain-or-quoted by syntax alone, so the
// type rules above were needed on top anyway. The tests read every emitted document back with
// libyaml's parser (yaml_emitter_test.cc).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace fusion {

using YamlData = nlohmann::ordered_json;

/// Adds `key` to the map `map` (made a map if null) without looking for it first: O(1) where
/// `map[key]` is O(size). For keys known to be new, such as service names.
YamlData& append(YamlData& map, std::string key, YamlData value);

/// One YAML document (no `---`, no `...`), ending in a newline.
std::string emit_yaml(const YamlData& document);

/// One scalar as YAML text: plain where that reads back as the same string, else double-quoted.
/// `in_flow`: it goes inside `[...]` or `{...}`, where ",[]{}" need quotes too. For YAML written
/// as text (with comments) rather than emitted.
std::string yaml_scalar(std::string_view text, bool in_flow = false);

/// True when a plain scalar with this text would not read back as this string under YAML 1.1
/// (PyYAML: docker-compose, podman-compose; go-yaml v2) or YAML 1.2's core schema.
bool plain_scalar_changes_type(std::string_view text);

}  // namespace fusion
