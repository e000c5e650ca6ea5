#include "doctor/ports.h"

#include <gtest/gtest.h>

#include <map>

namespace fusion {
namespace {

/// A /proc of files, folders and links written by the test.
class FakeProcFs : public ProcFs {
 public:
  std::optional<std::string> read(const std::string& path) override {
    auto it = files.find(path);
    return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  std::vector<std::string> list(const std::string& folder) override {
    auto it = folders.find(folder);
    return it == folders.end() ? std::vector<std::string>{} : it->second;
  }
  std::optional<std::string> read_link(const std::string& path) override {
    auto it = links.find(path);
    return it == links.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  std::map<std::string, std::string> files, links;
  std::map<std::string, std::vector<std::string>> folders;
};

constexpr const char* kTcpHeader =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode\n";

// postgres on 127.0.0.1:5432 (listening), an established connection from it, sshd on 0.0.0.0:22.
constexpr const char* kTcp =
    "   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   105        0 "
    "41234 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0100007F:1538 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000   105        0 "
    "41299 1 0000000000000000 20 4 30 10 -1\n"
    "   2: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
    "1510 1 0000000000000000 100 0 0 10 0\n";

// [::]:3000 and ::ffff:127.0.0.1:8025 (an IPv4-mapped listener).
constexpr const char* kTcp6 =
    "   0: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000  1000        0 52000 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0000000000000000FFFF00000100007F:1F59 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000  1000        0 52001 1 0000000000000000 100 0 0 10 0\n";

// dnsmasq-like 0.0.0.0:53/udp.
constexpr const char* kUdp =
    "   5: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 "
    "7777 2 0000000000000000 0\n";

TEST(ParseProcNet, ListeningSocketsOnly) {
  auto v4 = parse_proc_net(std::string(kTcpHeader) + kTcp, Protocol::kTcp, false);
  ASSERT_EQ(v4.size(), 2u);
  EXPECT_EQ(v4[0].address, "127.0.0.1");
  EXPECT_EQ(v4[0].port, 5432);
  EXPECT_EQ(v4[0].inode, 41234u);
  EXPECT_EQ(v4[1].address, "0.0.0.0");
  EXPECT_EQ(v4[1].port, 22);
  auto v6 = parse_proc_net(kTcp6, Protocol::kTcp, true);
  ASSERT_EQ(v6.size(), 2u);
  EXPECT_EQ(v6[0].address, "::");
  EXPECT_EQ(v6[0].port, 3000);
  EXPECT_EQ(v6[1].address, "127.0.0.1");
  EXPECT_EQ(v6[1].port, 8025);
  auto udp = parse_proc_net(kUdp, Protocol::kUdp, false);
  ASSERT_EQ(udp.size(), 1u);
  EXPECT_EQ(udp[0].port, 53);
  EXPECT_TRUE(
      parse_proc_net("garbage\n 0: zz:1 x 0A a b c d e f\n", Protocol::kTcp, false).empty());
}

FakeProcFs machine() {
  FakeProcFs proc;
  proc.files["/proc/net/tcp"] = std::string(kTcpHeader) + kTcp;
  proc.files["/proc/net/tcp6"] = kTcp6;
  proc.files["/proc/net/udp"] = kUdp;
  proc.folders["/proc"] = {"1", "812", "self", "2000", "net"};
  proc.folders["/proc/812/fd"] = {"0", "1", "7"};
  proc.links["/proc/812/fd/0"] = "/dev/null";
  proc.links["/proc/812/fd/7"] = "socket:[41234]";
  proc.files["/proc/812/comm"] = "postgres\n";
  proc.folders["/proc/2000/fd"] = {"3"};
  proc.links["/proc/2000/fd/3"] = "socket:[52000]";
  proc.files["/proc/2000/comm"] = "node\n";
  return proc;
}

TEST(ReadHostSockets, OwnersFromFdLinks) {
  FakeProcFs proc = machine();
  auto sockets = read_host_sockets(proc);
  ASSERT_EQ(sockets.size(), 5u);
  EXPECT_EQ(sockets[0].pid, 812);
  EXPECT_EQ(sockets[0].process, "postgres");
  EXPECT_EQ(sockets[1].pid, 0);  // sshd's fds are not readable
  EXPECT_EQ(sockets[2].process, "node");
}

PublishedHostPort published(std::string service, std::string host_ip, uint16_t host_port,
                            Protocol protocol = Protocol::kTcp) {
  PortMapping port;
  port.host_ip = std::move(host_ip);
  port.host_port = host_port;
  port.container_port = host_port;
  port.protocol = protocol;
  return {std::move(service), port};
}

TEST(CheckPort, HeldByAProcessOfTheHost) {
  FakeProcFs proc = machine();
  auto sockets = read_host_sockets(proc);
  CheckResult held = check_port(published("postgres", "127.0.0.1", 5432), sockets, {});
  EXPECT_EQ(held.name, "port.5432");
  EXPECT_EQ(render_checks({held}),
            "fail  port 5432 on 127.0.0.1 (postgres) is held by postgres (pid 812): stop it, or "
            "publish postgres on another host port (`ports:` in fusion.local.yaml)\n"
            "1 check: 0 ok, 0 warnings, 1 failure\n");
  // Every interface collides with a listener on one; [::] collides with anything.
  EXPECT_EQ(check_port(published("db", "", 5432), sockets, {}).level, CheckLevel::kFail);
  EXPECT_EQ(check_port(published("web", "127.0.0.1", 3000), sockets, {}).message,
            "port 3000 on 127.0.0.1 (web) is held by node (pid 2000)");
  EXPECT_EQ(check_port(published("ssh", "", 22), sockets, {}).message,
            "port 22 (ssh) is in use on 0.0.0.0 by a process fusion cannot see (another user's: "
            "`sudo ss -ltnup` names it)");
  EXPECT_EQ(check_port(published("dns", "", 53, Protocol::kUdp), sockets, {}).name, "port.53/udp");
}

TEST(CheckPort, FreeOnAnotherAddressOrProtocol) {
  FakeProcFs proc = machine();
  auto sockets = read_host_sockets(proc);
  EXPECT_EQ(check_port(published("db", "127.0.0.2", 5432), sockets, {}).message,
            "port 5432 on 127.0.0.2 (db) is free");
  EXPECT_EQ(check_port(published("db", "", 5432, Protocol::kUdp), sockets, {}).level,
            CheckLevel::kOk);
  EXPECT_EQ(check_port(published("mail", "", 1025), sockets, {}).level, CheckLevel::kOk);
}

TEST(CheckPort, TheStacksOwnRunningContainerIsFine) {
  FakeProcFs proc = machine();
  auto sockets = read_host_sockets(proc);
  ContainerInfo own;
  own.name = "shop-postgres";
  own.state = ContainerState::kRunning;
  own.ports = {{"127.0.0.1", 5432, 5432, "tcp"}};
  CheckResult check = check_port(published("postgres", "127.0.0.1", 5432), sockets, {own});
  EXPECT_EQ(check.level, CheckLevel::kOk);
  EXPECT_EQ(check.message,
            "port 5432 on 127.0.0.1 (postgres) is published by this stack's "
            "shop-postgres");
  own.state = ContainerState::kExited;  // an exited one holds nothing: someone else does
  EXPECT_EQ(check_port(published("postgres", "127.0.0.1", 5432), sockets, {own}).level,
            CheckLevel::kFail);
}

TEST(PublishedHostPorts, ExplicitHostPortsOnly) {
  Registry registry;
  Service db;
  db.name.value = "db";
  db.ports = {published("db", "127.0.0.1", 5432).port, published("db", "", 0).port};
  registry.services = {db};
  auto ports = published_host_ports(registry);
  ASSERT_EQ(ports.size(), 1u);
  EXPECT_EQ(ports[0].port.host_port, 5432);
}

}  // namespace
}  // namespace fusion
