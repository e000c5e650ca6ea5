#include "detect/source_snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "util/file.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

constexpr uintmax_t kMaxFileBytes = 256 * 1024;

bool is_under(std::string_view path, std::string_view folder) {
  return folder.empty() ||
         (path.size() > folder.size() && path.starts_with(folder) && path[folder.size()] == '/');
}

bool skipped_folder(const std::string& name) {
  static const std::set<std::string, std::less<>> skipped = {
      "node_modules", "vendor",      "target",   "build", "dist",  ".git",     ".venv",
      "venv",         "__pycache__", "bin",      "obj",   ".next", ".idea",    ".tox",
      "out",          ".gradle",     "coverage", "tmp",   "log",   "generated"};
  return skipped.contains(name);
}

bool is_lockfile(const std::string& name) {
  static const std::set<std::string, std::less<>> locks = {
      "package-lock.json", "yarn.lock",  "pnpm-lock.yaml", "poetry.lock", "uv.lock", "Pipfile.lock",
      "Gemfile.lock",      "Cargo.lock", "go.sum",         "bun.lockb",   "bun.lock"};
  return locks.contains(name);
}

bool is_relevant(const std::string& name) {
  static const std::set<std::string, std::less<>> names = {"package.json",
                                                           "pyproject.toml",
                                                           "requirements.txt",
                                                           "Pipfile",
                                                           "setup.py",
                                                           "manage.py",
                                                           "go.mod",
                                                           "go.work",
                                                           "Cargo.toml",
                                                           "pom.xml",
                                                           "build.gradle",
                                                           "build.gradle.kts",
                                                           "settings.gradle",
                                                           "gradlew",
                                                           "Gemfile",
                                                           "config.ru",
                                                           "Dockerfile",
                                                           ".dockerignore",
                                                           "index.html",
                                                           "Procfile",
                                                           "mvnw",
                                                           "launchSettings.json",
                                                           "tsconfig.json",
                                                           ".nvmrc",
                                                           ".python-version",
                                                           ".ruby-version",
                                                           "global.json",
                                                           "pnpm-workspace.yaml",
                                                           ".yarnrc.yml",
                                                           "settings.gradle.kts",
                                                           ".env",
                                                           ".env.example",
                                                           ".env.sample",
                                                           "config.json",
                                                           "schema.prisma"};
  if (names.contains(name)) return true;
  static const std::vector<std::string_view> suffixes = {
      ".py", ".js",     ".mjs",        ".cjs", ".ts",   ".go",   ".rs",  ".java", ".kt", ".rb",
      ".cs", ".csproj", ".properties", ".yml", ".yaml", ".html", ".sln", ".toml", ".mts"};
  return std::any_of(suffixes.begin(), suffixes.end(),
                     [&](std::string_view s) { return name.ends_with(s); });
}

}  // namespace

std::string Evidence::where() const {
  if (file.empty()) return "";
  return line == 0 ? file : fmt::format("{}:{}", file, line);
}

const std::string* SourceSnapshot::file(std::string_view path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

std::vector<std::string> SourceSnapshot::folders() const {
  std::set<std::string> found;
  for (const auto& [path, content] : files_) found.emplace(parent_folder(path));
  return {found.begin(), found.end()};
}

std::vector<std::string> SourceSnapshot::files_in(std::string_view folder,
                                                  std::string_view suffix) const {
  std::vector<std::string> out;
  for (const auto& [path, content] : files_) {
    if (parent_folder(path) == folder && path.ends_with(suffix)) out.push_back(path);
  }
  return out;
}

std::vector<std::string> SourceSnapshot::files_under(std::string_view folder,
                                                     std::string_view suffix) const {
  std::vector<std::string> out;
  for (const auto& [path, content] : files_) {
    if (is_under(path, folder) && path.ends_with(suffix)) out.push_back(path);
  }
  return out;
}

std::optional<Evidence> SourceSnapshot::find_line(std::string_view path,
                                                  std::string_view needle) const {
  const std::string* text = file(path);
  if (!text) return std::nullopt;
  size_t at = text->find(needle);
  if (at == std::string::npos) return std::nullopt;
  return evidence_at(path, at);
}

Evidence SourceSnapshot::evidence_at(std::string_view path, size_t offset) const {
  const std::string& text = *file(path);
  size_t begin = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
  begin = begin == std::string::npos ? 0 : begin + 1;
  size_t end = text.find('\n', offset);
  if (end == std::string::npos) end = text.size();
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + begin, '\n'));
  std::string line_text = text.substr(begin, end - begin);
  while (!line_text.empty() && (line_text.back() == '\r' || line_text.back() == ' ')) {
    line_text.pop_back();
  }
  size_t indent = line_text.find_first_not_of(" \t");
  return Evidence{std::string(path), line,
                  indent == std::string::npos ? std::string() : line_text.substr(indent)};
}

Evidence SourceSnapshot::evidence_on_line(std::string_view path, size_t line) const {
  const std::string* text = file(path);
  if (!text || line == 0) return Evidence{std::string(path), 0, ""};
  size_t offset = 0;
  for (size_t n = 1; n < line; ++n) {
    offset = text->find('\n', offset);
    if (offset == std::string::npos) return Evidence{std::string(path), 0, ""};
    ++offset;
  }
  return evidence_at(path, offset);
}

std::optional<Evidence> SourceSnapshot::find_line_in(const std::vector<std::string>& paths,
                                                     std::string_view needle) const {
  for (const std::string& path : paths) {
    if (auto found = find_line(path, needle)) return found;
  }
  return std::nullopt;
}

std::string_view parent_folder(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::string join_path(std::string_view folder, std::string_view name) {
  return folder.empty() ? std::string(name) : fmt::format("{}/{}", folder, name);
}

Result<SourceSnapshot> load_snapshot(const fs::path& root, int max_depth) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return Error{root.string() + ": not a folder"};
  SourceSnapshot snapshot;
  auto it =
      fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::string name = entry.path().filename().string();
    if (entry.is_symlink(ec)) continue;
    if (entry.is_directory(ec)) {
      if (skipped_folder(name) || it.depth() + 1 > max_depth) it.disable_recursion_pending();
      continue;
    }
    if (!entry.is_regular_file(ec) || (!is_relevant(name) && !is_lockfile(name))) continue;
    std::string rel = fs::relative(entry.path(), root, ec).generic_string();
    if (is_lockfile(name) || entry.file_size(ec) > kMaxFileBytes) {
      snapshot.add(rel, "");
      continue;
    }
    auto text = read_file(entry.path());
    if (!text) return Error{text.error()};
    snapshot.add(rel, std::move(text).value());
  }
  if (ec) return Error{fmt::format("{}: {}", root.string(), ec.message())};
  return snapshot;
}

}  // namespace fusion
