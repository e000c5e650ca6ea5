#pragma once
// Where each repository of the stack lives on disk.
//   flat:   <root>/<repo name>
//   gopath: <root>/src/<host>/<path of the URL without .git>   (e.g. src/github.com/acme/api)

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.h"

namespace fusion {

enum class WorkspaceLayout { kFlat, kGopath };

Result<WorkspaceLayout> parse_layout(std::string_view text);

struct RemoteLocation {
  std::string host;  ///< "github.com"; "local" for file paths
  std::string path;  ///< "acme/core-api", without ".git"
};

/// Understands https://, ssh://, git://, file:// URLs, scp-like "git@host:org/repo.git" and
/// plain paths.
Result<RemoteLocation> parse_remote(std::string_view url);

/// The folder of repo `name` cloned from `url`. The result always stays inside `root`.
Result<std::filesystem::path> repo_path(const std::filesystem::path& root, WorkspaceLayout layout,
                                        std::string_view name, std::string_view url);

}  // namespace fusion
