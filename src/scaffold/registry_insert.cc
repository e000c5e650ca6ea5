#include "scaffold/registry_insert.h"

#include <fmt/format.h>

#include <algorithm>

#include "registry/yaml_tree.h"
#include "util/strings.h"

namespace fusion {
namespace {

/// Byte offsets of the start of each line.
std::vector<size_t> line_starts(std::string_view text) {
  std::vector<size_t> starts = {0};
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size()) starts.push_back(i + 1);
  }
  return starts;
}

bool belongs_to_next_section(std::string_view line) {
  return line.empty() || line == "\r" || line.starts_with('#');
}

std::string entry_text(std::string_view name, const std::vector<std::string>& body, size_t indent) {
  std::string out = fmt::format("{:{}}{}:\n", "", indent, name);
  for (const std::string& line : body) out += fmt::format("{:{}}{}\n", "", indent * 2, line);
  return out;
}

}  // namespace

Result<std::string> insert_service(std::string_view registry_text, std::string_view name,
                                   const std::vector<std::string>& body) {
  auto parsed = YamlDocument::parse(registry_text);
  if (auto* error = std::get_if<YamlSyntaxError>(&parsed)) {
    return Error{fmt::format("fusion.yaml:{}:{}: {}", error->line, error->column, error->message)};
  }
  const YamlNode& root = std::get<YamlDocument>(parsed).root();
  if (!root.IsMap()) return Error{"fusion.yaml's top level is not a map"};
  std::string text(registry_text);
  if (!text.empty() && text.back() != '\n') text += '\n';
  const YamlNode::Entry* services = nullptr;
  uint32_t next_line = 0;  // the first top-level key after `services`, 0 for none
  for (const YamlNode::Entry& e : root.entries()) {
    if (e.key->Scalar() == "services") services = &e;
  }
  if (!services) return text + "\nservices:\n" + entry_text(name, body, 2);
  for (const YamlNode::Entry& e : root.entries()) {
    if (e.key->line() > services->key->line() && (next_line == 0 || e.key->line() < next_line)) {
      next_line = e.key->line();
    }
  }
  const YamlNode& map = *services->value;
  size_t indent = 2;
  if (map.IsMap()) {
    for (const YamlNode::Entry& e : map.entries()) {
      if (e.key->Scalar() == name)
        return Error{fmt::format("fusion.yaml already has a service '{}'", name)};
    }
    if (!map.entries().empty()) {
      if (map.entries().front().key->line() == services->key->line()) {
        return Error{"`services` is written in flow style ({ … }); add the service by hand"};
      }
      indent = map.entries().front().key->column() - 1;
    } else if (map.line() == services->key->line()) {
      return Error{"`services` is written in flow style ({}); write it as a block to add to it"};
    }
  } else if (!map.IsNull()) {
    return Error{"`services` in fusion.yaml is not a map"};
  }
  std::vector<size_t> starts = line_starts(text);
  size_t line = next_line == 0 ? starts.size() : next_line - 1;  // 0-based line to insert before
  while (line > services->key->line()) {
    size_t begin = starts[line - 1];
    size_t end = line < starts.size() ? starts[line] - 1 : text.size() - 1;
    if (!belongs_to_next_section(std::string_view(text).substr(begin, end - begin))) break;
    --line;
  }
  size_t at = line < starts.size() ? starts[line] : text.size();
  return text.substr(0, at) + "\n" + entry_text(name, body, indent) + text.substr(at);
}

}  // namespace fusion
