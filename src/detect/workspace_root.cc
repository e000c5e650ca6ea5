#include "detect/workspace_root.h"

#include <fnmatch.h>
#include <toml++/toml.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>

#include "registry/yaml_tree.h"
#include "util/strings.h"

namespace fusion {
namespace {

std::string_view clean(std::string_view pattern) {
  if (pattern.starts_with("./")) pattern.remove_prefix(2);
  while (pattern.ends_with("/")) pattern.remove_suffix(1);
  return pattern;
}

bool segments_match(const std::vector<std::string_view>& pattern, size_t p,
                    const std::vector<std::string_view>& path, size_t s) {
  if (p == pattern.size()) return s == path.size();
  if (pattern[p] == "**") {
    for (size_t skip = s; skip <= path.size(); ++skip) {
      if (segments_match(pattern, p + 1, path, skip)) return true;
    }
    return false;
  }
  if (s == path.size()) return false;
  std::string glob(pattern[p]), name(path[s]);
  return fnmatch(glob.c_str(), name.c_str(), 0) == 0 && segments_match(pattern, p + 1, path, s + 1);
}

/// The node workspace's package manager: by the root's lockfile, then its packageManager.
std::string node_kind(const SourceSnapshot& snapshot, const std::string& folder,
                      const nlohmann::json& manifest) {
  for (const auto& [lock, kind] : {std::pair{"pnpm-lock.yaml", "pnpm"},
                                   {"yarn.lock", "yarn"},
                                   {"bun.lock", "bun"},
                                   {"bun.lockb", "bun"},
                                   {"package-lock.json", "npm"}}) {
    if (snapshot.has(join_path(folder, lock))) return kind;
  }
  std::string declared = manifest.value("packageManager", std::string());
  for (std::string_view kind : {"pnpm", "yarn", "bun"}) {
    if (declared.starts_with(kind)) return std::string(kind);
  }
  return "npm";
}

std::optional<WorkspaceRoot> node_workspace(const SourceSnapshot& snapshot,
                                            const std::string& folder) {
  std::string pnpm_file = join_path(folder, "pnpm-workspace.yaml");
  if (const std::string* text = snapshot.file(pnpm_file)) {
    auto parsed = YamlDocument::parse(*text);
    if (const YamlDocument* doc = std::get_if<YamlDocument>(&parsed); doc && doc->root().IsMap()) {
      for (const YamlNode::Entry& e : doc->root().entries()) {
        if (e.key->Scalar() != "packages" || !e.value->IsSequence()) continue;
        WorkspaceRoot root{folder, "pnpm", snapshot.evidence_on_line(pnpm_file, e.key->line()), {}};
        for (const YamlNode* item : e.value->items()) {
          if (item->IsScalar()) root.members.push_back(item->Scalar());
        }
        return root;
      }
    }
  }
  std::string manifest_file = join_path(folder, "package.json");
  const std::string* text = snapshot.file(manifest_file);
  if (!text) return std::nullopt;
  nlohmann::json manifest = nlohmann::json::parse(*text, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object() || !manifest.contains("workspaces")) {
    return std::nullopt;
  }
  nlohmann::json patterns = manifest["workspaces"];
  if (patterns.is_object()) patterns = patterns.value("packages", nlohmann::json::array());
  if (!patterns.is_array()) return std::nullopt;
  WorkspaceRoot root{
      folder,
      node_kind(snapshot, folder, manifest),
      snapshot.find_line(manifest_file, "\"workspaces\"").value_or(Evidence{manifest_file, 0, ""}),
      {}};
  for (const auto& p : patterns) {
    if (p.is_string()) root.members.push_back(p.get<std::string>());
  }
  return root;
}

/// A TOML array of member patterns at `path` (uv's and Cargo's workspaces).
std::optional<WorkspaceRoot> toml_workspace(const SourceSnapshot& snapshot,
                                            const std::string& folder, const char* file,
                                            const char* path, const char* kind) {
  std::string manifest = join_path(folder, file);
  const std::string* text = snapshot.file(manifest);
  if (!text) return std::nullopt;
  try {
    toml::table table = toml::parse(*text, std::string_view(manifest));
    const toml::array* members = table.at_path(path).as_array();
    if (!members) return std::nullopt;
    WorkspaceRoot root{
        folder, kind, snapshot.evidence_on_line(manifest, members->source().begin.line), {}};
    for (const toml::node& m : *members) {
      if (auto s = m.value<std::string>()) root.members.push_back(*s);
    }
    return root;
  } catch (const toml::parse_error&) {
    return std::nullopt;  // the detector reports the syntax error
  }
}

std::optional<WorkspaceRoot> go_workspace(const SourceSnapshot& snapshot,
                                          const std::string& folder) {
  std::string file = join_path(folder, "go.work");
  const std::string* text = snapshot.file(file);
  if (!text) return std::nullopt;
  WorkspaceRoot root{folder, "go", Evidence{file, 0, ""}, {}};
  static const std::regex use(R"((?:^|\n)\s*use\s*(?:\(([^)]*)\)|(\S+)))");
  for (std::sregex_iterator m(text->begin(), text->end(), use), end; m != end; ++m) {
    if (root.evidence.line == 0) {
      root.evidence = snapshot.evidence_at(
          file, static_cast<size_t>(m->position(0)) + ((*m)[0].str().front() == '\n' ? 1 : 0));
    }
    std::string list = (*m)[1].matched ? (*m)[1].str() : (*m)[2].str();
    for (std::string_view line : split(list, '\n')) {
      std::string_view t = line.substr(0, line.find("//"));
      size_t b = t.find_first_not_of(" \t\r"), e = t.find_last_not_of(" \t\r");
      if (b != std::string_view::npos) root.members.emplace_back(t.substr(b, e - b + 1));
    }
  }
  return root.members.empty() ? std::nullopt : std::optional(root);
}

std::optional<WorkspaceRoot> maven_workspace(const SourceSnapshot& snapshot,
                                             const std::string& folder) {
  std::string file = join_path(folder, "pom.xml");
  const std::string* text = snapshot.file(file);
  if (!text) return std::nullopt;
  pugi::xml_document doc;
  if (!doc.load_buffer(text->data(), text->size())) return std::nullopt;
  pugi::xml_node modules = doc.child("project").child("modules");
  if (!modules) return std::nullopt;
  WorkspaceRoot root{folder,
                     "maven",
                     snapshot.evidence_at(
                         file, static_cast<size_t>(std::max<ptrdiff_t>(0, modules.offset_debug()))),
                     {}};
  for (pugi::xml_node m : modules.children("module")) root.members.emplace_back(m.text().get());
  return root;
}

std::optional<WorkspaceRoot> gradle_workspace(const SourceSnapshot& snapshot,
                                              const std::string& folder) {
  for (const char* name : {"settings.gradle.kts", "settings.gradle"}) {
    std::string file = join_path(folder, name);
    const std::string* text = snapshot.file(file);
    if (!text) continue;
    WorkspaceRoot root{folder, "gradle", Evidence{file, 0, ""}, {}};
    static const std::regex include(R"((?:^|\n)\s*include\b([^\n]*))");
    static const std::regex project(R"re(["']:?([^"']+)["'])re");
    for (std::sregex_iterator m(text->begin(), text->end(), include), end; m != end; ++m) {
      if (root.evidence.line == 0)
        root.evidence = snapshot.evidence_at(file, static_cast<size_t>(m->position(1)));
      std::string list = (*m)[1].str();
      for (std::sregex_iterator p(list.begin(), list.end(), project); p != end; ++p) {
        std::string path = (*p)[1].str();
        std::replace(path.begin(), path.end(), ':', '/');
        root.members.push_back(path);
      }
    }
    if (!root.members.empty()) return root;
  }
  return std::nullopt;
}

}  // namespace

