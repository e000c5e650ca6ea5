#include "runtime/env_file.h"

#include "util/strings.h"

namespace fusion {

std::vector<EnvFileEntry> parse_env_file(std::string_view text) {
  std::vector<EnvFileEntry> out;
  for (std::string_view line : split(text, '\n')) {
    if (line.ends_with('\r')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.starts_with("export ")) line.remove_prefix(7);
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    std::string name(line.substr(0, eq));
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    if (name.empty()) continue;
    if (eq == std::string_view::npos) {
      out.push_back({name, std::nullopt});
      continue;
    }
    std::string value(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else if (size_t hash = value.find(" #"); hash != std::string::npos) {
      value.erase(hash);  // an unquoted value ends at an inline comment
      while (!value.empty() && value.back() == ' ') value.pop_back();
    }
    out.push_back({name, value});
  }
  return out;
}

}  // namespace fusion
