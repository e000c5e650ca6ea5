#include "detect/packages.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>

#include "util/strings.h"

namespace fusion {
namespace {

struct Line {
  size_t number;
  std::string_view text;
};

std::vector<Line> lines_of(std::string_view text) {
  std::vector<Line> out;
  size_t number = 1;
  for (std::string_view line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back({number++, line});
  }
  return out;
}

std::string_view trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

/// The line (from 1) holding byte `offset` of `text`.
size_t line_at(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

std::string python_name(std::string_view raw) {
  std::string name = to_lower(raw);
  std::replace(name.begin(), name.end(), '_', '-');
  std::replace(name.begin(), name.end(), '.', '-');
  return name;
}

/// "fastapi[all]>=0.110; python_version>'3'" → "fastapi".
std::string requirement_name(std::string_view spec) {
  spec = trim(spec);
  size_t end = spec.find_first_of(" <>=~!;[@(\"',");
  return python_name(spec.substr(0, end));
}

/// Packages in file order, each with the evidence of the line that declares it.
class PackageList {
 public:
  PackageList(const SourceSnapshot& snapshot, const std::string& file)
      : snapshot_(snapshot), file_(file) {}

  void add(std::string name, size_t line, bool dev = false, bool indirect = false) {
    if (name.empty()) return;
    packages_.push_back({std::move(name), snapshot_.evidence_on_line(file_, line), dev, indirect});
  }
  void add_at(std::string name, size_t offset, bool dev = false) {
    if (name.empty()) return;
    packages_.push_back({std::move(name), snapshot_.evidence_at(file_, offset), dev, false});
  }
  Manifest take() {
    std::stable_sort(packages_.begin(), packages_.end(), [](const Package& a, const Package& b) {
      return a.evidence.line < b.evidence.line;
    });
    return {std::move(packages_), {}};
  }

 private:
  const SourceSnapshot& snapshot_;
  const std::string& file_;
  std::vector<Package> packages_;
};

Manifest requirements_txt(PackageList list, std::string_view text) {
  for (const Line& line : lines_of(text)) {
    std::string_view spec = trim(line.text);
    if (spec.empty() || spec[0] == '#' || spec[0] == '-') continue;
    list.add(requirement_name(spec), line.number);
  }
  return list.take();
}

// --- TOML: pyproject.toml, Pipfile, Cargo.toml -------------------------------------------------

/// Each key of `table` as a package (poetry's and Cargo's tables, Pipfile's sections).
void table_keys(PackageList& list, const toml::node_view<const toml::node>& node, bool dev,
                bool python) {
  const toml::table* table = node.as_table();
  if (!table) return;
  for (auto&& [key, value] : *table) {
    if (key.str() == "python") continue;  // poetry's interpreter constraint
    std::string name = python ? python_name(key.str()) : std::string(key.str());
    list.add(std::move(name), key.source().begin.line, dev);
  }
}

/// Each requirement string of `array` as a package (PEP 621 `dependencies`, PEP 735 groups).
void requirement_array(PackageList& list, const toml::node* node, bool dev) {
  const toml::array* array = node ? node->as_array() : nullptr;
  if (!array) return;
  for (const toml::node& item : *array) {
    if (auto spec = item.value<std::string>()) {
      list.add(requirement_name(*spec), item.source().begin.line, dev);
    }
  }
}

/// Every array of a table of arrays: optional-dependencies, dependency-groups.
void requirement_groups(PackageList& list, const toml::node* node, bool dev) {
  const toml::table* table = node ? node->as_table() : nullptr;
  if (!table) return;
  for (auto&& [group, arrays] : *table) requirement_array(list, &arrays, dev);
}

void pyproject(PackageList& list, const toml::table& toml) {
  requirement_array(list, toml.at_path("project.dependencies").node(), false);
  requirement_groups(list, toml.at_path("project.optional-dependencies").node(), true);
  requirement_groups(list, toml.at_path("dependency-groups").node(), true);
  requirement_array(list, toml.at_path("tool.uv.dev-dependencies").node(), true);
  table_keys(list, toml.at_path("tool.poetry.dependencies"), false, true);
  table_keys(list, toml.at_path("tool.poetry.dev-dependencies"), true, true);
  if (const toml::table* groups = toml.at_path("tool.poetry.group").as_table()) {
    for (auto&& [group, body] : *groups) {
      if (const toml::table* t = body.as_table())
        table_keys(list, toml::node_view<const toml::node>(t->get("dependencies")), true, true);
    }
  }
}

/// Cargo: [dependencies], [dev-dependencies], [build-dependencies], also under [workspace] and
/// [target.'cfg(…)'].
void cargo(PackageList& list, const toml::table& table, int depth = 0) {
  for (auto&& [key, value] : table) {
    const toml::table* t = value.as_table();
    if (!t) continue;
    std::string_view k = key.str();
    if (k == "dependencies" || k == "build-dependencies") {
      table_keys(list, toml::node_view<const toml::node>(value), false, false);
    } else if (k == "dev-dependencies") {
      table_keys(list, toml::node_view<const toml::node>(value), true, false);
    } else if (depth < 2 && (k == "workspace" || k == "target" || depth == 1)) {
      cargo(list, *t, depth + 1);
    }
  }
}

Manifest toml_manifest(PackageList list, const std::string& file, std::string_view text) {
  toml::table toml;
  try {
    toml = toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    return {{},
            fmt::format("{}:{}:{}: not valid TOML: {}", file, e.source().begin.line,
                        e.source().begin.column, e.description())};
  }
  if (file.ends_with("Cargo.toml")) {
    cargo(list, toml);
  } else if (file.ends_with("Pipfile")) {
    table_keys(list, toml::node_view<const toml::node>(toml.get("packages")), false, true);
    table_keys(list, toml::node_view<const toml::node>(toml.get("dev-packages")), true, true);
  } else {
    pyproject(list, toml);
  }
  return list.take();
}

// --- JSON: package.json ------------------------------------------------------------------------

/// The offset of `"name"` after the section's key: JSON parsers keep no positions, so the line
/// is found in the text (the section first, so a script that mentions the name is not taken).
size_t json_key_offset(const std::string& text, std::string_view section, std::string_view name) {
  size_t from = text.find(fmt::format("\"{}\"", section));
  if (from == std::string::npos) from = 0;
  size_t at = text.find(fmt::format("\"{}\"", name), from);
  return at == std::string::npos ? from : at;
}

Manifest package_json(PackageList list, const std::string& file, const std::string& text) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    size_t line = line_at(text, e.byte > 0 ? e.byte - 1 : 0);
    return {{}, fmt::format("{}:{}: not valid JSON: {}", file, line, e.what())};
  }
  if (!json.is_object()) return {{}, file + ": not a JSON object"};
  for (std::string_view section :
       {"dependencies", "devDependencies", "optionalDependencies", "peerDependencies"}) {
    auto it = json.find(section);
    if (it == json.end() || !it->is_object()) continue;
    for (const auto& [name, version] : it->items()) {
      list.add_at(name, json_key_offset(text, section, name), section == "devDependencies");
    }
  }
  return list.take();
}

// --- XML: pom.xml, *.csproj --------------------------------------------------------------------

Manifest xml_manifest(PackageList list, const std::string& file, const std::string& text) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
  if (!parsed) {
    size_t line = line_at(text, static_cast<size_t>(std::max<ptrdiff_t>(0, parsed.offset)));
    return {{}, fmt::format("{}:{}: not valid XML: {}", file, line, parsed.description())};
  }
  auto add = [&](const pugi::xml_node& name_node, bool dev) {
    std::string name(trim(name_node.text().get()));
    list.add_at(name, static_cast<size_t>(std::max<ptrdiff_t>(0, name_node.offset_debug())), dev);
  };
  if (file.ends_with(".csproj")) {
    for (pugi::xpath_node ref : doc.select_nodes("//PackageReference[@Include]")) {
      pugi::xml_node node = ref.node();
      list.add_at(node.attribute("Include").value(),
                  static_cast<size_t>(std::max<ptrdiff_t>(0, node.offset_debug())));
    }
    return list.take();
  }
  pugi::xml_node project = doc.child("project");
  add(project.child("parent").child("artifactId"), false);
  for (pugi::xml_node dep : project.child("dependencies").children("dependency")) {
    add(dep.child("artifactId"), std::string_view(dep.child_value("scope")) == "test");
  }
  for (pugi::xml_node plugin : project.child("build").child("plugins").children("plugin")) {
    add(plugin.child("artifactId"), false);
  }
  return list.take();
}

