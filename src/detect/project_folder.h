#pragma once
// One candidate project folder inside a snapshot, with the lookups every language detector
// needs: its files, the first line matching a needle or a pattern, and packages to frameworks.

#include <initializer_list>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detect/detection.h"
#include "detect/packages.h"
#include "detect/source_snapshot.h"

namespace fusion {

class ProjectFolder {
 public:
  ProjectFolder(const SourceSnapshot& snapshot, std::string folder)
      : snapshot_(snapshot), folder_(std::move(folder)) {}

  const SourceSnapshot& snapshot() const { return snapshot_; }
  const std::string& folder() const { return folder_; }

  /// The snapshot path of `name` in this folder.
  std::string path(std::string_view name) const { return join_path(folder_, name); }
  /// Evidence that is file `name` (in this folder) as a whole.
  Evidence file_evidence(std::string_view name) const { return Evidence{path(name), 0, ""}; }
  bool has(std::string_view name) const { return snapshot_.has(path(name)); }
  const std::string* text(std::string_view name) const { return snapshot_.file(path(name)); }

  /// The first line of file `name` (in this folder) containing `needle`.
  std::optional<Evidence> line(std::string_view name, std::string_view needle) const;

  /// Files at or below this folder whose names end with `suffix`.
  std::vector<std::string> sources(std::string_view suffix) const;
  std::vector<std::string> sources(std::initializer_list<std::string_view> suffixes) const;

  /// The first line of `files` matching `pattern`: its first group as the value.
  std::optional<Fact> search(const std::vector<std::string>& files,
                             const std::regex& pattern) const;

  /// `path` relative to this folder.
  std::string relative(const std::string& path) const;

  /// The packages the manifest `name` in this folder declares.
  std::vector<Package> packages(std::string_view name) const {
    return read_packages(snapshot_, path(name));
  }
  /// The manifest `name` in this folder, with its parse error if it has one.
  Manifest manifest(std::string_view name) const { return read_manifest(snapshot_, path(name)); }

  /// Every line of `files` matching `pattern`, in file order: each first group as the value.
  std::vector<Fact> search_all(const std::vector<std::string>& files,
                               const std::regex& pattern) const;

 private:
  const SourceSnapshot& snapshot_;
  std::string folder_;
};

/// A framework a package marks: {"fastapi", "fastapi"}, {"@nestjs/core", "nestjs"}.
using FrameworkMarks = std::initializer_list<std::pair<std::string_view, std::string_view>>;

/// The first mark (in the table's order, which puts the more specific first) among `packages`.
std::optional<Fact> framework_from(const std::vector<Package>& packages, FrameworkMarks marks);

/// The port the first of `patterns` finds in `files`, else `fallback`. A backing service's
/// well-known port (5432, 6379, 9200, …) is a client setting, never the service's own, and is
/// passed over.
Fact port_from(const ProjectFolder& project, const std::vector<std::string>& files,
               const std::vector<std::regex>& patterns, Fact fallback);

/// The port the project's own config files set (config.yaml, config/*.toml, .env.example, …:
/// `port: 8000`, `PORT=8000`, `addr: ":8000"`), else `fallback`.
Fact config_port(const ProjectFolder& project, Fact fallback);

/// Every detector: a Detection when its ecosystem's manifest is in the folder.
std::optional<Detection> detect_python(const ProjectFolder& project);
std::optional<Detection> detect_node(const ProjectFolder& project);
std::optional<Detection> detect_go(const ProjectFolder& project);
std::optional<Detection> detect_rust(const ProjectFolder& project);
std::optional<Detection> detect_java(const ProjectFolder& project);
std::optional<Detection> detect_ruby(const ProjectFolder& project);
std::optional<Detection> detect_dotnet(const ProjectFolder& project);
std::optional<Detection> detect_static_site(const ProjectFolder& project);

}  // namespace fusion
