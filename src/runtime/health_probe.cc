#include "runtime/health_probe.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fusion {

namespace {

size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string first_address(const ContainerInfo& info) {
  return info.ip_addresses.empty() ? "" : info.ip_addresses.begin()->second;
}

std::string exec_detail(const std::vector<std::string>& argv, const ProcessResult& r) {
  std::string command;
  for (const std::string& a : argv) command += (command.empty() ? "" : " ") + a;
  if (r.timed_out) return command + ": timed out";
  std::string last = r.last_line();
  return fmt::format("{}: exit {}{}", command, r.exit_code, last.empty() ? "" : ": " + last);
}

}  // namespace

ProbeResult probe_http(const std::string& url, std::chrono::milliseconds timeout) {
  init_curl_once();
  CURL* curl = curl_easy_init();
  if (!curl) return {ProbeResult::kFail, "GET " + url + ": cannot start libcurl"};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_body);
  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) return {ProbeResult::kFail, "GET " + url + ": " + curl_easy_strerror(code)};
  bool pass = status >= 200 && status < 400;
  return {pass ? ProbeResult::kPass : ProbeResult::kFail, fmt::format("GET {}: {}", url, status)};
}

ProbeResult probe_tcp(const std::string& host, uint16_t port, std::chrono::milliseconds timeout) {
  std::string what = fmt::format("connect {}:{}", host, port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return {ProbeResult::kFail, what + ": not an IPv4 address"};
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return {ProbeResult::kFail, what + ": " + std::strerror(errno)};
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int error = rc == 0 ? 0 : errno;
  if (error == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    int ready = poll(&p, 1, static_cast<int>(timeout.count()));
    socklen_t len = sizeof error;
    if (ready <= 0) {
      error = ETIMEDOUT;
    } else {
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    }
  }
  ::close(fd);
  if (error != 0) return {ProbeResult::kFail, what + ": " + std::strerror(error)};
  return {ProbeResult::kPass, what + ": accepted"};
}

std::vector<std::string> healthcheck_command(const std::vector<std::string>& test) {
  if (test.size() >= 2 && test[0] == "CMD") return {test.begin() + 1, test.end()};
  if (test.size() == 2 && test[0] == "CMD-SHELL") return {"/bin/sh", "-c", test[1]};
  return {};
}

ProbeResult RuntimeProber::look_up(const std::string& container, bool refresh,
                                   ContainerInfo& info) {
  {
    std::lock_guard lock(mutex_);
    auto it = containers_.find(container);
    if (!refresh && it != containers_.end()) {
      info = it->second;
      return {ProbeResult::kPass, ""};
    }
  }
  auto inspected = runtime_.inspect(container);
  if (!inspected) return {ProbeResult::kGone, inspected.error()};
  if (inspected->state != ContainerState::kRunning) {
    return {ProbeResult::kGone, fmt::format("the container {} (exit code {})", inspected->status,
                                            inspected->exit_code)};
  }
  info = *inspected;
  std::lock_guard lock(mutex_);
  containers_[container] = info;
  return {ProbeResult::kPass, ""};
}

ProbeResult RuntimeProber::probe(const std::string& container, const HealthCheck& check,
                                 uint16_t port) {
  ContainerInfo known;
  if (ProbeResult found = look_up(container, false, known); found.verdict != ProbeResult::kPass) {
    return found;
  }
  ProbeResult result = probe_once(known, check, port);
  if (result.verdict == ProbeResult::kPass) return result;
  // A failure: is the container still running, and where we thought (a recreated one moves)?
  ContainerInfo now;
  if (ProbeResult found = look_up(container, true, now); found.verdict != ProbeResult::kPass) {
    return found;
  }
  if (first_address(now) == first_address(known)) return result;
  return probe_once(now, check, port);
}

ProbeResult RuntimeProber::probe_once(const ContainerInfo& info, const HealthCheck& check,
                                      uint16_t port) {
  auto timeout = std::chrono::milliseconds(check.timeout.count());
  switch (check.kind) {
    case HealthKind::kHttp:
      return probe_http(fmt::format("http://{}:{}{}", first_address(info), port,
                                    check.http_path.empty() ? "/" : check.http_path),
                        timeout);
    case HealthKind::kTcp:
      return probe_tcp(first_address(info), port, timeout);
    case HealthKind::kExec: {
      ProcessResult r = runtime_.exec(info.name, check.command, timeout);
      return {r.ok() ? ProbeResult::kPass : ProbeResult::kFail, exec_detail(check.command, r)};
    }
    case HealthKind::kContainer:
      return probe_image_check(info, check);
  }
  return {ProbeResult::kFail, "unknown health check"};
}

ProbeResult RuntimeProber::probe_image_check(const ContainerInfo& info, const HealthCheck& check) {
  std::vector<std::string> command;
  {
    std::lock_guard lock(mutex_);
    auto it = image_checks_.find(info.image);
    if (it == image_checks_.end()) {
      it = image_checks_.emplace(info.image, runtime_.image_healthcheck(info.image)).first;
    }
    command = healthcheck_command(it->second);
  }
  if (command.empty())
    return {ProbeResult::kFail, "the image " + info.image + " has no HEALTHCHECK"};
  ProcessResult r =
      runtime_.exec(info.name, command, std::chrono::milliseconds(check.timeout.count()));
  return {r.ok() ? ProbeResult::kPass : ProbeResult::kFail, exec_detail(command, r)};
}

}  // namespace fusion
