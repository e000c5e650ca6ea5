// Python: pyproject.toml (PEP 621 or poetry), requirements.txt, Pipfile or setup.py; FastAPI,
// Flask or Django; pip, poetry, uv or pipenv by lockfile.

#include <fmt/format.h>

#include "detect/project_folder.h"

namespace fusion {
namespace {

std::vector<Package> python_packages(const ProjectFolder& project,
                                     std::vector<std::string>& notes) {
  std::vector<Package> all;
  for (std::string_view manifest : {"pyproject.toml", "requirements.txt", "Pipfile"}) {
    Manifest read = project.manifest(manifest);
    if (!read.error.empty()) notes.push_back(read.error);
    all.insert(all.end(), read.packages.begin(), read.packages.end());
  }
  return all;
}

Fact package_manager(const ProjectFolder& project) {
  // A uv workspace member shares the root's uv.lock, up the tree.
  for (std::string folder = project.folder();; folder = std::string(parent_folder(folder))) {
    std::string lock = join_path(folder, "uv.lock");
    if (project.snapshot().has(lock)) return found("uv", Evidence{lock, 0, ""});
    if (folder.empty()) break;
  }
  if (project.has("poetry.lock")) return found("poetry", project.file_evidence("poetry.lock"));
  if (auto poetry = project.line("pyproject.toml", "[tool.poetry]"))
    return found("poetry", *poetry);
  if (project.has("Pipfile")) return found("pipenv", project.file_evidence("Pipfile"));
  if (project.has("requirements.txt")) {
    return found("pip", project.file_evidence("requirements.txt"));
  }
  return found("pip",
               Evidence{project.path("pyproject.toml"), 0, "a PEP 621 project pip installs"});
}

/// The project's name in [project] (uv's --package for a workspace member).
std::string project_name(const ProjectFolder& project) {
  static const std::regex name(R"re((?:^|\n)\s*name\s*=\s*"([^"]+)")re");
  auto found_name = project.search({project.path("pyproject.toml")}, name);
  return found_name ? found_name->value : "";
}

std::vector<Fact> build_steps(const ProjectFolder& project, const Fact& manager) {
  const std::string& m = manager.value;
  if (m == "uv") {
    std::string lock_folder(parent_folder(manager.evidence.file));
    std::string member = lock_folder == project.folder() ? "" : project_name(project);
    return {convention("pip install uv==0.5.11 && uv sync --frozen --no-dev" +
                           (member.empty() ? "" : " --package " + member),
                       manager.evidence.file)};
  }
  if (m == "poetry") {
    return {
        convention("pip install poetry==1.8.5 && poetry config virtualenvs.create false && "
                   "poetry install --only main --no-root",
                   "poetry")};
  }
  if (m == "pipenv")
    return {convention("pip install pipenv && pipenv install --deploy --system", "Pipfile")};
  if (manager.evidence.file.ends_with("requirements.txt")) {
    return {convention("pip install --no-cache-dir -r requirements.txt", "requirements.txt")};
  }
  return {convention("pip install --no-cache-dir .", "pyproject.toml")};
}

/// "app/main.py" → "app.main".
std::string module_of(std::string path) {
  if (path.ends_with(".py")) path.resize(path.size() - 3);
  if (path.starts_with("src/")) path = path.substr(4);
  for (char& c : path) {
    if (c == '/') c = '.';
  }
  return path;
}

/// The module and variable of the application object: "app.main:app".
std::optional<std::pair<std::string, Evidence>> app_object(const ProjectFolder& project,
                                                           const std::string& constructor,
                                                           bool module_level = false) {
  const std::regex pattern(std::string(module_level ? "(?:^|\\n)" : "") + "(\\w+)\\s*=\\s*" +
                           constructor + "\\(");
  auto app = project.search(project.sources(".py"), pattern);
  if (!app) return std::nullopt;
  return std::pair{module_of(project.relative(app->evidence.file)) + ":" + app->value,
                   app->evidence};
}

/// A Flask application factory, `def create_app(`: "app:create_app()", which gunicorn and flask
/// both call.
std::optional<std::pair<std::string, Evidence>> app_factory(const ProjectFolder& project) {
  static const std::regex factory(R"((?:^|\n)def\s+(create_app|make_app)\s*\()");
  auto def = project.search(project.sources(".py"), factory);
  if (!def) return std::nullopt;
  std::string module = module_of(project.relative(def->evidence.file));
  if (module.ends_with(".__init__")) module.resize(module.size() - 9);
  return std::pair{module + ":" + def->value + "()", def->evidence};
}

Fact start_command(const ProjectFolder& project, const std::string& framework,
                   const std::vector<Package>& packages, uint16_t port) {
  bool gunicorn = find_package(packages, "gunicorn") != nullptr;
  if (framework == "fastapi") {
    if (auto app = app_object(project, "FastAPI")) {
      return found(fmt::format("uvicorn {} --host 0.0.0.0 --port {}", app->first, port),
                   app->second);
    }
  } else if (framework == "flask") {
    // A module-level `app = Flask(…)` is served as it is; one made inside create_app() is not
    // a module global: the factory is called instead.
    auto app = app_object(project, "Flask", true);
    if (!app) app = app_factory(project);
    if (!app) app = app_object(project, "Flask");
    if (app) {
      std::string target = app->first.ends_with(")") ? "'" + app->first + "'" : app->first;
      std::string command =
          gunicorn ? fmt::format("gunicorn --bind 0.0.0.0:{} {}", port, target)
                   : fmt::format("flask --app {} run --host 0.0.0.0 --port {}", target, port);
      return found(command, app->second);
    }
  } else if (framework == "django") {
    auto wsgi = project.search(project.sources("wsgi.py"), std::regex("(get_wsgi_application)"));
    if (gunicorn && wsgi) {
      std::string module = module_of(project.relative(wsgi->evidence.file));
      return found(fmt::format("gunicorn --bind 0.0.0.0:{} {}", port, module), wsgi->evidence);
    }
    if (project.has("manage.py")) {
      return found(fmt::format("python manage.py runserver 0.0.0.0:{}", port),
                   project.file_evidence("manage.py"));
    }
  }
  return unknown("no application object found in the Python sources");
}

Fact default_port(const std::string& framework) {
  if (framework == "flask") return convention("5000", "Flask's default port");
  if (framework == "fastapi") return convention("8000", "uvicorn's default port");
  if (framework == "django") return convention("8000", "Django's runserver default port");
  return unknown("no port in the sources and no framework default");
}

Fact python_version(const ProjectFolder& project, bool& minimum) {
  static const std::regex requires_python(R"re(requires-python\s*=\s*"[^0-9]*(3\.\d+))re");
  static const std::regex poetry_python(R"re(python\s*=\s*"[^0-9]*(3\.\d+))re");
  static const std::regex pinned(R"((3\.\d+))");
  for (const auto& [file, pattern] : {std::pair{".python-version", &pinned},
                                      {"pyproject.toml", &requires_python},
                                      {"pyproject.toml", &poetry_python}}) {
    if (auto v = project.search({project.path(file)}, *pattern)) {
      const std::string& line = v->evidence.text;
      minimum = file != std::string_view(".python-version") &&
                (line.find(">") != std::string::npos || line.find("^") != std::string::npos ||
                 line.find("~=") != std::string::npos);
      return *v;
    }
  }
  minimum = true;
  return convention("3.12", "no Python version pinned; fusion's default");
}

}  // namespace

std::optional<Detection> detect_python(const ProjectFolder& project) {
  std::string manifest;
  for (std::string_view name : {"pyproject.toml", "requirements.txt", "Pipfile", "setup.py"}) {
    if (project.has(name)) {
      manifest = std::string(name);
      break;
    }
  }
  if (manifest.empty()) return std::nullopt;
  Detection d;
  d.type = "python";
  d.language = found("python", project.file_evidence(manifest));
  d.runtime_version = python_version(project, d.runtime_minimum);
  std::vector<Package> packages = python_packages(project, d.notes);
  d.framework =
      framework_from(packages, {{"fastapi", "fastapi"}, {"django", "django"}, {"flask", "flask"}})
          .value_or(unknown("none of fastapi, django or flask among the dependencies"));
  d.package_manager = package_manager(project);
  d.build_steps = build_steps(project, d.package_manager);
  // Only where a server starts: `port=` in a client's settings (a search engine's 9200) is not
  // this service's port.
  static const std::vector<std::regex> ports = {
      std::regex(R"(--port[= ](\d{2,5}))"), std::regex(R"(runserver\s+[\d.]*:(\d{2,5}))"),
      std::regex(R"((?:\.run|run_simple|serve)\([^)\n]*\bport\s*=\s*(\d{2,5}))"),
      std::regex(R"re(PORT["']\s*,\s*["']?(\d{2,5}))re"),
      std::regex(R"((?:0\.0\.0\.0|\[::\]):(\d{2,5}))")};
  std::vector<std::string> files = project.sources(".py");
  if (project.has("Procfile")) files.insert(files.begin(), project.path("Procfile"));
  d.port = port_from(project, files, ports, default_port(d.framework.value));
  d.start_command = start_command(project, d.framework.value, packages, d.port_number());
  d.packages = std::move(packages);
  return d;
}

}  // namespace fusion
