#include "util/duration.h"

#include <array>
#include <cstdint>

namespace fusion {
namespace {

struct Unit {
  std::string_view name;
  int64_t millis;
};
// Ordered largest first; "ms" before "m" so the longer spelling is tried first at each step.
constexpr std::array<Unit, 4> kUnits = {{{"h", 3'600'000}, {"ms", 1}, {"m", 60'000}, {"s", 1000}}};

int rank(int64_t millis) {  // larger unit = smaller rank
  switch (millis) {
    case 3'600'000:
      return 0;
    case 60'000:
      return 1;
    case 1000:
      return 2;
    default:
      return 3;
  }
}

Error bad(std::string_view text, std::string_view why) {
  return Error{"invalid duration '" + std::string(text) + "': " + std::string(why) +
               " (write e.g. 90s, 1m30s, 250ms)"};
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return bad(text, "empty");
  int64_t total = 0;
  int last_rank = -1;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') return bad(text, "expected a number");
    int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      n = n * 10 + (text[i++] - '0');
      if (n > 1'000'000'000) return bad(text, "too large");
    }
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(i).starts_with(u.name)) {
        unit = &u;
        break;
      }
    }
    if (!unit) return bad(text, "missing unit h, m, s or ms");
    if (rank(unit->millis) <= last_rank) return bad(text, "units must go from largest to smallest");
    last_rank = rank(unit->millis);
    i += unit->name.size();
    total += n * unit->millis;
  }
  return Duration(total);
}

std::string format_duration(Duration d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  for (auto [unit, size] : {std::pair{"h", 3'600'000}, {"m", 60'000}, {"s", 1000}, {"ms", 1}}) {
    if (ms >= size) {
      out += std::to_string(ms / size) + unit;
      ms %= size;
    }
  }
  return out;
}

}  // namespace fusion
