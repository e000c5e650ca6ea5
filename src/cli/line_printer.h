#pragma once
// Progress output as ninja and compose print it: on a terminal, a status block (one or more
// lines) rewritten in place, with finished items printed above it; elsewhere (CI, pipes) plain
// lines with a timestamp, and no status block. Thread-safe.

#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace fusion {

class LinePrinter {
 public:
  /// `width`: the terminal's columns; status lines are cut to fit so the block can be
  /// rewritten (0: not cut).
  LinePrinter(std::ostream& out, bool smart_terminal, unsigned width = 0)
      : out_(out), smart_(smart_terminal), width_(width) {}

  /// Replaces the status block with one line (terminal only).
  void status(const std::string& line) { status_block({line}); }
  /// Replaces the status block (terminal only).
  void status_block(std::vector<std::string> lines);
  /// Prints a line that stays; on a terminal above the status block.
  void line(const std::string& text);
  /// Clears the status block; call before printing a summary.
  void finish();

 private:
  void erase_block();
  void draw_block();

  std::mutex mutex_;
  std::ostream& out_;
  bool smart_;
  unsigned width_;
  std::vector<std::string> block_;  ///< what is on screen below the printed lines
  bool block_shown_ = false;
};

}  // namespace fusion
