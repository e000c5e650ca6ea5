#pragma once
// Running programs. The interface is what the core sees (tests pass fakes); SystemProcessRunner
// is the real one, built on posix_spawn.

#include <chrono>
#include <filesystem>
#include <memory>
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

/// A program left running while the caller goes on (a port-forward). Destroying it stops it.
class ChildProcess {
 public:
  virtual ~ChildProcess() = default;
  /// Whether it still runs (reaps it when it has ended).
  virtual bool running() = 0;
  /// Its exit code once it has ended (128 + signal when killed).
  virtual int exit_code() const = 0;
  /// SIGTERM, then SIGKILL if it has not ended within a second; returns when it has.
  virtual void stop() = 0;
};

class ProcessLauncher {
 public:
  virtual ~ProcessLauncher() = default;
  /// Starts `spec` (its timeout unused) with stdout and stderr appended to `output`; nothing,
  /// with `error` set, when it could not start.
  virtual std::unique_ptr<ChildProcess> launch(const ProcessSpec& spec,
                                               const std::filesystem::path& output,
                                               std::string& error) = 0;
};

class SystemProcessLauncher : public ProcessLauncher {
 public:
  std::unique_ptr<ChildProcess> launch(const ProcessSpec& spec, const std::filesystem::path& output,
                                       std::string& error) override;
};

}  // namespace fusion
