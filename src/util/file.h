#pragma once
// Reading and writing files, with errors a user can act on.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace fusion {

/// The whole file; the error names the path and the reason ("…: No such file or directory").
Result<std::string> read_file(const std::filesystem::path& path);

/// Replaces (or creates) the file atomically: the content goes to a temporary file in the same
/// folder, which is then renamed over the path, so a reader sees the old file or the new one,
/// never a part. With no `mode`, an existing file keeps its permissions and a new one gets 0666
/// less the umask; a `mode` (0600 for secrets) applies before any content is written.
Status write_file_atomically(const std::filesystem::path& path, std::string_view content,
                             std::optional<unsigned> mode = std::nullopt);

}  // namespace fusion
