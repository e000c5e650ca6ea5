// Rust: Cargo.toml; axum, actix-web, rocket or warp; OpenSSL's headers and library when a crate
// links it; a Cargo workspace member built from the workspace root with `-p`.

#include <fmt/format.h>
#include <toml++/toml.h>

#include "detect/project_folder.h"

namespace fusion {
namespace {

/// A crate that links the system's OpenSSL: the build needs its headers, the image its library.
const Package* links_openssl(const std::vector<Package>& packages) {
  for (const Package& p : packages) {
    if (p.dev) continue;
    const std::string& line = p.evidence.text;
    bool native_tls_feature = line.find("native-tls") != std::string::npos;
    bool default_features = line.find("default-features = false") == std::string::npos &&
                            line.find("default_features = false") == std::string::npos;
    if (p.name == "openssl" || p.name == "openssl-sys" || p.name == "native-tls" ||
        p.name == "hyper-tls" || p.name == "postgres-native-tls" || native_tls_feature ||
        (p.name == "reqwest" && default_features)) {
      return &p;
    }
  }
  return nullptr;
}

struct Binary {
  std::string name;  ///< empty: a library crate
  Evidence evidence;
};

/// The binary the package builds: the first [[bin]], else the package itself when it has a
/// src/main.rs.
Binary binary_of(const ProjectFolder& project, const std::string& manifest_text) {
  toml::table manifest;
  try {
    manifest = toml::parse(manifest_text, std::string_view(project.path("Cargo.toml")));
  } catch (const toml::parse_error&) {
    return {};
  }
  std::string file = project.path("Cargo.toml");
  if (const toml::array* bins = manifest["bin"].as_array(); bins && !bins->empty()) {
    if (const toml::table* bin = bins->front().as_table()) {
      if (auto name = (*bin)["name"].value<std::string>()) {
        return {*name, project.snapshot().evidence_on_line(
                           file, (*bin)["name"].node()->source().begin.line)};
      }
    }
  }
  auto name = manifest["package"]["name"].value<std::string>();
  bool main = project.has("src/main.rs") || !project.sources("src/bin/").empty();
  if (!name || !main) return {};
  return {*name, project.snapshot().evidence_on_line(
                     file, manifest["package"]["name"].node()->source().begin.line)};
}

}  // namespace

std::optional<Detection> detect_rust(const ProjectFolder& project) {
  const std::string* text = project.text("Cargo.toml");
  if (!text) return std::nullopt;
  Detection d;
  d.type = "rust";
  d.language = found("rust", project.file_evidence("Cargo.toml"));
  static const std::regex edition(R"re(rust-version\s*=\s*"(1\.\d+))re");
  d.runtime_minimum = true;  // rust-version is the oldest toolchain that builds the crate
  d.runtime_version = project.search({project.path("Cargo.toml")}, edition)
                          .value_or(convention("1.83", "Cargo.toml names no rust-version"));
  d.package_manager = found("cargo", project.file_evidence("Cargo.toml"));
  Manifest read = project.manifest("Cargo.toml");
  if (!read.error.empty()) d.notes.push_back(read.error);
  d.packages = std::move(read.packages);
  d.framework =
      framework_from(
          d.packages,
          {{"axum", "axum"}, {"actix-web", "actix-web"}, {"rocket", "rocket"}, {"warp", "warp"}})
          .value_or(unknown("none of axum, actix-web, rocket or warp in Cargo.toml"));
  static const std::vector<std::regex> ports = {
      std::regex(R"re("(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\])?:(\d{2,5})")re"),
      std::regex(R"re(bind\(\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\))re"),
      std::regex(R"(\[\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\]\s*,\s*(\d{2,5}))")};
  d.port = port_from(project, project.sources(".rs"), ports,
                     config_port(project, unknown("no bind address in the Rust sources")));
  if (const Package* ssl = links_openssl(d.packages)) {
    d.build_packages = {found("pkg-config", ssl->evidence), found("libssl-dev", ssl->evidence)};
    d.runtime_packages = {found("libssl3", ssl->evidence), found("ca-certificates", ssl->evidence)};
  }
  Binary binary = binary_of(project, *text);
  if (binary.name.empty()) {
    d.library = true;
    d.notes.push_back("no src/main.rs and no [[bin]]: a library crate");
    d.start_command = unknown("a library crate has no binary");
    return d;
  }
  // A workspace member locks and builds at the root: the lockfile may be there.
  bool locked = false;
  for (std::string folder = project.folder();; folder = std::string(parent_folder(folder))) {
    locked = locked || project.snapshot().has(join_path(folder, "Cargo.lock"));
    if (folder.empty()) break;
  }
  d.build_steps = {convention(
      fmt::format("cargo build --release{} --bin {}", locked ? " --locked" : "", binary.name),
      locked ? "Cargo.lock" : "no Cargo.lock")};
  d.start_command = found("/app/" + binary.name, binary.evidence);
  return d;
}

}  // namespace fusion
