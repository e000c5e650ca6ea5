#pragma once
// The podman engine through its command line.

#include "runtime/container_cli.h"

namespace fusion {

class PodmanRuntime : public ContainerCli {
 public:
  explicit PodmanRuntime(ProcessRunner& runner,
                         std::vector<std::pair<std::string, std::string>> env = {})
      : ContainerCli("podman", runner, std::move(env)) {}

 protected:
  /// podman keeps an image's healthcheck at the top of `image inspect`.
  std::string healthcheck_template() const override { return "{{json .HealthCheck}}"; }
  /// podman builds OCI images by default, and the OCI format has no HEALTHCHECK: the Docker
  /// format keeps the one a Dockerfile declares, which `health: { container: true }` runs.
  std::vector<std::string> build_flags() const override { return {"--format", "docker"}; }
};

}  // namespace fusion
