#include "scaffold/scaffold_file.h"

#include "util/file.h"

namespace fusion {

namespace fs = std::filesystem;

const char* outcome_verb(ScaffoldOutcome outcome) {
  switch (outcome) {
    case ScaffoldOutcome::kCreated:
      return "create";
    case ScaffoldOutcome::kUpdated:
      return "update";
    case ScaffoldOutcome::kUnchanged:
      return "unchanged";
    case ScaffoldOutcome::kLeftAlone:
      return "left alone (not written by fusion)";
  }
  return "";
}

Result<ScaffoldOutcome> write_scaffolded(const fs::path& path, const std::string& content,
                                         bool (*marked)(std::string_view text), bool dry_run) {
  std::error_code ec;
  for (fs::path p = path; p.has_relative_path() && p != p.parent_path(); p = p.parent_path()) {
    if (fs::is_symlink(p, ec))
      return Error{p.string() + " is a symbolic link; fusion does not write through one"};
  }
  ScaffoldOutcome outcome = ScaffoldOutcome::kCreated;
  if (fs::exists(path, ec)) {
    auto existing = read_file(path);
    if (!existing) return Error{existing.error()};
    if (!marked(*existing)) return ScaffoldOutcome::kLeftAlone;
    if (*existing == content) return ScaffoldOutcome::kUnchanged;
    outcome = ScaffoldOutcome::kUpdated;
  }
  if (dry_run) return outcome;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Error{path.parent_path().string() + ": " + ec.message()};
  Status written = write_file_atomically(path, content);
  if (!written) return Error{written.error()};
  return outcome;
}

}  // namespace fusion
