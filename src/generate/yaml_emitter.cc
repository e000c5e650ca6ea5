#include "generate/yaml_emitter.h"

#include <yaml.h>

#include <array>
#include <memory>
#include <stdexcept>

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

class Emitter {
 public:
  explicit Emitter(std::string& out) {
    yaml_emitter_initialize(&emitter_);
    yaml_emitter_set_output(&emitter_, &Emitter::write, &out);
    yaml_emitter_set_unicode(&emitter_, 1);
    yaml_emitter_set_indent(&emitter_, 2);
    yaml_emitter_set_width(&emitter_, -1);  // never fold long lines
  }
  ~Emitter() { yaml_emitter_delete(&emitter_); }
  Emitter(const Emitter&) = delete;
  Emitter& operator=(const Emitter&) = delete;

  void document(const YamlData& root) {
    yaml_event_t e;
    yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
    emit(e);
    yaml_document_start_event_initialize(&e, nullptr, nullptr, nullptr, 1);
    emit(e);
    value(root);
    yaml_document_end_event_initialize(&e, 1);
    emit(e);
    yaml_stream_end_event_initialize(&e);
    emit(e);
    yaml_emitter_flush(&emitter_);
  }

 private:
  static int write(void* data, unsigned char* buffer, size_t size) {
    static_cast<std::string*>(data)->append(reinterpret_cast<const char*>(buffer), size);
    return 1;
  }

  void emit(yaml_event_t& e) {
    if (!yaml_emitter_emit(&emitter_, &e)) {
      throw std::logic_error(std::string("YAML emitter: ") +
                             (emitter_.problem ? emitter_.problem : "unknown error"));
    }
  }

  void scalar(const std::string& text, bool plain_reads_back) {
    yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
    if (!plain_reads_back) {
      style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    } else if (text.find('\n') != std::string::npos) {
      style = YAML_LITERAL_SCALAR_STYLE;
    }
    yaml_event_t e;
    auto* bytes = reinterpret_cast<yaml_char_t*>(const_cast<char*>(text.data()));
    yaml_scalar_event_initialize(&e, nullptr, nullptr, bytes, static_cast<int>(text.size()),
                                 plain_reads_back ? 1 : 0, 1, style);
    emit(e);
  }

  void string(const std::string& text) { scalar(text, !plain_scalar_changes_type(text)); }

  void value(const YamlData& v) {
    yaml_event_t e;
    switch (v.type()) {
      case YamlData::value_t::object:
        yaml_mapping_start_event_initialize(&e, nullptr, nullptr, 1, YAML_BLOCK_MAPPING_STYLE);
        emit(e);
        for (const auto& [key, item] : v.items()) {
          string(key);
          value(item);
        }
        yaml_mapping_end_event_initialize(&e);
        emit(e);
        return;
      case YamlData::value_t::array:
        yaml_sequence_start_event_initialize(&e, nullptr, nullptr, 1, YAML_BLOCK_SEQUENCE_STYLE);
        emit(e);
        for (const YamlData& item : v) value(item);
        yaml_sequence_end_event_initialize(&e);
        emit(e);
        return;
      case YamlData::value_t::string:
        return string(v.get_ref<const std::string&>());
      case YamlData::value_t::null:
        return scalar("null", true);
      default:  // numbers and booleans: their JSON text is their YAML text
        return scalar(v.dump(), true);
    }
  }

  yaml_emitter_t emitter_{};
};

}  // namespace

bool plain_scalar_changes_type(std::string_view text) {
  return text.empty() || is_keyword(text) || looks_numeric(text);
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
