#include "generate/yaml_emitter.h"

#include <fmt/format.h>

#include <array>

namespace fusion {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (c != b[i]) return false;
  }
  return true;
}

bool is_keyword(std::string_view text) {
  // YAML 1.1 booleans and nulls (go-yaml v2 adds y/n), compared without case.
  static constexpr std::array<std::string_view, 13> kWords = {
      "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", ".inf", ".nan", "<<"};
  if (text.size() > 5) return false;
  if (text.size() > 1 && (text[0] == '+' || text[0] == '-')) text.remove_prefix(1);
  for (std::string_view w : kWords) {
    if (equals_ignoring_case(text, w)) return true;
  }
  return text == "=";
}

/// Characters YAML 1.1 and 1.2 number and timestamp forms use: digits, signs, separators,
/// exponents, hex digits, the 0x/0o/0b prefixes and the timestamp's T and Z.
bool is_number_char(char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) return true;
  return std::string_view("_.:+-xXoOtTzZ").find(c) != std::string_view::npos;
}

/// Ints (decimal, 0octal, 0x, 0b, sexagesimal 1:30), floats (1., .5, 1e3), timestamps
/// (2001-12-14): anything that starts like a number and holds only number characters. "2s" and
/// "1m30s" stay plain.
bool looks_numeric(std::string_view text) {
  size_t i = (text[0] == '+' || text[0] == '-') ? 1 : 0;
  if (i < text.size() && text[i] == '.') ++i;
  if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
  for (char c : text) {
    if (!is_number_char(c)) return false;
  }
  return true;
}

/// Whether YAML's syntax lets `text` stand plain in block context. Conservative: printable
/// characters only, no indicator first (a '-' only before a non-space, as in "-c"), no ": " or
/// " #" inside, no space at either end, no ':' at the end.
bool plain_syntax_allows(std::string_view text) {
  unsigned char first = static_cast<unsigned char>(text.front());
  if (std::string_view("?:,[]{}#&*!|>'\"%@` ").find(static_cast<char>(first)) !=
      std::string_view::npos) {
    return false;
  }
  if (first == '-' && (text.size() == 1 || text[1] == ' ')) return false;
  if (text.back() == ' ' || text.back() == ':') return false;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == ':' && i + 1 < text.size() && text[i + 1] == ' ') return false;
    if (c == '#' && text[i - 1] == ' ') return false;
  }
  return true;
}

/// A literal block (`|`) keeps multi-line text readable: lines without control characters or
/// trailing spaces, not starting with a space, ending in at most one newline.
bool literal_allows(std::string_view text) {
  if (text.find('\n') == std::string_view::npos || text.front() == ' ' || text.front() == '\n') {
    return false;
  }
  if (text.ends_with("\n\n")) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
    if (c == '\n' && i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) return false;
  }
  return text.back() != ' ';
}

void double_quoted(std::string& out, std::string_view text) {
  out += '"';
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

class Emitter {
 public:
  explicit Emitter(std::string& out) : out_(out) {}

  void document(const YamlData& root) {
    if (is_collection(root) && !root.empty()) {
      root.is_object() ? map(root, 0, false) : sequence(root, 0, false);
    } else {
      inline_value(root, 0);
      out_ += '\n';
    }
  }

 private:
  static bool is_collection(const YamlData& v) { return v.is_object() || v.is_array(); }

  void indent(size_t n) { out_.append(n, ' '); }

  /// A string as a scalar value on the current line (a literal block continues below it).
  void scalar(const std::string& text, size_t block_indent) {
    if (literal_allows(text) && !plain_scalar_changes_type(text)) {
      return literal(text, block_indent);
    }
    key(text);
  }

  /// A string where only one line will do: plain, or double-quoted.
  void key(const std::string& text) {
    if (text.empty() || plain_scalar_changes_type(text)) return double_quoted(out_, text);
    if (text.find('\n') == std::string::npos && plain_syntax_allows(text)) {
      out_ += text;
      return;
    }
    double_quoted(out_, text);
  }

  void literal(std::string_view text, size_t block_indent) {
    out_ += text.back() == '\n' ? "|" : "|-";
    if (text.back() == '\n') text.remove_suffix(1);
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      out_ += '\n';
      if (end > start) {
        indent(block_indent);
        out_.append(text.substr(start, end - start));
      }
      start = end + 1;
    }
  }

  /// A value that fits on the line after "key: " or "- ".
  void inline_value(const YamlData& v, size_t block_indent) {
    switch (v.type()) {
      case YamlData::value_t::string:
        return scalar(v.get_ref<const std::string&>(), block_indent);
      case YamlData::value_t::object:
        out_ += "{}";  // only empty ones come here
        return;
      case YamlData::value_t::array:
        out_ += "[]";
        return;
      case YamlData::value_t::null:
        out_ += "null";
        return;
      default:  // numbers and booleans: their JSON text is their YAML text
        out_ += v.dump();
    }
  }

  /// Entries at `at` columns; the first on the current line when `continues_line`.
  void map(const YamlData& m, size_t at, bool continues_line) {
    bool first = true;
    for (const auto& [key, value] : m.items()) {
      if (!(first && continues_line)) indent(at);
      first = false;
      this->key(key);
      out_ += ':';
      if (is_collection(value) && !value.empty()) {
        out_ += '\n';
        // Sequences under a key sit at the key's column, as libyaml and kubectl write them.
        value.is_object() ? map(value, at + 2, false) : sequence(value, at, false);
      } else {
        out_ += ' ';
        inline_value(value, at + 2);
        out_ += '\n';
      }
    }
  }

  void sequence(const YamlData& s, size_t at, bool continues_line) {
    bool first = true;
    for (const YamlData& item : s) {
      if (!(first && continues_line)) indent(at);
      first = false;
      out_ += "- ";
      if (is_collection(item) && !item.empty()) {
        item.is_object() ? map(item, at + 2, true) : sequence(item, at + 2, true);
      } else {
        inline_value(item, at + 2);
        out_ += '\n';
      }
    }
  }

  std::string& out_;
};

}  // namespace

bool plain_scalar_changes_type(std::string_view text) {
  return text.empty() || is_keyword(text) || looks_numeric(text);
}

std::string yaml_scalar(std::string_view text, bool in_flow) {
  bool flow_safe = !in_flow || text.find_first_of(",[]{}") == std::string_view::npos;
  if (!plain_scalar_changes_type(text) && plain_syntax_allows(text) && flow_safe &&
      text.find('\n') == std::string_view::npos) {
    return std::string(text);
  }
  std::string out;
  double_quoted(out, text);
  return out;
}

YamlData& append(YamlData& map, std::string key, YamlData value) {
  if (map.is_null()) map = YamlData::object();
  auto& entries = *map.get_ptr<YamlData::object_t*>();
  entries.std::vector<YamlData::object_t::value_type>::emplace_back(std::move(key),
                                                                    std::move(value));
  return entries.back().second;
}

std::string emit_yaml(const YamlData& document) {
  std::string out;
  Emitter(out).document(document);
  return out;
}

}  // namespace fusion
