#pragma once
// The logs of several containers as one stream: lines read with engine timestamps are merged
// in time order and shown behind an aligned service prefix ("api  | …"), coloured per service
// on a terminal.

#include <cstdint>
#include <string>
#include <vector>

namespace fusion {

struct LogLine {
  size_t source = 0;      ///< which service, an index the caller chose
  int64_t time_ns = 0;    ///< since the epoch; 0 when the line had no timestamp
  std::string timestamp;  ///< as the engine wrote it, for --since
  std::string text;
};

/// Parses RFC 3339 ("2026-11-23T19:10:03.921821014Z", "…+01:00") to ns since the epoch; 0 when
/// it is not one.
int64_t parse_rfc3339_ns(std::string_view text);

/// Splits `--timestamps` output into lines of `source`; only lines newer than `after_ns`.
std::vector<LogLine> parse_log_lines(size_t source, const std::string& output, int64_t after_ns);

/// Stable merge by time (lines of one source keep their order).
void sort_by_time(std::vector<LogLine>& lines);

/// "api    | text" with the name padded to `width`, in a colour of its own when `color`.
std::string format_log_line(const std::string& service, size_t width, size_t colour_index,
                            const std::string& text, bool color);

}  // namespace fusion
