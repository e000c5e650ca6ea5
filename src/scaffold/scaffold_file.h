#pragma once
// Writing a scaffolded file (Dockerfile, .dockerignore, CI workflow) beside a user's own files:
// created when absent, rewritten only while it still starts with fusion's marker, and left alone
// otherwise: a file without the marker is the user's.

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.h"

namespace fusion {

enum class ScaffoldOutcome { kCreated, kUpdated, kUnchanged, kLeftAlone };

const char* outcome_verb(ScaffoldOutcome outcome);

/// `marked(text)` tells a file fusion may rewrite. With `dry_run`, reports what would happen and
/// writes nothing. Refuses a path that is, or goes through, a symbolic link.
Result<ScaffoldOutcome> write_scaffolded(const std::filesystem::path& path,
                                         const std::string& content,
                                         bool (*marked)(std::string_view text), bool dry_run);

}  // namespace fusion
