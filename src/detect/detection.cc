#include "detect/detection.h"

#include <charconv>

namespace fusion {

uint16_t Detection::port_number() const {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.value.data(), port.value.data() + port.value.size(), value);
  if (ec != std::errc{} || end != port.value.data() + port.value.size() || value > 65535) return 0;
  return static_cast<uint16_t>(value);
}

Fact convention(std::string value, std::string why) {
  return Fact{std::move(value), Evidence{"", 0, std::move(why)}};
}

Fact found(std::string value, Evidence evidence) {
  return Fact{std::move(value), std::move(evidence)};
}

Fact unknown(std::string why) { return Fact{"", Evidence{"", 0, std::move(why)}}; }

}  // namespace fusion
