#pragma once
// Running programs. The interface is what the core sees (tests pass fakes); SystemProcessRunner
// is the real one, built on posix_spawn.

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace fusion {

struct ProcessSpec {
  std::vector<std::string> argv{};                         ///< argv[0] is looked up on PATH
  std::filesystem::path cwd{};                             ///< empty: the current folder
  std::vector<std::pair<std::string, std::string>> env{};  ///< added to (or replacing in) ours
  std::chrono::milliseconds timeout{0};                    ///< 0: none; then SIGKILL
  bool merge_stderr = false;  ///< stderr into `out`, in the order written
};

struct ProcessResult {
  int exit_code = -1;  ///< 128 + signal when killed; -1 when it could not start
  std::string out{};
  std::string err{};  ///< or why it could not start
  bool timed_out = false;
  bool ok() const { return exit_code == 0; }
  /// The last non-empty line of err (or out), for one-line reports.
  std::string last_line() const;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  /// Runs to completion; safe to call from several threads at once.
  virtual ProcessResult run(const ProcessSpec& spec) = 0;
};

class SystemProcessRunner : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override;
};

}  // namespace fusion
