#pragma once
// For integration tests: `git daemon` serving the bare repositories of a folder on 127.0.0.1 at
// a free port, started and waited for (it answers ls-remote), and stopped with the object.

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "util/file.h"
#include "util/subprocess.h"

namespace fusion::testing {

/// A TCP port nothing listens on right now.
inline uint16_t free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
  close(s);
  return ntohs(addr.sin_port);
}

class TestGitDaemon {
 public:
  ~TestGitDaemon() { stop(); }
  void stop() {
    if (pid_ > 0) kill(pid_, SIGTERM);
    pid_ = -1;
  }

  /// Serves `base` (its `<name>.git` folders); `probe` names one to wait for. Use with
  /// ASSERT_NO_FATAL_FAILURE.
  void start(const std::filesystem::path& base, const std::string& probe) {
    port_ = free_port();
    std::filesystem::path pid_file = base.parent_path() / "daemon.pid";
    ProcessResult r = runner_.run(
        {.argv = {"git", "daemon", "--reuseaddr", "--export-all", "--detach", "--listen=127.0.0.1",
                  "--port=" + std::to_string(port_), "--base-path=" + base.string(),
                  "--pid-file=" + pid_file.string(), base.string()}});
    ASSERT_TRUE(r.ok()) << r.err;
    // git daemon creates the pid file before it writes the pid: wait for a whole line.
    std::string pid;
    for (int i = 0; i < 250 && pid.find('\n') == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (auto text = read_file(pid_file)) pid = *text;
    }
    ASSERT_NE(pid.find('\n'), std::string::npos) << "git daemon wrote no pid to " << pid_file;
    pid_ = std::stoi(pid);
    for (int i = 0; i < 100; ++i) {  // until it answers
      if (runner_.run({.argv = {"git", "ls-remote", url(probe)}}).ok()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::string url(const std::string& name) const {
    return fmt::format("git://127.0.0.1:{}/{}.git", port_, name);
  }

 private:
  SystemProcessRunner runner_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace fusion::testing
