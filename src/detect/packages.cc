#include "detect/packages.h"

#include <algorithm>
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

std::string python_name(std::string_view raw) {
  std::string name = to_lower(raw);
  std::replace(name.begin(), name.end(), '_', '-');
  std::replace(name.begin(), name.end(), '.', '-');
  return name;
}

/// "fastapi[all]>=0.110; python_version>'3'" → "fastapi".
std::string requirement_name(std::string_view spec) {
  size_t end = spec.find_first_of(" <>=~!;[@(\"',");
  return python_name(spec.substr(0, end));
}

class PackageList {
 public:
  PackageList(const std::string& file) : file_(file) {}
  void add(std::string name, const Line& line) {
    if (name.empty()) return;
    packages_.push_back(
        {std::move(name), Evidence{file_, line.number, std::string(trim(line.text))}});
  }
  std::vector<Package> take() { return std::move(packages_); }

 private:
  const std::string& file_;
  std::vector<Package> packages_;
};

std::vector<Package> requirements_txt(const std::string& file, std::string_view text) {
  PackageList list(file);
  for (const Line& line : lines_of(text)) {
    std::string_view spec = trim(line.text);
    if (spec.empty() || spec[0] == '#' || spec[0] == '-') continue;
    list.add(requirement_name(spec), line);
  }
  return list.take();
}

/// TOML, read only as far as dependency tables and arrays need: `[section]` headers,
/// `name = …` keys in dependency tables, and quoted requirement strings in `dependencies = [`.
std::vector<Package> toml_dependencies(const std::string& file, std::string_view text,
                                       bool python) {
  PackageList list(file);
  std::string section;
  bool in_array = false;
  static const std::regex key(R"(^([A-Za-z0-9_.\-]+)\s*=)");
  static const std::regex quoted(R"re("([^"]+)")re");
  for (const Line& line : lines_of(text)) {
    std::string_view t = trim(line.text);
    if (t.empty() || t[0] == '#') continue;
    if (t[0] == '[' && !in_array) {
      section = std::string(t.substr(1, t.find(']') - 1));
      continue;
    }
    std::string s(t);
    bool opens = section == "project" && s.starts_with("dependencies");
    if (in_array || opens) {
      for (std::sregex_iterator m(s.begin(), s.end(), quoted), end; m != end; ++m) {
        list.add(requirement_name((*m)[1].str()), line);
      }
      in_array = std::regex_replace(s, quoted, "").find(']') == std::string::npos;
      continue;
    }
    bool dependency_table =
        section.ends_with("dependencies") || section == "packages" || section == "dev-packages";
    std::smatch m;
    if (dependency_table && std::regex_search(s, m, key)) {
      std::string name = m[1].str();
      if (name == "python") continue;
      list.add(python ? python_name(name) : name, line);
    }
  }
  return list.take();
}

std::vector<Package> package_json(const std::string& file, std::string_view text) {
  PackageList list(file);
  bool in_dependencies = false;
  static const std::regex entry(R"re(^\s*"([^"]+)"\s*:)re");
  for (const Line& line : lines_of(text)) {
    std::string s(line.text);
    if (s.find("\"dependencies\"") != std::string::npos ||
        s.find("\"devDependencies\"") != std::string::npos) {
      in_dependencies = s.find('}') == std::string::npos;
      continue;
    }
    if (!in_dependencies) continue;
    std::smatch m;
    if (std::regex_search(s, m, entry)) list.add(m[1].str(), line);
    if (s.find('}') != std::string::npos) in_dependencies = false;
  }
  return list.take();
}

std::vector<Package> go_mod(const std::string& file, std::string_view text) {
  PackageList list(file);
  bool in_block = false;
  for (const Line& line : lines_of(text)) {
    std::string_view t = trim(line.text);
    if (t.starts_with("require (")) {
      in_block = true;
      continue;
    }
    if (in_block && t.starts_with(")")) in_block = false;
    if (t.starts_with("require "))
      t = trim(t.substr(8));
    else if (!in_block)
      continue;
    if (t.empty() || t.starts_with("//")) continue;
    list.add(std::string(t.substr(0, t.find(' '))), line);
  }
  return list.take();
}

/// Every match of `pattern`'s first group, one package per line at most.
std::vector<Package> by_pattern(const std::string& file, std::string_view text,
                                const std::regex& pattern) {
  PackageList list(file);
  for (const Line& line : lines_of(text)) {
    std::string s(line.text);
    std::smatch m;
    if (std::regex_search(s, m, pattern)) list.add(m[1].str(), line);
  }
  return list.take();
}

}  // namespace

std::vector<Package> read_packages(const SourceSnapshot& snapshot, const std::string& manifest) {
  const std::string* text = snapshot.file(manifest);
  if (!text) return {};
  std::string name = manifest.substr(manifest.rfind('/') + 1);
  static const std::regex pom(R"(<artifactId>\s*([^<\s]+)\s*</artifactId>)");
  static const std::regex gradle(R"re(["']([A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-]+)(:[^"']*)?["'])re");
  static const std::regex gem(R"re(^\s*gem\s+["']([^"']+)["'])re");
  static const std::regex nuget(R"re(<PackageReference\s+Include="([^"]+)")re");
  if (name == "requirements.txt") return requirements_txt(manifest, *text);
  if (name == "pyproject.toml" || name == "Pipfile")
    return toml_dependencies(manifest, *text, true);
  if (name == "Cargo.toml") return toml_dependencies(manifest, *text, false);
  if (name == "package.json") return package_json(manifest, *text);
  if (name == "go.mod") return go_mod(manifest, *text);
  if (name == "pom.xml") return by_pattern(manifest, *text, pom);
  if (name == "Gemfile") return by_pattern(manifest, *text, gem);
  if (name.ends_with(".csproj")) return by_pattern(manifest, *text, nuget);
  if (name.starts_with("build.gradle")) {
    std::vector<Package> packages = by_pattern(manifest, *text, gradle);
    for (Package& p : packages) p.name = p.name.substr(p.name.find(':') + 1);  // the artifact
    return packages;
  }
  return {};
}

const Package* find_package(const std::vector<Package>& packages, std::string_view name) {
  auto it = std::find_if(packages.begin(), packages.end(),
                         [&](const Package& p) { return p.name == name; });
  return it == packages.end() ? nullptr : &*it;
}

}  // namespace fusion
