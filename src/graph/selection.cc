#include "graph/selection.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "util/strings.h"

namespace fusion {

size_t Selection::count() const {
  return static_cast<size_t>(std::count(included.begin(), included.end(), true));
}

namespace {

std::string active_profile(const Service& s, const std::vector<std::string>& profiles) {
  for (const Text& p : s.profiles) {
    if (std::find(profiles.begin(), profiles.end(), p.value) != profiles.end()) return p.value;
  }
  return "";
}

}  // namespace

Result<Selection> select_services(const Registry& registry,
                                  const std::vector<std::string>& requested,
                                  const std::vector<std::string>& profiles) {
  const size_t n = registry.services.size();
  Selection sel{std::vector<bool>(n, false), std::vector<std::string>(n)};
  std::unordered_map<std::string_view, size_t> index;
  std::vector<std::string> names;
  for (size_t i = 0; i < n; ++i) {
    index.emplace(registry.services[i].name.value, i);
    names.push_back(registry.services[i].name.value);
  }
  std::vector<size_t> pending;
  auto include = [&](size_t i, std::string why) {
    if (sel.included[i]) return;
    sel.included[i] = true;
    sel.reason[i] = std::move(why);
    pending.push_back(i);
  };
  for (const std::string& name : requested) {
    auto it = index.find(name);
    if (it == index.end()) {
      auto best = closest_match(name, names);
      return Error{fmt::format("no service '{}' in the registry{}", name,
                               best ? fmt::format("; did you mean '{}'?", *best) : "")};
    }
    include(it->second, "requested");
  }
  for (size_t i = 0; requested.empty() && i < n; ++i) {
    const Service& s = registry.services[i];
    if (s.profiles.empty()) include(i, "always on (no profiles)");
    std::string profile = active_profile(s, profiles);
    if (!profile.empty()) include(i, fmt::format("profile '{}'", profile));
  }
  while (!pending.empty()) {  // pull in dependencies, each once
    const Service& s = registry.services[pending.back()];
    pending.pop_back();
    for (const Dependency& d : s.depends_on) {
      auto it = index.find(d.service.value);
      if (it == index.end()) continue;
      include(it->second,
              fmt::format("needed by '{}' ({})", s.name.value, condition_name(d.condition)));
    }
  }
  return sel;
}

}  // namespace fusion
