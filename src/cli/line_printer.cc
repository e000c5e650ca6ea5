#include "cli/line_printer.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <ctime>

namespace fusion {

void LinePrinter::erase_block() {
  if (!block_shown_) return;
  out_ << "\r";
  if (block_.size() > 1) out_ << fmt::format("\033[{}A", block_.size() - 1);
  out_ << "\033[J";
  block_shown_ = false;
}

void LinePrinter::draw_block() {
  for (size_t i = 0; i < block_.size(); ++i) out_ << (i ? "\n" : "") << block_[i];
  block_shown_ = !block_.empty();
  out_ << std::flush;
}

void LinePrinter::status_block(std::vector<std::string> lines) {
  if (!smart_) return;
  for (std::string& l : lines) {
    if (width_ > 1 && l.size() >= width_) l.resize(width_ - 1);  // a wrapped line would stay
  }
  std::lock_guard lock(mutex_);
  erase_block();
  block_ = std::move(lines);
  draw_block();
}

void LinePrinter::line(const std::string& text) {
  std::lock_guard lock(mutex_);
  if (smart_) {
    erase_block();
    out_ << text << "\n";
    draw_block();
    return;
  }
  std::time_t now = std::time(nullptr);
  out_ << fmt::format("{:%H:%M:%S} {}\n", fmt::localtime(now), text) << std::flush;
}

void LinePrinter::finish() {
  std::lock_guard lock(mutex_);
  if (smart_) erase_block();
  block_.clear();
  out_ << std::flush;
}

}  // namespace fusion
