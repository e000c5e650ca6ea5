// Node: package.json; NestJS, Next.js, Fastify, Express, or a Vite build served as static
// files; npm, yarn or pnpm by lockfile.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "detect/project_folder.h"

namespace fusion {
namespace {

Evidence manifest_line(const ProjectFolder& project, std::string_view needle) {
  return project.line("package.json", needle).value_or(project.file_evidence("package.json"));
}

Fact package_manager(const ProjectFolder& project) {
  // A workspace member shares the lockfile of its workspace root, up the tree.
  for (std::string folder = project.folder();; folder = std::string(parent_folder(folder))) {
    for (const auto& [lock, manager] : {std::pair{"pnpm-lock.yaml", "pnpm"},
                                        {"yarn.lock", "yarn"},
                                        {"package-lock.json", "npm"},
                                        {"bun.lockb", "bun"}}) {
      std::string path = join_path(folder, lock);
      if (project.snapshot().has(path)) return found(manager, Evidence{path, 0, ""});
    }
    if (folder.empty()) break;
  }
  if (auto field = project.line("package.json", "\"packageManager\"")) {
    for (std::string_view manager : {"pnpm", "yarn", "npm"}) {
      if (field->text.find(manager) != std::string::npos)
        return found(std::string(manager), *field);
    }
  }
  return unknown(
      "no lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml) and no packageManager");
}

std::string install_command(const std::string& manager) {
  if (manager == "pnpm") return "corepack enable && pnpm install --frozen-lockfile";
  if (manager == "yarn") return "corepack enable && yarn install --frozen-lockfile";
  if (manager == "npm") return "npm ci";
  return "npm install";
}

std::string run_script(const std::string& manager, std::string_view script) {
  return fmt::format("{} run {}", manager == "pnpm" || manager == "yarn" ? manager : "npm", script);
}

Fact default_port(const std::string& framework) {
  if (framework == "vite")
    return convention("8080", "the static file server fusion's Dockerfile runs");
  if (framework == "nextjs") return convention("3000", "next start's default port");
  if (!framework.empty()) return convention("3000", "the port " + framework + " examples use");
  return unknown("no listen() port in the sources");
}

Fact node_version(const ProjectFolder& project) {
  static const std::regex major(R"((\d{2}))");
  if (auto v = project.search({project.path(".nvmrc")}, major)) return *v;
  static const std::regex engines(R"re("node"\s*:\s*"[^0-9]*(\d{2}))re");
  if (auto v = project.search({project.path("package.json")}, engines)) return *v;
  return convention("22", "no Node version pinned (.nvmrc, engines.node); the current LTS");
}

}  // namespace

std::optional<Detection> detect_node(const ProjectFolder& project) {
  const std::string* text = project.text("package.json");
  if (!text) return std::nullopt;
  nlohmann::json manifest = nlohmann::json::parse(*text, nullptr, false);
  Detection d;
  if (manifest.is_discarded() || !manifest.is_object()) {
    d.notes.push_back(project.path("package.json") + " is not valid JSON");
    manifest = nlohmann::json::object();
  }
  d.type = "node";
  bool typescript = project.has("tsconfig.json");
  d.language = found(typescript ? "typescript" : "javascript",
                     project.file_evidence(typescript ? "tsconfig.json" : "package.json"));
  d.runtime_version = node_version(project);
  d.packages = project.packages("package.json");
  d.framework = framework_from(d.packages, {{"@nestjs/core", "nestjs"},
                                            {"next", "nextjs"},
                                            {"fastify", "fastify"},
                                            {"express", "express"},
                                            {"koa", "koa"},
                                            {"vite", "vite"}})
                    .value_or(unknown("none of @nestjs/core, next, fastify, express, koa or vite "
                                      "among the dependencies"));
  if (d.framework.value == "vite") {
    d.type = "node-static";
    d.served_folder = "dist";
    if (const Package* react = find_package(d.packages, "react")) {
      d.notes.push_back("a React app (" + react->evidence.where() + ") built by Vite into dist/");
    }
  }
  d.package_manager = package_manager(project);
  std::string manager = d.package_manager.known() ? d.package_manager.value : "npm";
  if (!d.package_manager.known()) d.notes.push_back("no lockfile: npm assumed; commit one");
  d.build_steps.push_back(
      convention(install_command(d.package_manager.value), "the lockfile's package manager"));
  const nlohmann::json& scripts = manifest.value("scripts", nlohmann::json::object());
  if (scripts.is_object() && scripts.contains("build")) {
    d.build_steps.push_back(
        found(run_script(manager, "build"), manifest_line(project, "\"build\"")));
  }
  static const std::vector<std::regex> ports = {
      std::regex(R"(listen\(\s*(\d{2,5}))"), std::regex(R"(PORT\s*(?:\|\||\?\?)\s*(\d{2,5}))"),
      std::regex(R"(port:\s*(\d{2,5}))"), std::regex(R"(-p\s+(\d{2,5}))")};
  std::vector<std::string> files = {project.path("package.json")};
  if (d.type == "node") {
    std::vector<std::string> sources = project.sources({".js", ".ts", ".mjs", ".cjs"});
    files.insert(files.end(), sources.begin(), sources.end());
    d.port = port_from(project, files, ports, default_port(d.framework.value));
  } else {
    d.port = default_port("vite");
  }
  if (d.type == "node-static") {
    d.start_command = convention("httpd -f -p 8080 -h /www", "serves dist/ as static files");
  } else if (scripts.is_object() && scripts.contains("start")) {
    d.start_command = found(run_script(manager, "start"), manifest_line(project, "\"start\""));
  } else if (manifest.contains("main") && manifest["main"].is_string()) {
    d.start_command =
        found("node " + manifest["main"].get<std::string>(), manifest_line(project, "\"main\""));
  } else {
    d.start_command = unknown("package.json has no scripts.start and no main");
  }
  return d;
}

}  // namespace fusion
