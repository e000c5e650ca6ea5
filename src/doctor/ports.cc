#include "doctor/ports.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <unistd.h>  // readlink

#include <charconv>
#include <filesystem>
#include <map>

#include "util/file.h"
#include "util/strings.h"

namespace fusion {

namespace fs = std::filesystem;

std::optional<std::string> SystemProcFs::read(const std::string& path) {
  auto text = read_file(path);
  return text ? std::optional<std::string>(*text) : std::nullopt;
}

std::vector<std::string> SystemProcFs::list(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  return names;
}

std::optional<std::string> SystemProcFs::read_link(const std::string& path) {
  char buffer[256];
  ssize_t n = readlink(path.c_str(), buffer, sizeof buffer);
  if (n < 0) return std::nullopt;
  return std::string(buffer, static_cast<size_t>(n));
}

namespace {

constexpr std::string_view kTcpListen = "0A";
constexpr std::string_view kUdpUnconnected = "07";

/// The kernel prints each 32-bit word of an address in host order (little endian here).
std::optional<std::string> decode_address(std::string_view hex, bool ipv6) {
  size_t words = ipv6 ? 4 : 1;
  if (hex.size() != words * 8) return std::nullopt;
  uint32_t raw[4] = {};
  for (size_t w = 0; w < words; ++w) {
    auto [end, ec] = std::from_chars(hex.data() + w * 8, hex.data() + w * 8 + 8, raw[w], 16);
    if (ec != std::errc()) return std::nullopt;
  }
  char text[INET6_ADDRSTRLEN] = {};
  if (!ipv6) return inet_ntop(AF_INET, raw, text, sizeof text);
  bool mapped = raw[0] == 0 && raw[1] == 0 && raw[2] == htonl(0xffff);
  if (mapped) return inet_ntop(AF_INET, &raw[3], text, sizeof text);
  return inet_ntop(AF_INET6, raw, text, sizeof text);
}

bool is_wildcard(std::string_view address) {
  return address.empty() || address == "0.0.0.0" || address == "::";
}

bool addresses_overlap(std::string_view published, std::string_view bound) {
  if (published.starts_with("[")) published = published.substr(1, published.size() - 2);
  return is_wildcard(published) || is_wildcard(bound) || published == bound;
}

/// inode → pid, from the "socket:[inode]" links of every process's open files.
std::map<uint64_t, int> socket_owners(ProcFs& proc) {
  std::map<uint64_t, int> owners;
  for (const std::string& entry : proc.list("/proc")) {
    int pid = 0;
    auto [end, ec] = std::from_chars(entry.data(), entry.data() + entry.size(), pid);
    if (ec != std::errc() || end != entry.data() + entry.size()) continue;
    std::string fd_folder = fmt::format("/proc/{}/fd", pid);
    for (const std::string& fd : proc.list(fd_folder)) {
      auto link = proc.read_link(fd_folder + "/" + fd);
      if (!link || !link->starts_with("socket:[")) continue;
      uint64_t inode = std::strtoull(link->c_str() + 8, nullptr, 10);
      owners.emplace(inode, pid);  // the lowest pid: the parent of a forked server
    }
  }
  return owners;
}

}  // namespace

std::vector<HostSocket> parse_proc_net(std::string_view table, Protocol protocol, bool ipv6) {
  std::vector<HostSocket> sockets;
  std::string_view wanted = protocol == Protocol::kTcp ? kTcpListen : kUdpUnconnected;
  for (std::string_view line : split(table, '\n')) {
    std::vector<std::string_view> fields;
    for (std::string_view field : split(line, ' ')) {
      if (!field.empty()) fields.push_back(field);
    }
    if (fields.size() < 10 || fields[3] != wanted) continue;  // also skips the header
    size_t colon = fields[1].find(':');
    if (colon == std::string_view::npos) continue;
    auto address = decode_address(fields[1].substr(0, colon), ipv6);
    uint32_t port = 0;
    std::string_view port_hex = fields[1].substr(colon + 1);
    std::from_chars(port_hex.data(), port_hex.data() + port_hex.size(), port, 16);
    if (!address || port == 0 || port > 65535) continue;
    HostSocket socket;
    socket.protocol = protocol;
    socket.address = *address;
    socket.port = static_cast<uint16_t>(port);
    socket.inode = std::strtoull(std::string(fields[9]).c_str(), nullptr, 10);
    sockets.push_back(std::move(socket));
  }
  return sockets;
}

std::vector<HostSocket> read_host_sockets(ProcFs& proc) {
  std::vector<HostSocket> sockets;
  struct Table {
    const char* path;
    Protocol protocol;
    bool ipv6;
  };
  for (const Table& t : {Table{"/proc/net/tcp", Protocol::kTcp, false},
                         Table{"/proc/net/tcp6", Protocol::kTcp, true},
                         Table{"/proc/net/udp", Protocol::kUdp, false},
                         Table{"/proc/net/udp6", Protocol::kUdp, true}}) {
    auto text = proc.read(t.path);
    if (!text) continue;
    for (HostSocket& s : parse_proc_net(*text, t.protocol, t.ipv6)) sockets.push_back(s);
  }
  if (sockets.empty()) return sockets;
  std::map<uint64_t, int> owners = socket_owners(proc);
  for (HostSocket& s : sockets) {
    auto it = owners.find(s.inode);
    if (it == owners.end()) continue;
    s.pid = it->second;
    auto comm = proc.read(fmt::format("/proc/{}/comm", s.pid));
    std::string name = comm ? *comm : "?";
    while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
    s.process = printable_line(name);
  }
  return sockets;
}

std::vector<PublishedHostPort> published_host_ports(const Registry& registry) {
  std::vector<PublishedHostPort> out;
  for (const Service& service : registry.services) {
    for (const PortMapping& port : service.ports) {
      if (port.host_port != 0) out.push_back({service.name.value, port});
    }
  }
  return out;
}

namespace {

const char* protocol_name(Protocol p) { return p == Protocol::kTcp ? "tcp" : "udp"; }

std::string port_label(const PublishedHostPort& published) {
  const PortMapping& p = published.port;
  std::string udp = p.protocol == Protocol::kUdp ? "/udp" : "";
  std::string where = p.host_ip.empty() ? "" : " on " + p.host_ip;
  return fmt::format("port {}{}{} ({})", p.host_port, udp, where, published.service);
}

const ContainerInfo* own_publisher(const PortMapping& port, const std::vector<ContainerInfo>& own) {
  for (const ContainerInfo& container : own) {
    if (container.state != ContainerState::kRunning) continue;
    for (const PublishedPort& p : container.ports) {
      if (p.host_port == port.host_port && p.protocol == protocol_name(port.protocol)) {
        return &container;
      }
    }
  }
  return nullptr;
}

}  // namespace

CheckResult check_port(const PublishedHostPort& published, const std::vector<HostSocket>& sockets,
                       const std::vector<ContainerInfo>& own) {
  const PortMapping& port = published.port;
  std::string name =
      fmt::format("port.{}{}", port.host_port, port.protocol == Protocol::kUdp ? "/udp" : "");
  if (const ContainerInfo* container = own_publisher(port, own)) {
    return check_ok(name, fmt::format("{} is published by this stack's {}", port_label(published),
                                      container->name));
  }
  for (const HostSocket& s : sockets) {
    if (s.port != port.host_port || s.protocol != port.protocol) continue;
    if (!addresses_overlap(port.host_ip, s.address)) continue;
    std::string fix =
        fmt::format("stop it, or publish {} on another host port (`ports:` in fusion.local.yaml)",
                    published.service);
    if (s.pid == 0) {
      return check_fail(
          name,
          fmt::format("{} is in use on {} by a process fusion cannot see (another user's: "
                      "`sudo ss -ltnup` names it)",
                      port_label(published), s.address),
          fix);
    }
    return check_fail(
        name, fmt::format("{} is held by {} (pid {})", port_label(published), s.process, s.pid),
        fix);
  }
  return check_ok(name, port_label(published) + " is free");
}

}  // namespace fusion
