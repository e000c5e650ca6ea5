// Go: go.mod (or, without modules, the package main's files alone); gin, echo, chi, fiber or
// the standard library's net/http; a go.work member built from the workspace root.

#include <fmt/format.h>

#include "detect/project_folder.h"

namespace fusion {
namespace {

std::optional<Fact> standard_http(const ProjectFolder& project,
                                  const std::vector<std::string>& files) {
  if (auto import = project.search(files, std::regex(R"re("(net/http)")re")))
    return found("net/http", import->evidence);
  return std::nullopt;
}

/// The package main's folder as a `go build` argument: "." or "./cmd/api"; empty: no main.
std::string main_package(const ProjectFolder& project, const std::vector<std::string>& files) {
  auto main = project.search(files, std::regex(R"((?:^|\n)(package main)\b)"));
  if (!main) return "";
  std::string rel = project.relative(main->evidence.file);
  size_t slash = rel.rfind('/');
  return slash == std::string::npos ? "." : "./" + rel.substr(0, slash);
}

/// The .go files directly in this folder (a project without go.mod is one package).
std::vector<std::string> files_here(const ProjectFolder& project) {
  return project.snapshot().files_in(project.folder(), ".go");
}

/// A folder below a go.mod or go.work is a package of that module, not a project of its own.
bool inside_module(const ProjectFolder& project) {
  for (std::string folder(parent_folder(project.folder()));;
       folder = std::string(parent_folder(folder))) {
    if (project.snapshot().has(join_path(folder, "go.mod")) ||
        project.snapshot().has(join_path(folder, "go.work"))) {
      return true;
    }
    if (folder.empty()) return false;
  }
}

}  // namespace

std::optional<Detection> detect_go(const ProjectFolder& project) {
  bool modules = project.has("go.mod");
  std::vector<std::string> files = modules ? project.sources(".go") : files_here(project);
  if (!modules && (main_package(project, files) != "." || inside_module(project))) {
    return std::nullopt;
  }
  Detection d;
  d.type = "go";
  if (modules) {
    d.language = found("go", project.file_evidence("go.mod"));
    static const std::regex go_version(R"((?:^|\n)go (1\.\d+))");
    auto version = project.search({project.path("go.mod")}, go_version);
    d.runtime_minimum = true;  // go.mod's go line is the oldest toolchain that builds it
    d.runtime_version = version.value_or(convention("1.23", "go.mod names no go version"));
    d.package_manager = found("go modules", project.file_evidence("go.mod"));
    d.packages = project.packages("go.mod");
  } else {
    d.language = found("go", project.snapshot().evidence_at(files.front(), 0));
    d.runtime_minimum = true;
    d.runtime_version = convention("1.23", "no go.mod: any Go builds a package without modules");
    d.package_manager = convention("none", "no go.mod: the standard library only");
  }
  auto framework = framework_from(d.packages, {{"github.com/gin-gonic/gin", "gin"},
                                               {"github.com/labstack/echo/v4", "echo"},
                                               {"github.com/labstack/echo", "echo"},
                                               {"github.com/go-chi/chi/v5", "chi"},
                                               {"github.com/gofiber/fiber/v2", "fiber"}});
  if (!framework) framework = standard_http(project, files);
  d.framework = framework.value_or(unknown("no HTTP framework in go.mod and no net/http import"));
  static const std::vector<std::regex> ports = {
      std::regex(R"re("(?:0\.0\.0\.0|localhost|127\.0\.0\.1)?:(\d{2,5})")re"),
      std::regex(R"(Getenv\("PORT"\)[^\n]*?(\d{4,5}))")};
  Fact fallback = d.framework.value == "gin" ? convention("8080", "gin's Run() default port")
                                             : unknown("no listen address in the Go sources");
  d.port = port_from(project, files, ports, config_port(project, fallback));
  std::string package = main_package(project, files);
  if (package.empty()) {
    d.library = true;
    d.notes.push_back("no package main: a library");
    d.start_command = unknown("no package main to build");
    return d;
  }
  if (modules) {
    d.build_steps = {
        convention("go mod download", "go.mod"),
        convention(
            fmt::format("CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/server {}", package),
            "the package main")};
  } else {
    d.build_steps = {convention("true", "no modules to download"),
                     convention("CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/server "
                                "$(ls *.go | grep -v '_test\\.go$')",
                                "the package main's files, without go.mod")};
  }
  d.start_command = convention("/app/server", "the binary the build writes");
  return d;
}

}  // namespace fusion
