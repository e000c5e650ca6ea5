#pragma once
// `fusion status`: one row per service of the registry (and per container of the stack whose
// service it no longer has): state, health probed now, image, published ports and URL.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "registry/model.h"
#include "runtime/container_runtime.h"
#include "runtime/health_probe.h"

namespace fusion {

struct ServiceStatus {
  std::string service;
  std::string state;     ///< "running", "exited (1)", "not created", …
  std::string health;    ///< "healthy", "unhealthy: GET …: 503", "-" without a check
  std::string image;     ///< "local 3f2a9c01…" or the released reference
  std::string ports;     ///< "127.0.0.1:5432->5432/tcp, …"
  std::string url;       ///< http://localhost:<port> of the first published tcp port
  bool problem = false;  ///< not running, unhealthy or a failed one-shot
};

/// `prober` probes running services with a health check (in parallel); null: not probed.
std::vector<ServiceStatus> stack_status(const Registry& registry,
                                        const std::vector<ContainerInfo>& containers,
                                        Prober* prober);

std::string render_status(const std::vector<ServiceStatus>& rows);
nlohmann::json status_to_json(const std::vector<ServiceStatus>& rows);

}  // namespace fusion