// --- line formats: go.mod, Gemfile, Gradle -----------------------------------------------------

Manifest go_mod(PackageList list, std::string_view text) {
  bool in_block = false;
  for (const Line& line : lines_of(text)) {
    std::string_view t = trim(line.text);
    if (t.starts_with("require (") || t == "require(") {
      in_block = true;
      continue;
    }
    if (in_block && t.starts_with(")")) in_block = false;
    if (t.starts_with("require "))
      t = trim(t.substr(8));
    else if (!in_block)
      continue;
    if (t.empty() || t.starts_with("//")) continue;
    bool indirect = t.find("// indirect") != std::string_view::npos;
    list.add(std::string(t.substr(0, t.find_first_of(" \t"))), line.number, false, indirect);
  }
  return list.take();
}

/// Every match of `pattern`'s first group, one package per line at most.
Manifest by_pattern(PackageList list, std::string_view text, const std::regex& pattern) {
  for (const Line& line : lines_of(text)) {
    std::string s(line.text);
    std::smatch m;
    if (std::regex_search(s, m, pattern)) list.add(m[1].str(), line.number);
  }
  return list.take();
}

}  // namespace

Manifest read_manifest(const SourceSnapshot& snapshot, const std::string& manifest) {
  const std::string* text = snapshot.file(manifest);
  if (!text) return {};
  std::string name = manifest.substr(manifest.rfind('/') + 1);
  PackageList list(snapshot, manifest);
  static const std::regex gradle(R"re(["']([A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+)(:[^"']*)?["'])re");
  static const std::regex gem(R"re(^\s*gem\s+["']([^"']+)["'])re");
  if (name == "requirements.txt") return requirements_txt(list, *text);
  if (name == "pyproject.toml" || name == "Pipfile" || name == "Cargo.toml")
    return toml_manifest(list, manifest, *text);
  if (name == "package.json") return package_json(list, manifest, *text);
  if (name == "go.mod") return go_mod(list, *text);
  if (name == "pom.xml" || name.ends_with(".csproj")) return xml_manifest(list, manifest, *text);
  if (name == "Gemfile") return by_pattern(list, *text, gem);
  if (name.starts_with("build.gradle")) {
    Manifest read = by_pattern(list, *text, gradle);
    for (Package& p : read.packages) p.name = p.name.substr(p.name.find(':') + 1);  // the artifact
    return read;
  }
  return {};
}

std::vector<Package> read_packages(const SourceSnapshot& snapshot, const std::string& manifest) {
  return read_manifest(snapshot, manifest).packages;
}

const Package* find_package(const std::vector<Package>& packages, std::string_view name) {
  auto it = std::find_if(packages.begin(), packages.end(),
                         [&](const Package& p) { return p.name == name; });
  return it == packages.end() ? nullptr : &*it;
}

}  // namespace fusion
