#include "detect/detect.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "detect/backing.h"
#include "detect/project_folder.h"
#include "util/strings.h"

namespace fusion {
namespace {

/// `["uvicorn", "app:app"]` → `uvicorn app:app`; a shell-form command stays as it is.
std::string exec_form_as_line(const std::string& command) {
  nlohmann::json words = nlohmann::json::parse(command, nullptr, false);
  if (words.is_discarded() || !words.is_array()) return command;
  std::vector<std::string> parts;
  for (const auto& word : words) {
    if (word.is_string()) parts.push_back(word.get<std::string>());
  }
  return join(parts, " ");
}

std::optional<DockerfileFacts> read_dockerfile(const ProjectFolder& project) {
  if (!project.has("Dockerfile")) return std::nullopt;
  DockerfileFacts facts;
  facts.path = project.path("Dockerfile");
  const std::string& text = *project.text("Dockerfile");
  static const std::regex expose(R"((?:^|\n)\s*EXPOSE\s+(\d{1,5}))", std::regex::icase);
  for (std::sregex_iterator m(text.begin(), text.end(), expose), end; m != end; ++m) {
    facts.exposed_ports.push_back(
        found((*m)[1].str(),
              project.snapshot().evidence_at(facts.path, static_cast<size_t>(m->position(1)))));
  }
  static const std::regex command(R"((?:^|\n)\s*(?:CMD|ENTRYPOINT)\s+(.*))", std::regex::icase);
  for (std::sregex_iterator m(text.begin(), text.end(), command), end; m != end; ++m) {
    facts.command =
        found(exec_form_as_line((*m)[1].str()),
              project.snapshot().evidence_at(facts.path, static_cast<size_t>(m->position(1))));
  }
  static const std::regex healthcheck(R"((?:^|\n)\s*HEALTHCHECK\s+(.*))", std::regex::icase);
  std::smatch m;
  if (std::regex_search(text, m, healthcheck)) {
    facts.healthcheck = found(
        m[1].str(), project.snapshot().evidence_at(facts.path, static_cast<size_t>(m.position(1))));
  }
  return facts;
}

void add_needs(Detection& d) {
  std::set<std::string> seen;
  for (const Package& p : d.packages) {
    auto service = backing_for_package(p.name, p.evidence.text);
    if (service && seen.emplace(*service).second) {
      d.needs.push_back({std::string(*service), p.evidence});
    }
  }
}

/// The Dockerfile's word over the sources': its EXPOSE is the port, its CMD the start command.
void respect_dockerfile(Detection& d) {
  if (!d.dockerfile) return;
  if (d.dockerfile->command) d.start_command = *d.dockerfile->command;
  if (d.dockerfile->exposed_ports.empty()) return;
  const Fact& exposed = d.dockerfile->exposed_ports.front();
  if (!d.port.evidence.file.empty() && d.port.value != exposed.value && d.port.known()) {
    d.notes.push_back("the sources listen on " + d.port.value + " (" + d.port.evidence.where() +
                      ") but the Dockerfile exposes " + exposed.value);
  }
  d.port = exposed;
}

/// A health endpoint the sources route: a quoted "/healthz", "/health", "/livez", "/ready", or
/// Spring Boot's actuator.
Fact health_path(const ProjectFolder& project, const Detection& d) {
  if (d.type == "static" || d.type == "node-static") {
    return convention("/", "a static site serves its index page");
  }
  if (const Package* actuator = find_package(d.packages, "spring-boot-starter-actuator")) {
    return found("/actuator/health", actuator->evidence);
  }
  std::vector<std::string> sources =
      project.sources({".py", ".js", ".mjs", ".ts", ".go", ".rs", ".java", ".kt", ".rb", ".cs"});
  static const std::regex route(R"re(["'](/(?:healthz|health|livez|ready|readyz|ping))["'])re");
  if (auto path = project.search(sources, route)) return *path;
  return unknown("no /healthz, /health, /livez, /ready or /ping route in the sources");
}

bool is_below(const std::string& folder, const std::string& ancestor) {
  return ancestor.empty() ? !folder.empty()
                          : folder.size() > ancestor.size() && folder.starts_with(ancestor) &&
                                folder[ancestor.size()] == '/';
}

}  // namespace

std::string service_name_for(std::string_view folder_name) {
  std::string name;
  for (char c : folder_name) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') {
      name += static_cast<char>(c - 'A' + 'a');
    } else if (alnum) {
      name += c;
    } else if (!name.empty() && name.back() != '-') {
      name += '-';
    }
  }
  if (name.size() > 63) name.resize(63);
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name.empty() ? "app" : name;
}

Detection detect_folder(const SourceSnapshot& snapshot, const std::string& folder,
                        const std::string& root_name) {
  ProjectFolder project(snapshot, folder);
  static constexpr std::optional<Detection> (*detectors[])(const ProjectFolder&) = {
      detect_node, detect_python, detect_go,     detect_rust,
      detect_java, detect_ruby,   detect_dotnet, detect_static_site};
  Detection d;
  for (auto detector : detectors) {
    if (auto detected = detector(project)) {
      d = std::move(*detected);
      break;
    }
  }
  d.folder = folder;
  d.name = service_name_for(folder.empty() ? root_name : folder.substr(folder.rfind('/') + 1));
  d.dockerfile = read_dockerfile(project);
  if (!d.recognised() && d.dockerfile) {
    d.type = "dockerfile";
    d.language = unknown("no manifest of a known language; the Dockerfile builds it");
    d.framework = d.package_manager = d.runtime_version = unknown("the Dockerfile decides");
    d.start_command = convention("the Dockerfile's CMD", d.dockerfile->path);
  }
  if (!d.recognised()) {
    d.notes.push_back(
        "no package.json, pyproject.toml, requirements.txt, Pipfile, setup.py, go.mod, "
        "Cargo.toml, pom.xml, build.gradle, Gemfile, *.csproj, index.html or Dockerfile");
  }
  respect_dockerfile(d);
  add_needs(d);
  if (d.recognised()) d.health_path = health_path(project, d);
  return d;
}

std::vector<Detection> detect_projects(const SourceSnapshot& snapshot,
                                       const std::string& root_name) {
  std::vector<Detection> found_projects;
  for (const std::string& folder : snapshot.folders()) {
    Detection d = detect_folder(snapshot, folder, root_name);
    if (d.recognised()) found_projects.push_back(std::move(d));
  }
  auto hidden = [&](const Detection& d) {
    return std::any_of(found_projects.begin(), found_projects.end(), [&](const Detection& other) {
      if (&other == &d) return false;
      if (is_below(d.folder, other.folder)) {  // other is an ancestor
        return other.framework.known() && other.type != "static";
      }
      if (is_below(other.folder, d.folder)) {  // other is below d
        return (!d.framework.known() || d.type == "static") && other.type != "static";
      }
      return false;
    });
  };
  std::vector<Detection> kept;
  for (const Detection& d : found_projects) {
    if (!hidden(d)) kept.push_back(d);
  }
  if (kept.empty()) kept.push_back(detect_folder(snapshot, "", root_name));
  return kept;
}

}  // namespace fusion
