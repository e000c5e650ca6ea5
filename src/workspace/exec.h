#pragma once
// `fusion workspace exec -- CMD…`: one command in every cloned repo, in parallel. Each repo's
// output (stdout and stderr in the order written) is handed over in one piece when it finishes,
// so the caller can print it without interleaving.

#include <functional>
#include <string>
#include <vector>

#include "util/subprocess.h"
#include "workspace/workspace.h"

namespace fusion {

struct ExecResult {
  const RepoTarget* repo = nullptr;
  ProcessResult result;
  bool skipped = false;  ///< not cloned
};

/// Runs `argv` in each repo on at most `jobs` threads; `done` is called once per repo, from a
/// worker thread, never concurrently with itself. Results are in the order of `repos`.
std::vector<ExecResult> exec_all(ProcessRunner& runner, const std::vector<RepoTarget>& repos,
                                 const std::vector<std::string>& argv, size_t jobs,
                                 const std::function<void(const ExecResult&)>& done);

/// "core-api | line" for every line of `output`, names padded to `width`.
std::string prefix_lines(const std::string& name, size_t width, const std::string& output);

}  // namespace fusion
