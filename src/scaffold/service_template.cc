#include "scaffold/service_template.h"

#include <fmt/format.h>

#include <set>

#include "detect/detection.h"
#include "generate/yaml_emitter.h"

namespace fusion {
namespace {

constexpr std::string_view kFolder = "new/";
constexpr std::string_view kSuffix = ".mustache";

}  // namespace

std::vector<std::string> service_templates(const Templates& templates) {
  std::set<std::string> names;
  for (const std::string& path : templates.names_under(kFolder)) {
    std::string rest = path.substr(kFolder.size());
    if (size_t slash = rest.find('/'); slash != std::string::npos)
      names.insert(rest.substr(0, slash));
  }
  return {names.begin(), names.end()};
}

Result<FileSet> render_service_template(const Templates& templates,
                                        const std::string& template_name, const std::string& name) {
  std::string prefix = fmt::format("{}{}/", kFolder, template_name);
  TemplateData data;
  data.set("name", name);
  data.set("module", "example.com/" + name);  // Go's module path; rename it to the repository's
  FileSet files;
  for (const std::string& path : templates.names_under(prefix)) {
    if (!path.ends_with(kSuffix)) continue;
    auto text = templates.render(path, data, no_escape);
    if (!text) return Error{text.error()};
    std::string rel = path.substr(prefix.size());
    files[rel.substr(0, rel.size() - kSuffix.size())] = std::move(text).value();
  }
  if (files.empty()) return Error{fmt::format("no template named '{}'", template_name)};
  return files;
}

std::vector<std::string> new_service_entry(const Detection& d, const std::string& folder,
                                           const std::string& template_name) {
  std::vector<std::string> lines = {
      fmt::format("description: {}", yaml_scalar("made by `fusion new " + template_name + "`")),
      fmt::format("path: {}", yaml_scalar(folder))};
  if (d.port_number() != 0) {
    lines.push_back(fmt::format("ports: [\"{}\"]", d.port.value));
    std::string path = d.health_path.known() ? d.health_path.value : "/";
    lines.push_back(
        fmt::format("health: {{ http: {}, port: {} }}", yaml_scalar(path, true), d.port.value));
  }
  return lines;
}

}  // namespace fusion
