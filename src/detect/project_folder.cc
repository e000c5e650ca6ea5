#include "detect/project_folder.h"

#include <algorithm>
#include <set>

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

std::vector<Fact> ProjectFolder::search_all(const std::vector<std::string>& files,
                                            const std::regex& pattern) const {
  std::vector<Fact> out;
  for (const std::string& file : files) {
    const std::string* text = snapshot_.file(file);
    if (!text) continue;
    for (std::sregex_iterator m(text->begin(), text->end(), pattern), end; m != end; ++m) {
      out.push_back(
          found((*m)[1].str(), snapshot_.evidence_at(file, static_cast<size_t>(m->position(1)))));
    }
  }
  return out;
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
  static const std::set<std::string_view> client_ports = {
      "5432", "3306", "6379", "27017", "5672", "9092", "9200", "9300", "11211", "2181", "8983"};
  for (const std::regex& pattern : patterns) {
    for (const Fact& port : project.search_all(files, pattern)) {
      if (!client_ports.contains(port.value)) return port;
    }
  }
  return fallback;
}

}  // namespace fusion

namespace fusion {

Fact config_port(const ProjectFolder& project, Fact fallback) {
  std::vector<std::string> files;
  for (const std::string& path : project.snapshot().files_under(project.folder(), "")) {
    std::string rel = project.relative(path);
    std::string_view name = std::string_view(rel).substr(rel.rfind('/') + 1);
    bool config_folder = rel.starts_with("config/") || rel.starts_with("configs/");
    bool config_name = name.starts_with("config.") || name.starts_with("settings.") ||
                       name.starts_with("app.") || name == ".env" || name.starts_with(".env.");
    bool config_type = name.ends_with(".yaml") || name.ends_with(".yml") ||
                       name.ends_with(".toml") || name.ends_with(".json") ||
                       name.starts_with(".env");
    if (config_type && (config_name || (config_folder && rel.find('/', 8) == std::string::npos)))
      files.push_back(path);
  }
  static const std::vector<std::regex> patterns = {
      std::regex(
          R"re((?:^|\n)\s*"?(?:port|PORT|http_port|HTTP_PORT|server_port|SERVER_PORT|APP_PORT)"?\s*[:=]\s*"?(\d{2,5}))re"),
      std::regex(
          R"re((?:^|\n)\s*"?(?:addr|address|listen|ADDR|LISTEN_ADDR|HTTP_ADDR)"?\s*[:=]\s*"?[\w.]*:(\d{2,5}))re")};
  return port_from(project, files, patterns, std::move(fallback));
}

}  // namespace fusion
