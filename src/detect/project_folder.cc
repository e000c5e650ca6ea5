#include "detect/project_folder.h"

#include <algorithm>

namespace fusion {

std::optional<Evidence> ProjectFolder::line(std::string_view name, std::string_view needle) const {
  return snapshot_.find_line(path(name), needle);
}

std::vector<std::string> ProjectFolder::sources(std::string_view suffix) const {
  return snapshot_.files_under(folder_, suffix);
}

std::vector<std::string> ProjectFolder::sources(
    std::initializer_list<std::string_view> suffixes) const {
  std::vector<std::string> out;
  for (std::string_view suffix : suffixes) {
    std::vector<std::string> some = sources(suffix);
    out.insert(out.end(), some.begin(), some.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<Fact> ProjectFolder::search(const std::vector<std::string>& files,
                                          const std::regex& pattern) const {
  for (const std::string& file : files) {
    const std::string* text = snapshot_.file(file);
    if (!text) continue;
    std::smatch m;
    if (!std::regex_search(*text, m, pattern)) continue;
    return found(m[1].str(), snapshot_.evidence_at(file, static_cast<size_t>(m.position(1))));
  }
  return std::nullopt;
}

std::string ProjectFolder::relative(const std::string& path) const {
  return folder_.empty() ? path : path.substr(folder_.size() + 1);
}

std::optional<Fact> framework_from(const std::vector<Package>& packages, FrameworkMarks marks) {
  for (const auto& [package, framework] : marks) {
    if (const Package* p = find_package(packages, package)) {
      return found(std::string(framework), p->evidence);
    }
  }
  return std::nullopt;
}

Fact port_from(const ProjectFolder& project, const std::vector<std::string>& files,
               const std::vector<std::regex>& patterns, Fact fallback) {
  for (const std::regex& pattern : patterns) {
    if (auto port = project.search(files, pattern)) return *port;
  }
  return fallback;
}

}  // namespace fusion
