#pragma once
// Loading the registry for a command: find fusion.yaml, read it and fusion.local.yaml, load,
// overlay, validate, check cycles. Every command that reads the registry goes through here.

#include <filesystem>
#include <string>
#include <vector>

#include "cli/command.h"
#include "registry/diagnostic.h"
#include "registry/model.h"
#include "util/result.h"

namespace fusion {

struct CheckedRegistry {
  std::filesystem::path path;
  std::filesystem::path overlay_path;  ///< the overlay read; empty: none
  SourceSet sources;
  Registry registry;
  Diagnostics diagnostics;  ///< sorted
};

struct LoadOptions {
  std::vector<std::string> local;  ///< --local choices from the command line
  /// Read fusion.local.yaml. Off for what must not depend on one developer's choices, such as
  /// generated files that are committed and checked in CI.
  bool overlay = true;
};

/// `-f FILE`, else the first fusion.yaml here or above (relative to the current folder).
Result<std::filesystem::path> registry_path(const GlobalOptions& global);

/// Fails only when the file cannot be found or read; problems inside it are diagnostics.
Result<CheckedRegistry> load_checked_registry(const GlobalOptions& global,
                                              const LoadOptions& options = {});

/// Pure part of the above, over texts already read: for tests and the fuzzer.
void check_registry_text(CheckedRegistry& checked, std::string registry_text,
                         const std::string* overlay_text, const std::vector<std::string>& local);

/// Prints the diagnostics and a count to io.err; returns true when there are no errors.
bool report_diagnostics(const CheckedRegistry& checked, Streams& io);

/// For commands that need a valid registry: loads it, prints what is wrong, and returns
/// nothing when it cannot be used (the command then exits with kExitFailure).
std::optional<CheckedRegistry> load_valid_registry(const GlobalOptions& global, Streams& io,
                                                   const LoadOptions& options = {});

/// What commands about generated files work on: the registry as they see it (fusion.yaml only,
/// never fusion.local.yaml), its folder, and the output folder (`--output`, else generated/
/// beside fusion.yaml). Nothing when the registry cannot be used (already reported).
struct GeneratedStack {
  CheckedRegistry checked;
  std::filesystem::path registry_dir;
  std::filesystem::path output_dir;
};
std::optional<GeneratedStack> load_generated_stack(const GlobalOptions& global, Streams& io,
                                                   const std::string& output_option);

/// For commands that write a registry they made (init, import, new): checks `text` as it would
/// be at `path`. On errors it prints them and "<what>; nothing was written", and returns nothing.
std::optional<CheckedRegistry> check_before_writing(const std::string& text,
                                                    const std::filesystem::path& path, Streams& io,
                                                    std::string_view what);

/// A path as a user would type it from here: relative to the current folder when that is
/// shorter, else as given.
std::string display_path(const std::filesystem::path& path);

/// Prints "fusion: error: <message>" and returns kExitFailure.
int report_error(Streams& io, std::string_view message);

}  // namespace fusion
