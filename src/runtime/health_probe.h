#pragma once
// One health probe of a running container, as fusion runs them itself (no engine runs
// healthchecks here, and fusion wants the answer the moment it is true):
//   http       GET http://<container address>:<port><path>; 2xx and 3xx pass
//   tcp        a TCP connection to <container address>:<port> is accepted
//   exec       the command runs inside the container and exits 0
//   container  the image's own HEALTHCHECK command, run inside the container on demand
// Every probe is bounded by the check's timeout. A container that is no longer running fails
// the probe for good (kGone), so nobody waits out the retries of a crashed service.
//
// RuntimeProber asks the engine for a container's address once and keeps it; it asks again
// (and checks the container still runs) only when a probe fails, so probing a healthy stack
// costs no engine call for http and tcp checks.

#include <map>
#include <mutex>
#include <string>

#include "registry/model.h"
#include "runtime/container_runtime.h"

namespace fusion {

struct ProbeResult {
  enum Verdict { kPass, kFail, kGone };
  Verdict verdict = kFail;
  std::string detail;  ///< what was tried and what came back: "GET …/healthz: 503"
};

class Prober {
 public:
  virtual ~Prober() = default;
  /// `port` is the probed port (probed_port(service)); unused by exec and container checks.
  virtual ProbeResult probe(const std::string& container, const HealthCheck& check,
                            uint16_t port) = 0;
};

class RuntimeProber : public Prober {
 public:
  explicit RuntimeProber(ContainerRuntime& runtime) : runtime_(runtime) {}
  ProbeResult probe(const std::string& container, const HealthCheck& check, uint16_t port) override;

 private:
  /// The container's address and image, from the cache or the engine; kGone when not running.
  ProbeResult look_up(const std::string& container, bool refresh, ContainerInfo& info);
  ProbeResult probe_once(const ContainerInfo& info, const HealthCheck& check, uint16_t port);
  ProbeResult probe_image_check(const ContainerInfo& info, const HealthCheck& check);
  ContainerRuntime& runtime_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::string>> image_checks_;  ///< image → its test
  std::map<std::string, ContainerInfo> containers_;               ///< running, by name
};

/// The probe of an http check: GET `url` within `timeout`; pass on 2xx and 3xx.
ProbeResult probe_http(const std::string& url, std::chrono::milliseconds timeout);
/// The probe of a tcp check: a connection to `host`:`port` accepted within `timeout`.
ProbeResult probe_tcp(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);
/// An image's HEALTHCHECK test as a command to exec: ["CMD", a, b] → [a, b];
/// ["CMD-SHELL", s] → ["/bin/sh", "-c", s]; anything else → empty.
std::vector<std::string> healthcheck_command(const std::vector<std::string>& test);

}  // namespace fusion
