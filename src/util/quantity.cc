#include "util/quantity.h"

#include <array>
#include <charconv>
#include <limits>
#include <map>

#include "util/strings.h"

namespace fusion {
namespace {

struct Suffix {
  std::string_view name;
  uint64_t factor;
};
constexpr std::array<Suffix, 9> kMemorySuffixes = {{{"Ki", 1ull << 10},
                                                    {"Mi", 1ull << 20},
                                                    {"Gi", 1ull << 30},
                                                    {"Ti", 1ull << 40},
                                                    {"k", 1'000},
                                                    {"M", 1'000'000},
                                                    {"G", 1'000'000'000},
                                                    {"T", 1'000'000'000'000},
                                                    {"", 1}}};

// Reads the leading run of digits; `digits` is set to how many there were.
bool read_number(std::string_view text, uint64_t& value, size_t& digits) {
  value = 0;
  digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (value > std::numeric_limits<uint64_t>::max() / 10 - 9) return false;
    value = value * 10 + static_cast<uint64_t>(text[digits++] - '0');
  }
  return true;
}

}  // namespace

Result<uint64_t> parse_memory(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Error{"invalid memory '" + std::string(text) + "': " + std::string(why) +
                 " (write e.g. 512Mi, 1Gi, 1G)"};
  };
  uint64_t n = 0;
  size_t digits = 0;
  if (!read_number(text, n, digits)) return bad("too large");
  if (digits == 0) return bad("expected a whole number");
  std::string_view suffix = text.substr(digits);
  for (const Suffix& s : kMemorySuffixes) {
    if (suffix != s.name) continue;
    if (n == 0) return bad("must be greater than zero");
    if (n > std::numeric_limits<uint64_t>::max() / s.factor) return bad("too large");
    return n * s.factor;
  }
  return bad("unknown suffix '" + std::string(suffix) + "'");
}

Result<uint64_t> parse_docker_memory(std::string_view text) {
  auto bad = [&] {
    return Error{"invalid size '" + std::string(text) + "' (write e.g. 64m, 1g or 512Mi)"};
  };
  std::string t = to_lower(text);
  if (t.ends_with('b')) t.pop_back();  // "512mb", "1024b"
  if (t.ends_with('i')) t.pop_back();  // "64mi"
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), number);
  if (ec != std::errc{} || end == t.data()) return bad();
  std::string_view unit(end, static_cast<size_t>(t.data() + t.size() - end));
  static const std::map<std::string_view, int> shifts = {
      {"", 0}, {"k", 10}, {"m", 20}, {"g", 30}, {"t", 40}};
  auto it = shifts.find(unit);
  if (it == shifts.end() || number > (std::numeric_limits<uint64_t>::max() >> it->second)) {
    return bad();
  }
  return number << it->second;
}

Result<uint32_t> parse_cpus(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Error{"invalid cpus '" + std::string(text) + "': " + std::string(why) +
                 " (write e.g. 0.5, 2 or 500m)"};
  };
  uint64_t whole = 0;
  size_t digits = 0;
  if (!read_number(text, whole, digits) || whole > 100'000) return bad("too large");
  if (digits == 0) return bad("expected a number");
  std::string_view rest = text.substr(digits);
  uint64_t millis = 0;
  if (rest == "m") {
    millis = whole;
  } else if (rest.empty()) {
    millis = whole * 1000;
  } else if (rest[0] == '.') {
    uint64_t fraction = 0;
    size_t fraction_digits = 0;
    read_number(rest.substr(1), fraction, fraction_digits);
    if (fraction_digits == 0 || 1 + fraction_digits != rest.size()) return bad("not a number");
    if (fraction_digits > 3) return bad("more precise than a millicore");
    for (size_t i = fraction_digits; i < 3; ++i) fraction *= 10;
    millis = whole * 1000 + fraction;
  } else {
    return bad("unknown suffix '" + std::string(rest) + "'");
  }
  if (millis == 0) return bad("must be greater than zero");
  if (millis > 100'000'000) return bad("too large");
  return static_cast<uint32_t>(millis);
}

std::string format_memory(uint64_t bytes) {
  for (auto [name, factor] :
       {std::pair{"Ti", 1ull << 40}, {"Gi", 1ull << 30}, {"Mi", 1ull << 20}, {"Ki", 1ull << 10}}) {
    if (bytes % factor == 0) return std::to_string(bytes / factor) + name;
  }
  return std::to_string(bytes);
}

std::string format_cpus(uint32_t millicores) {
  if (millicores % 1000 == 0) return std::to_string(millicores / 1000);
  return std::to_string(millicores) + "m";
}

}  // namespace fusion
