#pragma once
// The docker engine through its command line (or anything that speaks Docker's API to it, such
// as `podman system service`, reached through DOCKER_HOST).

#include "runtime/container_cli.h"

namespace fusion {

class DockerRuntime : public ContainerCli {
 public:
  explicit DockerRuntime(ProcessRunner& runner,
                         std::vector<std::pair<std::string, std::string>> env = {})
      : ContainerCli("docker", runner, std::move(env)) {}

 protected:
  /// docker keeps an image's healthcheck under its config.
  std::string healthcheck_template() const override { return "{{json .Config.Healthcheck}}"; }
};

}  // namespace fusion
