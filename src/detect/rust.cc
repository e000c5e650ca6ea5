// Rust: Cargo.toml; axum or actix-web.

#include <fmt/format.h>

#include "detect/project_folder.h"

namespace fusion {

std::optional<Detection> detect_rust(const ProjectFolder& project) {
  if (!project.has("Cargo.toml")) return std::nullopt;
  Detection d;
  d.type = "rust";
  d.language = found("rust", project.file_evidence("Cargo.toml"));
  static const std::regex edition(R"re(rust-version\s*=\s*"(1\.\d+))re");
  d.runtime_version = project.search({project.path("Cargo.toml")}, edition)
                          .value_or(convention("1.83", "Cargo.toml names no rust-version"));
  d.package_manager = found("cargo", project.file_evidence("Cargo.toml"));
  d.packages = project.packages("Cargo.toml");
  d.framework =
      framework_from(
          d.packages,
          {{"axum", "axum"}, {"actix-web", "actix-web"}, {"rocket", "rocket"}, {"warp", "warp"}})
          .value_or(unknown("none of axum, actix-web, rocket or warp in Cargo.toml"));
  static const std::regex package_name(R"re(name\s*=\s*"([A-Za-z0-9_\-]+)")re");
  auto name = project.search({project.path("Cargo.toml")}, package_name);
  std::string binary = name ? name->value : "app";
  static const std::vector<std::regex> ports = {
      std::regex(R"re("(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\])?:(\d{2,5})")re"),
      std::regex(R"re(bind\(\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\))re"),
      std::regex(R"(\[\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\]\s*,\s*(\d{2,5}))")};
  d.port = port_from(project, project.sources(".rs"), ports,
                     unknown("no bind address in the Rust sources"));
  bool locked = project.has("Cargo.lock");
  d.build_steps = {convention(locked ? "cargo build --release --locked" : "cargo build --release",
                              locked ? "Cargo.lock" : "no Cargo.lock")};
  d.start_command =
      name ? found("/app/" + binary, name->evidence) : unknown("Cargo.toml has no package name");
  return d;
}

}  // namespace fusion
