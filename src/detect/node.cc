// Node: package.json; NestJS, Next.js, Fastify, Express, Koa, or a Vite (or Create React App)
// build served as static files; npm, yarn, pnpm or bun by lockfile, each with its own install
// and prune; workspace members built from their root.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "detect/project_folder.h"

namespace fusion {
namespace {

Evidence manifest_line(const ProjectFolder& project, std::string_view needle) {
  return project.line("package.json", needle).value_or(project.file_evidence("package.json"));
}

Fact package_manager(const ProjectFolder& project, const nlohmann::json& manifest) {
  // A workspace member shares the lockfile of its workspace root, up the tree.
  for (std::string folder = project.folder();; folder = std::string(parent_folder(folder))) {
    for (const auto& [lock, manager] : {std::pair{"pnpm-lock.yaml", "pnpm"},
                                        {"yarn.lock", "yarn"},
                                        {"bun.lock", "bun"},
                                        {"bun.lockb", "bun"},
                                        {"package-lock.json", "npm"}}) {
      std::string path = join_path(folder, lock);
      if (project.snapshot().has(path)) return found(manager, Evidence{path, 0, ""});
    }
    if (folder.empty()) break;
  }
  std::string declared = manifest.value("packageManager", std::string());
  for (std::string_view manager : {"pnpm", "yarn", "bun", "npm"}) {
    if (declared.starts_with(manager))
      return found(std::string(manager), manifest_line(project, "\"packageManager\""));
  }
  return unknown(
      "no lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock) and no "
      "packageManager");
}

/// Yarn 2+ ("berry"): a .yarnrc.yml at the lockfile's folder, or packageManager yarn@2….
bool yarn_berry(const ProjectFolder& project, const Fact& manager, const nlohmann::json& manifest) {
  std::string lock_folder(parent_folder(manager.evidence.file));
  if (project.snapshot().has(join_path(lock_folder, ".yarnrc.yml"))) return true;
  std::string declared = manifest.value("packageManager", std::string());
  return declared.starts_with("yarn@") && declared.size() > 5 && declared[5] >= '2' &&
         declared[5] <= '9';
}

struct Commands {
  std::string install, prune;
};

/// Each package manager's own frozen install and production prune, run at the lockfile's root.
Commands manager_commands(const std::string& manager, bool berry, bool locked) {
  if (manager == "pnpm") {
    return {"corepack enable && pnpm install --frozen-lockfile",
            "pnpm prune --prod --ignore-scripts"};
  }
  if (manager == "yarn" && berry) return {"corepack enable && yarn install --immutable", ""};
  if (manager == "yarn") {
    return {"yarn install --frozen-lockfile",
            "yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline"};
  }
  if (manager == "bun") {
    return {"npm install -g bun@1.2.23 && bun install --frozen-lockfile",
            "rm -rf node_modules && bun install --frozen-lockfile --production"};
  }
  return {locked ? "npm ci" : "npm install", "npm prune --omit=dev"};
}

std::string run_script(const std::string& manager, std::string_view script) {
  std::string_view runner = manager == "pnpm" || manager == "yarn" || manager == "bun"
                                ? std::string_view(manager)
                                : std::string_view("npm");
  return fmt::format("{} run {}", runner, script);
}

Fact default_port(const std::string& framework) {
  if (framework == "vite" || framework == "create-react-app")
    return convention("8080", "the static file server fusion's Dockerfile runs");
  if (framework == "nextjs") return convention("3000", "next start's default port");
  if (!framework.empty()) return convention("3000", "the port " + framework + " examples use");
  return unknown("no listen() port in the sources");
}

Fact node_version(const ProjectFolder& project, bool& minimum) {
  static const std::regex major(R"((\d{2}))");
  if (auto v = project.search({project.path(".nvmrc")}, major)) return *v;
  static const std::regex engines(R"re("node"\s*:\s*"([^0-9"]*)(\d{2}))re");
  if (auto v = project.search({project.path("package.json")}, engines)) {
    minimum = v->evidence.text.find('>') != std::string::npos ||
              v->evidence.text.find('^') != std::string::npos;
    static const std::regex digits(R"re("node"\s*:\s*"[^0-9"]*(\d{2}))re");
    return *project.search({project.path("package.json")}, digits);
  }
  minimum = true;
  return convention("22", "no Node version pinned (.nvmrc, engines.node); the current LTS");
}

/// Where a static build writes: Vite's configured outDir, else the tool's default.
std::string output_folder(const ProjectFolder& project, const std::string& framework,
                          std::vector<std::string>& notes) {
  if (framework == "create-react-app") return "build";
  std::vector<std::string> configs;
  for (std::string_view name : {"vite.config.ts", "vite.config.js", "vite.config.mjs",
                                "vite.config.mts", "vite.config.cjs"}) {
    if (project.has(name)) configs.push_back(project.path(name));
  }
  static const std::regex out_dir(R"re(outDir\s*:\s*["'`]([^"'`]+)["'`])re");
  if (auto dir = project.search(configs, out_dir)) {
    std::string folder = dir->value;
    if (folder.starts_with("./")) folder = folder.substr(2);
    while (folder.ends_with("/")) folder.pop_back();
    notes.push_back("Vite writes to " + folder + "/ (" + dir->evidence.where() + ")");
    return folder.empty() ? "dist" : folder;
  }
  return "dist";
}

/// The start command: a `node …` script runs node directly; a script that runs a development
/// tool (nodemon, ts-node, …, which the image prunes) gives way to start:prod or main.
Fact start_command(const ProjectFolder& project, const nlohmann::json& manifest,
                   const std::vector<Package>& packages, const std::string& manager,
                   std::vector<std::string>& notes) {
  const nlohmann::json scripts = manifest.value("scripts", nlohmann::json::object());
  auto script = [&](const char* name) -> std::string {
    return scripts.is_object() && scripts.contains(name) && scripts[name].is_string()
               ? scripts[name].get<std::string>()
               : "";
  };
  auto dev_tool = [&](const std::string& command) -> const Package* {
    std::string tool = command.substr(0, command.find(' '));
    const Package* p = find_package(packages, tool);
    if (!p && tool == "next") return nullptr;
    return p && p->dev ? p : nullptr;
  };
  auto as_fact = [&](const char* name) {
    std::string command = script(name);
    std::string quoted = fmt::format("\"{}\"", name);
    if (command.starts_with("node ") && command.find_first_of("&|;$") == std::string::npos)
      return found(command, manifest_line(project, quoted));
    return found(run_script(manager, name), manifest_line(project, quoted));
  };
  std::string start = script("start");
  if (!start.empty()) {
    const Package* tool = dev_tool(start);
    if (!tool) return as_fact("start");
    notes.push_back(
        fmt::format("scripts.start runs {}, a devDependency ({}): not used in the image",
                    tool->name, tool->evidence.where()));
  }
  for (const char* name : {"start:prod", "start:production", "serve"}) {
    if (!script(name).empty() && !dev_tool(script(name))) return as_fact(name);
  }
  if (manifest.contains("main") && manifest["main"].is_string()) {
    return found("node " + manifest["main"].get<std::string>(), manifest_line(project, "\"main\""));
  }
  return unknown(start.empty() ? "package.json has no scripts.start and no main"
                               : "scripts.start runs a development tool and there is no "
                                 "start:prod and no main");
}

/// The database behind Prisma: the datasource provider in schema.prisma.
void prisma_needs(const ProjectFolder& project, Detection& d) {
  if (!find_package(d.packages, "@prisma/client") && !find_package(d.packages, "prisma")) return;
  static const std::regex provider(
      R"re(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"(postgresql|postgres|mysql|mongodb|cockroachdb)")re");
  auto db = project.search(project.sources("schema.prisma"), provider);
  if (!db) return;
  std::string service = db->value == "mongodb" ? "mongo"
                        : db->value == "mysql" ? "mysql"
                                               : "postgres";
  d.needs.push_back(
      {service, project.snapshot().evidence_at(
                    db->evidence.file,
                    project.snapshot().file(db->evidence.file)->find("\"" + db->value + "\""))});
}

}  // namespace

std::optional<Detection> detect_node(const ProjectFolder& project) {
  const std::string* text = project.text("package.json");
  if (!text) return std::nullopt;
  nlohmann::json manifest = nlohmann::json::parse(*text, nullptr, false);
  Detection d;
  Manifest read = project.manifest("package.json");
  if (!read.error.empty()) d.notes.push_back(read.error);
  if (manifest.is_discarded() || !manifest.is_object()) manifest = nlohmann::json::object();
  d.type = "node";
  bool typescript = project.has("tsconfig.json");
  d.language = found(typescript ? "typescript" : "javascript",
                     project.file_evidence(typescript ? "tsconfig.json" : "package.json"));
  d.runtime_version = node_version(project, d.runtime_minimum);
  d.packages = std::move(read.packages);
  d.framework = framework_from(d.packages, {{"@nestjs/core", "nestjs"},
                                            {"next", "nextjs"},
                                            {"fastify", "fastify"},
                                            {"express", "express"},
                                            {"koa", "koa"},
                                            {"vite", "vite"},
                                            {"react-scripts", "create-react-app"}})
                    .value_or(unknown("none of @nestjs/core, next, fastify, express, koa, vite or "
                                      "react-scripts among the dependencies"));
  bool static_build = d.framework.value == "vite" || d.framework.value == "create-react-app";
  if (static_build && !project.has("index.html") && !project.has("public/index.html")) {
    d.notes.push_back("a " + d.framework.value + " dependency but no index.html: a library build");
    d.framework = unknown(d.framework.value + " builds a library here (no index.html)");
    static_build = false;
  }
  if (static_build) {
    d.type = "node-static";
    d.served_folder = output_folder(project, d.framework.value, d.notes);
    if (const Package* react = find_package(d.packages, "react")) {
      d.notes.push_back("a React app (" + react->evidence.where() + ") built into " +
                        d.served_folder + "/");
    }
  }
  d.package_manager = package_manager(project, manifest);
  std::string manager = d.package_manager.known() ? d.package_manager.value : "npm";
  if (!d.package_manager.known()) d.notes.push_back("no lockfile: npm assumed; commit one");
  Commands commands = manager_commands(manager, yarn_berry(project, d.package_manager, manifest),
                                       d.package_manager.known());
  d.build_steps.push_back(convention(commands.install, d.package_manager.known()
                                                           ? d.package_manager.evidence.where()
                                                           : "no lockfile"));
  const nlohmann::json scripts = manifest.value("scripts", nlohmann::json::object());
  if (scripts.is_object() && scripts.contains("build")) {
    d.build_steps.push_back(
        found(run_script(manager, "build"), manifest_line(project, "\"build\"")));
  }
  if (d.type == "node" && !commands.prune.empty()) {
    d.prune = convention(commands.prune, manager + "'s production install");
  }
  static const std::vector<std::regex> ports = {
      std::regex(R"(listen\(\s*(\d{2,5}))"), std::regex(R"(PORT\s*(?:\|\||\?\?)\s*(\d{2,5}))"),
      std::regex(R"(port:\s*(\d{2,5}))"), std::regex(R"(-p\s+(\d{2,5}))")};
  std::vector<std::string> files = {project.path("package.json")};
  if (d.type == "node") {
    std::vector<std::string> sources = project.sources({".js", ".ts", ".mjs", ".cjs"});
    files.insert(files.end(), sources.begin(), sources.end());
    d.port = port_from(project, files, ports, default_port(d.framework.value));
    d.start_command = start_command(project, manifest, d.packages, manager, d.notes);
  } else {
    d.port = default_port("vite");
    d.start_command =
        convention("httpd -f -p 8080 -h /www", "serves " + d.served_folder + "/ as static files");
  }
  prisma_needs(project, d);
  return d;
}

}  // namespace fusion
