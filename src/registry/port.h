#pragma once
// Compose's short port syntax: [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL].
// "8080" exposes 8080 and publishes it on an ephemeral host port, as compose does;
// "127.0.0.1:5432:5432" publishes on one interface; "[::1]:53:53/udp" takes IPv6 in brackets.

#include <string_view>

#include "registry/model.h"
#include "util/result.h"

namespace fusion {

Result<PortMapping> parse_port(std::string_view text);

/// Compose's `expose` entry: "3000", "53/udp" or a range "9000-9003[/tcp]" (at most 1,000
/// ports), as container ports that are never published.
Result<std::vector<PortMapping>> parse_expose(std::string_view text);

/// "127.0.0.1:5432:5432/tcp" — the canonical spelling, for messages and generated files.
std::string format_port(const PortMapping& port);

/// Both publish the same host port and protocol on overlapping interfaces.
bool host_ports_collide(const PortMapping& a, const PortMapping& b);

}  // namespace fusion
