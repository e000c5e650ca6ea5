#pragma once
// For doctor's tests: programs that answer from a table keyed by the whole command line. A
// command not in the table cannot start, as a program missing from PATH.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "util/strings.h"
#include "util/subprocess.h"

namespace fusion {

class FakePrograms : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override {
    std::lock_guard lock(mutex_);
    std::string line = join(spec.argv, " ");
    ran.push_back(line);
    auto it = answers.find(line);
    if (it == answers.end()) return {.exit_code = -1, .err = "No such file or directory"};
    return it->second;
  }
  void answer(const std::string& line, std::string out, int exit_code = 0) {
    answers[line] = {.exit_code = exit_code, .out = std::move(out)};
  }

  std::map<std::string, ProcessResult> answers;
  std::vector<std::string> ran;

 private:
  std::mutex mutex_;
};

}  // namespace fusion
