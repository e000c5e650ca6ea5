#pragma once
// Typed, position-aware access to a YAML tree. Every accessor reports a diagnostic instead of
// throwing and returns nothing on a type mismatch, so the loader keeps going and finds every error.

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "registry/diagnostic.h"
#include "registry/keys.h"
#include "registry/model.h"
#include "registry/yaml_tree.h"

namespace fusion {

class YamlReader {
 public:
  YamlReader(uint32_t file, Diagnostics& diagnostics) : file_(file), diagnostics_(diagnostics) {}

  SourcePos pos(const YamlNode& node) const;
  Diagnostics& diagnostics() { return diagnostics_; }
  void error(const YamlNode& node, std::string message) {
    diagnostics_.error(pos(node), std::move(message));
  }

  /// Calls `visit(key, value)` for each entry of map `node`, in order, skipping extension
  /// fields (`x-…`, as compose does). Reports a non-map, a duplicate key and a key not in `allowed`
  /// ("unknown key 'x' in <where>; did you mean 'y'?"). A null node is an empty map. Returns the
  /// suggested keys of the unknown ones, so callers can avoid follow-on errors about a key that was
  /// only misspelt.
  using EntryVisitor = std::function<void(const Text& key, const YamlNode& value)>;
  std::vector<Text> for_each_entry(const YamlNode& node, std::span<const std::string_view> allowed,
                                   std::string_view where, const EntryVisitor& visit,
                                   std::span<const keys::Synonym> synonyms = {});
  /// Like for_each_entry for maps whose keys are names the user chooses (services, env, …).
  void for_each_named(const YamlNode& node, std::string_view where, const EntryVisitor& visit);
  /// Calls `visit(item)` for each element of sequence `node`; null is empty.
  void for_each_item(const YamlNode& node, std::string_view where,
                     const std::function<void(const YamlNode&)>& visit);

  std::optional<Text> string(const YamlNode& node, std::string_view what);
  std::optional<Located<int64_t>> integer(const YamlNode& node, std::string_view what, int64_t min,
                                          int64_t max);
  std::optional<bool> boolean(const YamlNode& node, std::string_view what);
  std::optional<Located<Duration>> duration(const YamlNode& node, std::string_view what);
  /// A list of strings, or one string split like a shell would ("npm run start").
  std::optional<std::vector<std::string>> command(const YamlNode& node, std::string_view what);
  std::vector<Text> string_list(const YamlNode& node, std::string_view what);
  std::map<std::string, std::string> string_map(const YamlNode& node, std::string_view where);

 private:
  bool expect_scalar(const YamlNode& node, std::string_view what);

  uint32_t file_;
  Diagnostics& diagnostics_;
};

/// "a map", "a list", "a string", "nothing": what a node is, for messages.
std::string_view describe_node(const YamlNode& node);

}  // namespace fusion
