#include "cli/line_printer.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <ctime>

namespace fusion {

namespace {
constexpr const char* kClearLine = "\r\033[K";
}

void LinePrinter::status(const std::string& line) {
  if (!smart_) return;
  std::lock_guard lock(mutex_);
  out_ << kClearLine << line << std::flush;
  status_shown_ = true;
}

void LinePrinter::line(const std::string& text) {
  std::lock_guard lock(mutex_);
  if (smart_) {
    out_ << (status_shown_ ? kClearLine : "") << text << "\n" << std::flush;
    status_shown_ = false;
    return;
  }
  std::time_t now = std::time(nullptr);
  out_ << fmt::format("{:%H:%M:%S} {}\n", fmt::localtime(now), text) << std::flush;
}

void LinePrinter::finish() {
  std::lock_guard lock(mutex_);
  if (smart_ && status_shown_) out_ << kClearLine << std::flush;
  status_shown_ = false;
}

}  // namespace fusion
