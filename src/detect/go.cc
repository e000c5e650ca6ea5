// Go: go.mod; gin, echo or the standard library's net/http.

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

/// The package main's folder as a `go build` argument: "." or "./cmd/api".
std::string main_package(const ProjectFolder& project, const std::vector<std::string>& files) {
  auto main = project.search(files, std::regex(R"((package main)\b)"));
  if (!main) return ".";
  std::string rel = project.relative(main->evidence.file);
  size_t slash = rel.rfind('/');
  return slash == std::string::npos ? "." : "./" + rel.substr(0, slash);
}

}  // namespace

std::optional<Detection> detect_go(const ProjectFolder& project) {
  if (!project.has("go.mod")) return std::nullopt;
  Detection d;
  d.type = "go";
  d.language = found("go", project.file_evidence("go.mod"));
  static const std::regex go_version(R"(\bgo (1\.\d+))");
  d.runtime_version = project.search({project.path("go.mod")}, go_version)
                          .value_or(convention("1.23", "go.mod names no go version"));
  d.package_manager = found("go modules", project.file_evidence("go.mod"));
  d.packages = project.packages("go.mod");
  std::vector<std::string> files = project.sources(".go");
  auto framework = framework_from(d.packages, {{"github.com/gin-gonic/gin", "gin"},
                                               {"github.com/labstack/echo/v4", "echo"},
                                               {"github.com/labstack/echo", "echo"},
                                               {"github.com/go-chi/chi/v5", "chi"},
                                               {"github.com/gofiber/fiber/v2", "fiber"}});
  if (!framework) framework = standard_http(project, files);
  d.framework = framework.value_or(unknown("no HTTP framework in go.mod and no net/http import"));
  static const std::vector<std::regex> ports = {
      std::regex(R"re("(?:0\.0\.0\.0|localhost)?:(\d{2,5})")re"),
      std::regex(R"(Getenv\("PORT"\)[^\n]*?(\d{4,5}))")};
  Fact fallback = d.framework.value == "gin" ? convention("8080", "gin's Run() default port")
                                             : unknown("no listen address in the Go sources");
  d.port = port_from(project, files, ports, fallback);
  std::string package = main_package(project, files);
  d.build_steps = {
      convention("go mod download", "go.mod"),
      convention(
          fmt::format("CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/server {}", package),
          "the package main")};
  d.start_command = convention("/app/server", "the binary the build writes");
  return d;
}

}  // namespace fusion