bool member_pattern_matches(std::string_view pattern, std::string_view path) {
  pattern = clean(pattern);
  path = clean(path);
  if (pattern.empty() || pattern.starts_with("!")) return false;
  return segments_match(split(pattern, '/'), 0, split(path, '/'), 0);
}

std::optional<WorkspaceRoot> workspace_at(const SourceSnapshot& snapshot,
                                          const std::string& folder) {
  if (auto root = node_workspace(snapshot, folder)) return root;
  if (auto root =
          toml_workspace(snapshot, folder, "pyproject.toml", "tool.uv.workspace.members", "uv")) {
    return root;
  }
  if (auto root = toml_workspace(snapshot, folder, "Cargo.toml", "workspace.members", "cargo"))
    return root;
  if (auto root = go_workspace(snapshot, folder)) return root;
  if (auto root = maven_workspace(snapshot, folder)) return root;
  return gradle_workspace(snapshot, folder);
}

std::optional<WorkspaceMembership> membership_of(const SourceSnapshot& snapshot,
                                                 const std::string& folder) {
  for (std::string above(parent_folder(folder)); !folder.empty();
       above = std::string(parent_folder(above))) {
    if (auto root = workspace_at(snapshot, above)) {
      std::string member = above.empty() ? folder : folder.substr(above.size() + 1);
      for (const std::string& pattern : root->members) {
        if (member_pattern_matches(pattern, member)) {
          return WorkspaceMembership{root->folder, root->kind, root->evidence, member};
        }
      }
    }
    if (above.empty()) break;
  }
  return std::nullopt;
}

}  // namespace fusion
