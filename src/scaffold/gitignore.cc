#include "scaffold/gitignore.h"

#include <set>

#include "util/strings.h"

namespace fusion {
namespace {

std::string normalized(std::string_view line) {
  std::string s(line);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '/')) s.pop_back();
  if (!s.empty() && s.front() == '/') s.erase(0, 1);
  return s;
}

}  // namespace

const std::vector<std::string>& fusion_ignore_entries() {
  static const std::vector<std::string> entries = {".fusion/", "fusion.local.yaml"};
  return entries;
}

std::string with_ignore_entries(std::string_view existing, const std::vector<std::string>& entries,
                                std::vector<std::string>& added) {
  std::set<std::string> present;
  for (std::string_view line : split(existing, '\n')) present.insert(normalized(line));
  std::string out(existing);
  for (const std::string& entry : entries) {
    if (present.contains(normalized(entry))) continue;
    if (added.empty()) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += "# fusion: secret values and each developer's overrides stay out of git\n";
    }
    out += entry + "\n";
    added.push_back(entry);
  }
  return out;
}

}  // namespace fusion
