#include "runtime/log_lines.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "util/strings.h"

namespace fusion {

namespace {

bool read_int(std::string_view text, size_t pos, size_t len, int& out) {
  if (pos + len > text.size()) return false;
  auto r = std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return r.ec == std::errc() && r.ptr == text.data() + pos + len;
}

}  // namespace

int64_t parse_rfc3339_ns(std::string_view t) {
  std::tm tm{};
  int year, month, day, hour, minute, second;
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
      !read_int(t, 0, 4, year) || !read_int(t, 5, 2, month) || !read_int(t, 8, 2, day) ||
      !read_int(t, 11, 2, hour) || !read_int(t, 14, 2, minute) || !read_int(t, 17, 2, second)) {
    return 0;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  int64_t seconds = timegm(&tm);
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < t.size() && t[pos] == '.') {
    int64_t scale = 100'000'000;
    for (++pos; pos < t.size() && std::isdigit(static_cast<unsigned char>(t[pos])); ++pos) {
      nanos += (t[pos] - '0') * scale;
      scale /= 10;
    }
  }
  if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    int oh, om;
    if (!read_int(t, pos + 1, 2, oh) || !read_int(t, pos + 4, 2, om)) return 0;
    int64_t offset = (oh * 3600 + om * 60) * (t[pos] == '+' ? 1 : -1);
    seconds -= offset;
  } else if (pos >= t.size() || t[pos] != 'Z') {
    return 0;
  }
  return seconds * 1'000'000'000 + nanos;
}

std::vector<LogLine> parse_log_lines(size_t source, const std::string& output, int64_t after_ns) {
  std::vector<LogLine> lines;
  for (std::string_view line : split(output, '\n')) {
    if (line.empty()) continue;
    size_t space = line.find(' ');
    std::string_view stamp = line.substr(0, space);
    int64_t ns = parse_rfc3339_ns(stamp);
    if (ns != 0 && ns <= after_ns) continue;
    std::string text(ns && space != std::string_view::npos ? line.substr(space + 1) : line);
    lines.push_back({source, ns, ns ? std::string(stamp) : "", std::move(text)});
  }
  return lines;
}

void sort_by_time(std::vector<LogLine>& lines) {
  std::stable_sort(lines.begin(), lines.end(),
                   [](const LogLine& a, const LogLine& b) { return a.time_ns < b.time_ns; });
}

std::string format_log_line(const std::string& service, size_t width, size_t colour_index,
                            const std::string& text, bool color) {
  static constexpr int kColours[] = {36, 33, 32, 35, 34, 91, 96, 93, 92, 95};
  std::string prefix = fmt::format("{:<{}} |", service, width);
  if (color) {
    int code = kColours[colour_index % std::size(kColours)];
    prefix = fmt::format("\033[{}m{}\033[0m", code, prefix);
  }
  return prefix + " " + text;
}

}  // namespace fusion
