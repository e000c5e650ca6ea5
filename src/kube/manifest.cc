#include "kube/manifest.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "registry/yaml_tree.h"

namespace fusion {

namespace {

/// Booleans and nulls as YAML 1.1 (go-yaml v2, which kubectl uses) reads them.
std::optional<nlohmann::json> keyword(const std::string& text) {
  static const char* const kTrue[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                      "True", "TRUE", "on",  "On",  "ON"};
  static const char* const kFalse[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                       "False", "FALSE", "off", "Off", "OFF"};
  for (const char* word : kTrue)
    if (text == word) return true;
  for (const char* word : kFalse)
    if (text == word) return false;
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    return nlohmann::json(nullptr);
  if (text == ".inf" || text == ".Inf" || text == ".INF" || text == "+.inf")
    return std::numeric_limits<double>::infinity();
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF")
    return -std::numeric_limits<double>::infinity();
  return std::nullopt;
}

std::optional<nlohmann::json> number(std::string text) {
  std::erase(text, '_');
  if (text.empty()) return std::nullopt;
  std::string_view digits = text;
  bool negative = digits[0] == '-';
  if (digits[0] == '-' || digits[0] == '+') digits.remove_prefix(1);
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16, digits.remove_prefix(2);
  } else if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
    base = 2, digits.remove_prefix(2);
  } else if (digits.size() > 1 && digits[0] == '0' &&
             digits.find_first_not_of("01234567") == std::string_view::npos) {
    base = 8, digits.remove_prefix(1);
  }
  int64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error == std::errc() && end == digits.data() + digits.size() && !digits.empty())
    return negative ? -value : value;
  // A float: digits with one point and an optional exponent, nothing else.
  if (text.find_first_not_of("0123456789.eE+-") != std::string::npos) return std::nullopt;
  if (text.find_first_of("0123456789") == std::string::npos) return std::nullopt;
  double real = 0;
  auto [real_end, real_error] = std::from_chars(text.data(), text.data() + text.size(), real);
  if (real_error == std::errc() && real_end == text.data() + text.size()) return real;
  return std::nullopt;
}

nlohmann::json scalar_to_json(const YamlNode& node) {
  if (!node.plain()) return node.Scalar();
  if (auto value = keyword(node.Scalar())) return *value;
  if (auto value = number(node.Scalar())) return *value;
  return node.Scalar();
}

/// The documents of `text` with the line each starts on: a line that is `---` (perhaps with
/// a comment or spaces after it) separates them, as Kubernetes' YAML reader splits.
std::vector<std::pair<std::string_view, uint32_t>> split_documents(std::string_view text) {
  std::vector<std::pair<std::string_view, uint32_t>> documents;
  size_t start = 0, at = 0;
  uint32_t line = 1, start_line = 1;
  while (at <= text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view current = text.substr(at, end - at);
    bool separator = current.substr(0, 3) == "---" && (current.size() == 3 || current[3] == ' ' ||
                                                       current[3] == '\t' || current[3] == '\r');
    if (separator) {
      documents.emplace_back(text.substr(start, at - start), start_line);
      start = end + 1;
      start_line = line + 1;
    }
    at = end + 1;
    ++line;
  }
  if (start < text.size()) documents.emplace_back(text.substr(start), start_line);
  return documents;
}

Status check_object(const nlohmann::json& object) {
  if (!object.is_object()) return Error{"a manifest must be a map"};
  for (const char* key : {"apiVersion", "kind"})
    if (!object.contains(key) || !object[key].is_string() || object[key].get<std::string>().empty())
      return Error{fmt::format("the object has no {}", key)};
  const nlohmann::json& metadata = object.value("metadata", nlohmann::json());
  bool named =
      metadata.is_object() && ((metadata.contains("name") && metadata["name"].is_string()) ||
                               metadata.contains("generateName"));
  if (!named)
    return Error{fmt::format("the {} has no metadata.name", object["kind"].get<std::string>())};
  return ok_status();
}

}  // namespace

nlohmann::json yaml_to_json(const YamlNode& node) {
  switch (node.kind()) {
    case YamlNode::Kind::kNull:
      return nullptr;
    case YamlNode::Kind::kScalar:
      return scalar_to_json(node);
    case YamlNode::Kind::kSequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const YamlNode* item : node.items()) out.push_back(yaml_to_json(*item));
      return out;
    }
    case YamlNode::Kind::kMap: {
      nlohmann::json out = nlohmann::json::object();
      for (const YamlNode::Entry& entry : node.entries())
        out[entry.key->Scalar()] = yaml_to_json(*entry.value);
      return out;
    }
  }
  return nullptr;
}

Result<std::vector<ManifestObject>> parse_manifests(std::string_view text,
                                                    const std::string& name) {
  std::vector<ManifestObject> manifests;
  for (const auto& [document, first_line] : split_documents(text)) {
    auto parsed = YamlDocument::parse(document);
    if (auto* error = std::get_if<YamlSyntaxError>(&parsed))
      return Error{fmt::format("{}:{}:{}: {}", name, first_line + error->line - 1, error->column,
                               error->message)};
    const YamlNode& root = std::get<YamlDocument>(parsed).root();
    if (root.IsNull()) continue;
    uint32_t line = first_line + root.line() - 1;
    nlohmann::json object = yaml_to_json(root);
    std::string origin = fmt::format("{}:{}", name, line);
    if (object.is_object() && object.value("kind", "") == "List" && object.contains("items") &&
        object["items"].is_array()) {
      for (nlohmann::json& item : object["items"]) {
        if (Status ok = check_object(item); !ok.ok())
          return Error{fmt::format("{}: {}", origin, ok.error())};
        manifests.push_back({std::move(item), origin});
      }
      continue;
    }
    if (Status ok = check_object(object); !ok.ok())
      return Error{fmt::format("{}: {}", origin, ok.error())};
    manifests.push_back({std::move(object), origin});
  }
  return manifests;
}

}  // namespace fusion
