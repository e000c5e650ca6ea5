#include "runtime/health_probe.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace fusion {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::StartsWith;

/// A listening socket on 127.0.0.1 that answers each connection with `reply` (if any).
class LoopbackServer {
 public:
  explicit LoopbackServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 4);
    thread_ = std::thread([this] {
      int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      char buffer[1024];
      if (!reply_.empty() && read(client, buffer, sizeof buffer) > 0) {
        (void)!write(client, reply_.data(), reply_.size());
      }
      close(client);
    });
  }
  ~LoopbackServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  uint16_t port() const { return port_; }

 private:
  std::string reply_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
};

TEST(HealthProbeTest, HttpPassesOn2xxAnd3xxOnly) {
  {
    LoopbackServer ok("HTTP/1.0 204 No Content\r\n\r\n");
    ProbeResult r = probe_http("http://127.0.0.1:" + std::to_string(ok.port()) + "/healthz", 2s);
    EXPECT_EQ(r.verdict, ProbeResult::kPass) << r.detail;
  }
  LoopbackServer unavailable("HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
  std::string url = "http://127.0.0.1:" + std::to_string(unavailable.port()) + "/healthz";
  ProbeResult r = probe_http(url, 2s);
  EXPECT_EQ(r.verdict, ProbeResult::kFail);
  EXPECT_EQ(r.detail, "GET " + url + ": 503");
}

TEST(HealthProbeTest, TcpPassesWhenAConnectionIsAccepted) {
  LoopbackServer listening("");
  EXPECT_EQ(probe_tcp("127.0.0.1", listening.port(), 1s).verdict, ProbeResult::kPass);
  uint16_t closed_port = 0;
  {
    LoopbackServer gone("");
    closed_port = gone.port();
  }
  ProbeResult r = probe_tcp("127.0.0.1", closed_port, 1s);
  EXPECT_EQ(r.verdict, ProbeResult::kFail);
  EXPECT_THAT(r.detail, StartsWith("connect 127.0.0.1:"));
}

TEST(HealthProbeTest, ImageHealthchecksBecomeCommands) {
  EXPECT_THAT(healthcheck_command({"CMD", "pg_isready", "-U", "app"}),
              ElementsAre("pg_isready", "-U", "app"));
  EXPECT_THAT(healthcheck_command({"CMD-SHELL", "curl -f localhost || exit 1"}),
              ElementsAre("/bin/sh", "-c", "curl -f localhost || exit 1"));
  EXPECT_THAT(healthcheck_command({"NONE"}), ElementsAre());
}

}  // namespace
}  // namespace fusion
