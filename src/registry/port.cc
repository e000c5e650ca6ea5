#include "registry/port.h"

#include <fmt/format.h>

#include "util/strings.h"

namespace fusion {
namespace {

Result<uint16_t> parse_port_number(std::string_view text, std::string_view whole) {
  auto bad = [&](std::string_view why) {
    return Error{fmt::format("invalid port '{}': {}", whole, why)};
  };
  if (text.find('-') != std::string_view::npos) return bad("port ranges are not supported");
  if (text.empty() || text.size() > 5) return bad("expected a port number from 1 to 65535");
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad("expected a port number from 1 to 65535");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return bad("expected a port number from 1 to 65535");
  return static_cast<uint16_t>(value);
}

}  // namespace

Result<PortMapping> parse_port(std::string_view text) {
  PortMapping port;
  std::string_view rest = text;
  if (size_t slash = rest.rfind('/'); slash != std::string_view::npos) {
    std::string_view protocol = rest.substr(slash + 1);
    if (protocol == "udp") {
      port.protocol = Protocol::kUdp;
    } else if (protocol != "tcp") {
      return Error{fmt::format("invalid port '{}': protocol must be tcp or udp", text)};
    }
    rest = rest.substr(0, slash);
  }
  if (rest.starts_with('[')) {  // [IPv6]:host:container
    size_t close = rest.find("]:");
    if (close == std::string_view::npos) {
      return Error{fmt::format("invalid port '{}': unterminated IPv6 address", text)};
    }
    port.host_ip = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 2);
    if (rest.find(':') == std::string_view::npos) {
      return Error{
          fmt::format("invalid port '{}': an address needs HOST_PORT:CONTAINER_PORT", text)};
    }
  }
  std::vector<std::string_view> parts = split(rest, ':');
  if (parts.size() > 3 || (parts.size() == 3 && !port.host_ip.empty())) {
    return Error{
        fmt::format("invalid port '{}': expected [[HOST_IP:]HOST_PORT:]CONTAINER_PORT", text)};
  }
  if (parts.size() == 3) port.host_ip = std::string(parts[0]);
  if (parts.size() >= 2) {
    auto host = parse_port_number(parts[parts.size() - 2], text);
    if (!host) return Error{host.error()};
    port.host_port = *host;
  }
  auto container = parse_port_number(parts.back(), text);
  if (!container) return Error{container.error()};
  port.container_port = *container;
  return port;
}

Result<std::vector<PortMapping>> parse_expose(std::string_view text) {
  std::string_view rest = text;
  Protocol protocol = Protocol::kTcp;
  if (size_t slash = rest.rfind('/'); slash != std::string_view::npos) {
    std::string_view name = rest.substr(slash + 1);
    if (name != "tcp" && name != "udp") {
      return Error{fmt::format("invalid exposed port '{}': protocol must be tcp or udp", text)};
    }
    protocol = name == "udp" ? Protocol::kUdp : Protocol::kTcp;
    rest = rest.substr(0, slash);
  }
  size_t dash = rest.find('-');
  auto first = parse_port_number(rest.substr(0, dash), text);
  if (!first) return Error{first.error()};
  uint16_t last = *first;
  if (dash != std::string_view::npos) {
    auto end = parse_port_number(rest.substr(dash + 1), text);
    if (!end) return Error{end.error()};
    if (*end < *first || *end - *first >= 1000) {
      return Error{
          fmt::format("invalid exposed port range '{}': expected LOW-HIGH, at most 1000 "
                      "ports",
                      text)};
    }
    last = *end;
  }
  std::vector<PortMapping> out;
  for (uint32_t p = *first; p <= last; ++p) {
    PortMapping port;
    port.container_port = static_cast<uint16_t>(p);
    port.protocol = protocol;
    out.push_back(port);
  }
  return out;
}

std::string format_port(const PortMapping& port) {
  std::string out;
  if (!port.host_ip.empty()) {
    out += port.host_ip.find(':') != std::string::npos ? "[" + port.host_ip + "]:"
                                                       : port.host_ip + ":";
  }
  if (port.host_port) out += std::to_string(port.host_port) + ":";
  out += std::to_string(port.container_port);
  if (port.protocol == Protocol::kUdp) out += "/udp";
  return out;
}

bool host_ports_collide(const PortMapping& a, const PortMapping& b) {
  if (a.host_port == 0 || a.host_port != b.host_port || a.protocol != b.protocol) return false;
  auto any = [](const std::string& ip) { return ip.empty() || ip == "0.0.0.0" || ip == "::"; };
  return any(a.host_ip) || any(b.host_ip) || a.host_ip == b.host_ip;
}

}  // namespace fusion
