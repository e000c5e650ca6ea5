#pragma once
// Deciding what writing a FileSet into an output folder would do, without doing it: which files
// are created, updated, removed (generated earlier, no longer wanted) or left alone, and which
// paths fusion must not touch because it did not generate what is there. Pure: the caller says
// what is on disk.

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "generate/file_set.h"
#include "util/result.h"

namespace fusion {

/// The list of files fusion generated in a folder, kept in the folder itself.
inline constexpr std::string_view kManifestName = ".fusion-generated";

enum class ChangeKind { kCreate, kUpdate, kRemove };

struct FileChange {
  ChangeKind kind = ChangeKind::kCreate;
  std::string path;
  std::string before;  ///< empty for kCreate
  std::string after;   ///< empty for kRemove
};

struct OutputPlan {
  std::vector<FileChange> changes;    ///< in path order
  std::vector<std::string> refusals;  ///< why a path may not be written or removed; stop if any
  std::vector<std::string> notes;     ///< what is left alone and why
  std::set<std::string> manifest;     ///< the generated files once the plan is applied
};

/// A relative path fusion may write: no empty, ".", ".." or absolute parts, no backslashes.
Status check_output_path(std::string_view path);

/// Reads the file at a relative path; nullopt when there is none.
using ReadExisting = std::function<std::optional<std::string>(const std::string& path)>;

/// `previous` is the manifest found in the folder (empty when there is none).
OutputPlan plan_output(const FileSet& wanted, const std::set<std::string>& previous,
                       const ReadExisting& read);

std::set<std::string> parse_manifest(std::string_view text);
std::string render_manifest(const std::set<std::string>& paths);

}  // namespace fusion
