#include "workspace/exec.h"

#include <fmt/format.h>

#include <mutex>

#include "util/parallel.h"
#include "util/strings.h"

namespace fusion {

std::vector<ExecResult> exec_all(ProcessRunner& runner, const std::vector<RepoTarget>& repos,
                                 const std::vector<std::string>& argv, size_t jobs,
                                 const std::function<void(const ExecResult&)>& done) {
  std::vector<ExecResult> results(repos.size());
  std::mutex report;
  parallel_for_each(repos.size(), jobs, [&](size_t i) {
    ExecResult& r = results[i];
    r.repo = &repos[i];
    std::error_code ec;
    if (!std::filesystem::exists(repos[i].path, ec)) {
      r.skipped = true;
    } else {
      r.result = runner.run({.argv = argv, .cwd = repos[i].path, .merge_stderr = true});
    }
    std::lock_guard lock(report);
    done(r);
  });
  return results;
}

std::string prefix_lines(const std::string& name, size_t width, const std::string& output) {
  std::string out;
  std::vector<std::string_view> lines = split(output, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  for (std::string_view line : lines) out += fmt::format("{:<{}} | {}\n", name, width, line);
  return out;
}

}  // namespace fusion
