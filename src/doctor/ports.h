#pragma once
// The stack's published host ports: free, or held by whom. Sockets come from /proc/net/tcp,
// tcp6, udp and udp6; their owners from the socket links in /proc/<pid>/fd. A port held by the
// stack's own running container is fine: `up` keeps it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doctor/check.h"
#include "registry/model.h"
#include "runtime/container_runtime.h"

namespace fusion {

/// The few reads of /proc the port check needs; tests pass a fake tree.
class ProcFs {
 public:
  virtual ~ProcFs() = default;
  virtual std::optional<std::string> read(const std::string& path) = 0;
  /// Names of the entries of a folder; empty when it cannot be read.
  virtual std::vector<std::string> list(const std::string& folder) = 0;
  virtual std::optional<std::string> read_link(const std::string& path) = 0;
};

class SystemProcFs : public ProcFs {
 public:
  std::optional<std::string> read(const std::string& path) override;
  std::vector<std::string> list(const std::string& folder) override;
  std::optional<std::string> read_link(const std::string& path) override;
};

struct HostSocket {
  Protocol protocol = Protocol::kTcp;
  std::string address{};  ///< "0.0.0.0", "127.0.0.1", "::"; IPv4-mapped IPv6 as IPv4
  uint16_t port = 0;
  uint64_t inode = 0;
  int pid = 0;            ///< 0: no process fusion can see holds it
  std::string process{};  ///< its comm: "postgres"
};

/// The listening (tcp) or bound (udp) sockets of one /proc/net table.
std::vector<HostSocket> parse_proc_net(std::string_view table, Protocol protocol, bool ipv6);

/// Every listening socket of the host with the process that holds it, when visible.
std::vector<HostSocket> read_host_sockets(ProcFs& proc);

/// A host port a service publishes.
struct PublishedHostPort {
  std::string service{};
  PortMapping port;
};
/// The explicit host ports of the registry's services (ephemeral ones cannot collide).
std::vector<PublishedHostPort> published_host_ports(const Registry& registry);

/// "port.5432": free, published by one of `own` (the stack's running containers), or held by
/// another process (a failure naming it).
CheckResult check_port(const PublishedHostPort& published, const std::vector<HostSocket>& sockets,
                       const std::vector<ContainerInfo>& own);

}  // namespace fusion
