#include "registry/yaml_reader.h"

#include <fmt/format.h>

#include <unordered_map>

#include "util/strings.h"

namespace fusion {

std::string_view describe_node(const YamlNode& node) {
  switch (node.kind()) {
    case YamlNode::Kind::kMap:
      return "a map";
    case YamlNode::Kind::kSequence:
      return "a list";
    case YamlNode::Kind::kScalar:
      return "a scalar";
    case YamlNode::Kind::kNull:
      break;
  }
  return "nothing";
}

SourcePos YamlReader::pos(const YamlNode& node) const {
  if (node.line() == 0) return SourcePos{file_, 0, 0, 1};
  return SourcePos{file_, node.line(), node.column(), node.length()};
}

namespace {

/// The fusion key `key` probably means: a synonym's target, or the closest allowed key.
std::optional<std::string> intended_key(std::string_view key,
                                        std::span<const std::string_view> allowed,
                                        std::span<const keys::Synonym> synonyms) {
  for (const keys::Synonym& s : synonyms) {
    if (s.other == key) return std::string(s.fusion);
  }
  std::vector<std::string_view> candidates(allowed.begin(), allowed.end());
  for (const keys::Synonym& s : synonyms) candidates.push_back(s.other);
  auto best = closest_match(key, std::span<const std::string_view>(candidates));
  if (!best) return std::nullopt;
  for (const keys::Synonym& s : synonyms) {
    if (s.other == *best) return std::string(s.fusion);
  }
  return best;
}

std::string suggestion(std::string_view key, const std::optional<std::string>& intended,
                       std::span<const keys::Synonym> synonyms) {
  if (!intended) return "";
  for (const keys::Synonym& s : synonyms) {
    if (s.other == key) return fmt::format("; fusion calls it '{}'", *intended);
  }
  return fmt::format("; did you mean '{}'?", *intended);
}

}  // namespace

std::vector<Text> YamlReader::for_each_entry(const YamlNode& node,
                                             std::span<const std::string_view> allowed,
                                             std::string_view where, const EntryVisitor& visit,
                                             std::span<const keys::Synonym> synonyms) {
  std::vector<Text> intended_keys;
  for_each_named(node, where, [&](const Text& key, const YamlNode& value) {
    if (std::find(allowed.begin(), allowed.end(), key.value) != allowed.end()) {
      visit(key, value);
      return;
    }
    if (key.value.starts_with("x-")) return;  // an extension field, as in compose: for anchors
    std::optional<std::string> intended = intended_key(key.value, allowed, synonyms);
    diagnostics_.error(key.pos, fmt::format("unknown key '{}' in {}{}", key.value, where,
                                            suggestion(key.value, intended, synonyms)));
    if (intended) intended_keys.push_back(Text{*intended, key.pos});
  });
  return intended_keys;
}

void YamlReader::for_each_named(const YamlNode& node, std::string_view where,
                                const EntryVisitor& visit) {
  if (node.IsNull()) return;
  if (!node.IsMap()) {
    error(node, fmt::format("expected a map for {}, found {}", where, describe_node(node)));
    return;
  }
  std::unordered_map<std::string_view, uint32_t> seen;
  for (const YamlNode::Entry& entry : node.entries()) {
    const YamlNode& key_node = *entry.key;
    if (!key_node.IsScalar()) {
      error(key_node,
            fmt::format("keys of {} must be strings, found {}", where, describe_node(key_node)));
      continue;
    }
    Text key{key_node.Scalar(), pos(key_node)};
    auto [first, inserted] = seen.emplace(key_node.Scalar(), key.pos.line);
    if (!inserted) {
      diagnostics_.error(key.pos, fmt::format("duplicate key '{}' in {} (first defined on line {})",
                                              key.value, where, first->second));
      continue;
    }
    visit(key, *entry.value);
  }
}

void YamlReader::for_each_item(const YamlNode& node, std::string_view where,
                               const std::function<void(const YamlNode&)>& visit) {
  if (node.IsNull()) return;
  if (!node.IsSequence()) {
    error(node, fmt::format("expected a list for {}, found {}", where, describe_node(node)));
    return;
  }
  for (const YamlNode* item : node.items()) visit(*item);
}

bool YamlReader::expect_scalar(const YamlNode& node, std::string_view what) {
  if (node.IsScalar()) return true;
  error(node, fmt::format("expected a string for {}, found {}", what, describe_node(node)));
  return false;
}

std::optional<Text> YamlReader::string(const YamlNode& node, std::string_view what) {
  if (!expect_scalar(node, what)) return std::nullopt;
  return Text{node.Scalar(), pos(node)};
}

std::optional<Located<int64_t>> YamlReader::integer(const YamlNode& node, std::string_view what,
                                                    int64_t min, int64_t max) {
  if (!node.IsScalar()) {
    error(node, fmt::format("expected a whole number for {}, found {}", what, describe_node(node)));
    return std::nullopt;
  }
  const std::string& s = node.Scalar();
  int64_t value = 0;
  bool digits = !s.empty() && s.size() <= 18;
  for (size_t i = (s.size() > 1 && s[0] == '-') ? 1 : 0; digits && i < s.size(); ++i) {
    digits = s[i] >= '0' && s[i] <= '9';
  }
  if (digits) value = std::stoll(s);
  if (!digits || !node.plain() || value < min || value > max) {
    error(node, fmt::format("expected a whole number from {} to {} for {}, found '{}'", min, max,
                            what, s));
    return std::nullopt;
  }
  return Located<int64_t>{value, pos(node)};
}

std::optional<bool> YamlReader::boolean(const YamlNode& node, std::string_view what) {
  if (node.IsScalar() && node.plain()) {
    if (node.Scalar() == "true") return true;
    if (node.Scalar() == "false") return false;
  }
  error(node, fmt::format("expected true or false for {}, found {}", what,
                          node.IsScalar() ? "'" + node.Scalar() + "'" : describe_node(node)));
  return std::nullopt;
}

std::optional<Located<Duration>> YamlReader::duration(const YamlNode& node, std::string_view what) {
  auto text = string(node, what);
  if (!text) return std::nullopt;
  Result<Duration> d = parse_duration(text->value);
  if (!d) {
    diagnostics_.error(text->pos, fmt::format("{} for {}", d.error(), what));
    return std::nullopt;
  }
  return Located<Duration>{*d, text->pos};
}

std::optional<std::vector<std::string>> YamlReader::command(const YamlNode& node,
                                                            std::string_view what) {
  if (node.IsScalar()) {
    auto words = shell_split(node.Scalar());
    if (!words) {
      error(node, fmt::format("{} in {}", words.error(), what));
      return std::nullopt;
    }
    return std::move(words).value();
  }
  if (!node.IsSequence()) {
    error(node,
          fmt::format("expected a list or a string for {}, found {}", what, describe_node(node)));
    return std::nullopt;
  }
  std::vector<std::string> words;
  for (const Text& word : string_list(node, what)) words.push_back(word.value);
  return words;
}

std::vector<Text> YamlReader::string_list(const YamlNode& node, std::string_view what) {
  std::vector<Text> out;
  for_each_item(node, what, [&](const YamlNode& item) {
    if (auto s = string(item, fmt::format("an item of {}", what))) out.push_back(std::move(*s));
  });
  return out;
}

std::map<std::string, std::string> YamlReader::string_map(const YamlNode& node,
                                                          std::string_view where) {
  std::map<std::string, std::string> out;
  for_each_named(node, where, [&](const Text& key, const YamlNode& value) {
    if (auto s = string(value, fmt::format("'{}' in {}", key.value, where))) {
      out[key.value] = s->value;
    }
  });
  return out;
}

}  // namespace fusion
