#include "registry/interpolation.h"

namespace fusion {
namespace {

bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

size_t read_name(std::string_view text, size_t i) {
  if (i >= text.size() || !name_start(text[i])) return i;
  while (i < text.size() && name_char(text[i])) ++i;
  return i;
}

// Parses the inside of ${…} (without braces) starting at `dollar`.
void parse_braced(std::string_view body, size_t dollar, ScanResult& out) {
  Reference ref;
  ref.offset = dollar;
  if (body.starts_with("secret:")) {
    ref.kind = Reference::Kind::kSecret;
    ref.name = std::string(body.substr(7));
    out.references.push_back(std::move(ref));
    return;
  }
  size_t end = read_name(body, 0);
  if (end == 0) {
    out.errors.push_back({dollar, "'${" + std::string(body) +
                                      "}' is not a variable reference; "
                                      "names are letters, digits and '_'"});
    return;
  }
  ref.name = std::string(body.substr(0, end));
  std::string_view rest = body.substr(end);
  if (rest.starts_with(":-") || rest.starts_with(":?")) {
    ref.has_default = rest[1] == '-';
    ref.default_value = std::string(rest.substr(2));
  } else if (rest.starts_with('-') || rest.starts_with('?')) {
    ref.has_default = rest[0] == '-';
    ref.default_value = std::string(rest.substr(1));
  } else if (!rest.empty()) {
    out.errors.push_back({dollar, "'${" + std::string(body) +
                                      "}': expected '}', ':-' or ':?' "
                                      "after the variable name"});
    return;
  }
  out.references.push_back(std::move(ref));
}

}  // namespace

ScanResult scan_references(std::string_view text) {
  ScanResult out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) continue;
    char next = text[i + 1];
    if (next == '$') {
      ++i;
    } else if (next == '{') {
      size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        out.errors.push_back(
            {i, "unterminated '${'; close it with '}' or write '$$' for a dollar"});
        return out;
      }
      size_t before = out.references.size();
      parse_braced(text.substr(i + 2, close - i - 2), i, out);
      if (out.references.size() > before) out.references.back().length = close + 1 - i;
      i = close;
    } else if (name_start(next)) {
      size_t end = read_name(text, i + 1);
      out.references.push_back({Reference::Kind::kVariable,
                                std::string(text.substr(i + 1, end - i - 1)), "", false, i,
                                end - i});
      i = end - 1;
    }
  }
  return out;
}

std::string substitute(std::string_view text,
                       const std::function<std::optional<std::string>(const Reference&)>& value) {
  std::vector<Reference> refs = scan_references(text).references;
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < text.size();) {
    if (next < refs.size() && refs[next].offset == i) {
      const Reference& ref = refs[next++];
      std::optional<std::string> v = value(ref);
      out += v ? *v : std::string(text.substr(i, ref.length));
      i += ref.length;
    } else if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '$') {
      out += '$';
      i += 2;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace fusion
