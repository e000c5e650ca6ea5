#pragma once
// Progress output as ninja prints it: on a terminal, one status line rewritten in place with
// finished items printed above it; elsewhere (CI, pipes) plain lines with a timestamp, and no
// status line. Thread-safe.

#include <mutex>
#include <ostream>
#include <string>

namespace fusion {

class LinePrinter {
 public:
  LinePrinter(std::ostream& out, bool smart_terminal) : out_(out), smart_(smart_terminal) {}

  /// Replaces the status line (terminal only).
  void status(const std::string& line);
  /// Prints a line that stays; on a terminal above the status line.
  void line(const std::string& text);
  /// Clears the status line; call before printing a summary.
  void finish();

 private:
  std::mutex mutex_;
  std::ostream& out_;
  bool smart_;
  bool status_shown_ = false;
};

}  // namespace fusion
