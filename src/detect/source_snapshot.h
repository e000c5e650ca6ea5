#pragma once
// A read-only picture of a source tree: the text of the files detection may look at, by
// '/'-separated path relative to the tree's root. Detection is pure over it; load_snapshot is the
// only part that touches the disk, so tests build snapshots in memory.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace fusion {

/// Where a fact was read: "pyproject.toml:9" and the line's text. line 0: the file as a whole.
struct Evidence {
  std::string file;
  size_t line = 0;
  std::string text;

  std::string where() const;  ///< "file:line", "file", or "" for a convention
};

class SourceSnapshot {
 public:
  void add(std::string path, std::string content) { files_[std::move(path)] = std::move(content); }

  const std::string* file(std::string_view path) const;
  bool has(std::string_view path) const { return file(path) != nullptr; }
  const std::map<std::string, std::string, std::less<>>& files() const { return files_; }

  /// The folders holding at least one file, "" for the root, sorted.
  std::vector<std::string> folders() const;

  /// Files directly in `folder` ("" for the root) whose name ends with `suffix`.
  std::vector<std::string> files_in(std::string_view folder, std::string_view suffix) const;

  /// Files at or below `folder` whose name ends with `suffix`, sorted.
  std::vector<std::string> files_under(std::string_view folder, std::string_view suffix) const;

  /// The first line of `path` containing `needle`, as evidence.
  std::optional<Evidence> find_line(std::string_view path, std::string_view needle) const;

  /// The line of `path` holding byte `offset`, as evidence.
  Evidence evidence_at(std::string_view path, size_t offset) const;

  /// Line `line` (from 1) of `path`, as evidence; the whole file when there is no such line.
  Evidence evidence_on_line(std::string_view path, size_t line) const;

  /// The first line among `paths` containing `needle`.
  std::optional<Evidence> find_line_in(const std::vector<std::string>& paths,
                                       std::string_view needle) const;

 private:
  std::map<std::string, std::string, std::less<>> files_;
};

/// The folder of a path: "a/b" for "a/b/c", "" for "c".
std::string_view parent_folder(std::string_view path);

/// `folder` + "/" + `name`, or `name` alone at the root.
std::string join_path(std::string_view folder, std::string_view name);

/// Reads the files of `root` detection uses: manifests, lockfiles, Dockerfiles and sources of the
/// known languages, at most `max_depth` folders down, skipping dependency and build folders
/// (node_modules, vendor, target, .git, …) and files over 256 KiB. Lockfiles are recorded
/// empty: their presence is what counts.
Result<SourceSnapshot> load_snapshot(const std::filesystem::path& root, int max_depth = 4);

}  // namespace fusion
