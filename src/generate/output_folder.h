#pragma once
// The output folder on disk: reads what is there for plan_output and applies a plan. Every path
// is checked to stay inside the folder: no "..", no absolute paths, and no symbolic link on the
// way (a link could point anywhere).

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "generate/output_plan.h"
#include "util/result.h"

namespace fusion {

class OutputFolder {
 public:
  explicit OutputFolder(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }

  /// The manifest of an earlier run; empty when there is none.
  std::set<std::string> manifest() const;

  /// The content at a relative path, nullopt when nothing is there.
  std::optional<std::string> read(const std::string& path) const;

  /// Plans writing `wanted` here (see plan_output), refusing paths through symbolic links.
  /// Only earlier files for which `owned` is true may be removed; the others stay listed.
  OutputPlan plan(const FileSet& wanted,
                  const std::function<bool(const std::string&)>& owned = nullptr) const;

  /// Writes, replaces and removes as planned, each file atomically, then the manifest. Stops at
  /// the first error. The plan must have no refusals.
  Status apply(const OutputPlan& plan) const;

 private:
  Status check_no_symlink(const std::string& path) const;
  std::filesystem::path root_;
};

}  // namespace fusion
