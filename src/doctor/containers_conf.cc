#include "doctor/containers_conf.h"

#include <charconv>

#include "util/strings.h"

namespace fusion {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

/// The line without its comment: a '#' outside quotes.
std::string_view strip_comment(std::string_view line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      return line.substr(0, i);
    }
  }
  return line;
}

/// Every quoted string of a TOML value, in order: `["a", 'b']` → {a, b}; `"x"` → {x}.
std::vector<std::string> quoted_strings(std::string_view value) {
  std::vector<std::string> out;
  for (size_t i = 0; i < value.size(); ++i) {
    char quote = value[i];
    if (quote != '"' && quote != '\'') continue;
    std::string text;
    for (++i; i < value.size() && value[i] != quote; ++i) {
      if (value[i] == '\\' && quote == '"' && i + 1 < value.size()) ++i;
      text += value[i];
    }
    out.push_back(std::move(text));
  }
  return out;
}

int bracket_balance(std::string_view value) {
  int depth = 0;
  char quote = 0;
  for (char c : value) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else {
      depth += c == '[' ? 1 : c == ']' ? -1 : 0;
    }
  }
  return depth;
}

}  // namespace

ContainersConf read_containers_conf(std::string_view text, ContainersConf conf) {
  std::string table, key, value;
  auto finish_value = [&] {
    if (table == "containers" && key == "default_ulimits") {
      conf.default_ulimits = quoted_strings(value);
    } else if (table == "engine" && key == "runtime") {
      auto strings = quoted_strings(value);
      conf.runtime = strings.empty() ? "" : strings.front();
    }
    key.clear();
    value.clear();
  };
  for (std::string_view raw : split(text, '\n')) {
    std::string_view line = trim(strip_comment(raw));
    if (!key.empty()) {  // inside an array that spans lines
      value += std::string(line) + " ";
      if (bracket_balance(value) <= 0) finish_value();
      continue;
    }
    if (line.starts_with("[") && !line.starts_with("[[")) {
      table = std::string(trim(line.substr(1, line.find(']') - 1)));
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    key = std::string(trim(line.substr(0, eq)));
    value = std::string(trim(line.substr(eq + 1))) + " ";
    if (bracket_balance(value) <= 0) finish_value();
  }
  if (!key.empty()) finish_value();
  return conf;
}

std::vector<std::filesystem::path> containers_conf_files(
    const std::string& containers_conf_variable,
    const std::vector<std::filesystem::path>& drop_ins) {
  if (!containers_conf_variable.empty()) return {containers_conf_variable};
  std::vector<std::filesystem::path> files = {"/usr/share/containers/containers.conf",
                                              "/etc/containers/containers.conf"};
  files.insert(files.end(), drop_ins.begin(), drop_ins.end());
  return files;
}

std::optional<UlimitPair> find_ulimit(const std::vector<std::string>& ulimits,
                                      std::string_view name) {
  for (std::string_view entry : ulimits) {
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos || trim(entry.substr(0, eq)) != name) continue;
    std::string_view limits = trim(entry.substr(eq + 1));
    size_t colon = limits.find(':');
    std::string_view soft = limits.substr(0, colon);
    std::string_view hard = colon == std::string_view::npos ? soft : limits.substr(colon + 1);
    UlimitPair pair;
    auto parse = [](std::string_view s, uint64_t& out) {
      if (s == "-1" || s == "unlimited") {
        out = UINT64_MAX;
        return true;
      }
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      return ec == std::errc() && end == s.data() + s.size();
    };
    if (!parse(soft, pair.soft) || !parse(hard, pair.hard)) return std::nullopt;
    return pair;
  }
  return std::nullopt;
}

}  // namespace fusion
