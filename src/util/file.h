#pragma once
// Reading files, with errors a user can act on.

#include <filesystem>
#include <string>

#include "util/result.h"

namespace fusion {

/// The whole file; the error names the path and the reason ("…: No such file or directory").
Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace fusion
