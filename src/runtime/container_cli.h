#pragma once
// ContainerRuntime over a Docker-compatible command line: podman and docker take the same verbs
// and flags for everything fusion does, and print the same `inspect` JSON. The few differences
// are the virtual hooks; runtime/podman.h and runtime/docker.h fill them in.
//
// Secrets never reach a command line: a container's env goes through a 0600 file that is
// removed once the container is created.

#include <memory>
#include <string>

#include "runtime/container_runtime.h"
#include "util/subprocess.h"

namespace fusion {

class ContainerCli : public ContainerRuntime {
 public:
  /// `program` is run through `runner`; `env` is added to its environment (e.g. DOCKER_HOST).
  ContainerCli(std::string program, ProcessRunner& runner,
               std::vector<std::pair<std::string, std::string>> env = {});

  std::string name() const override { return program_; }
  bool image_exists(const std::string& reference) override;
  Status build_image(const ImageBuild& build) override;
  std::vector<std::string> image_healthcheck(const std::string& reference) override;
  Status ensure_network(const std::string& name, const std::map<std::string, std::string>& labels,
                        const std::vector<std::string>& flags) override;
  Status ensure_volume(const std::string& name, const std::map<std::string, std::string>& labels,
                       const std::vector<std::string>& flags) override;
  Status remove_network(const std::string& name) override;
  Status remove_volume(const std::string& name) override;
  Result<std::vector<std::string>> networks_labelled(const std::string& label,
                                                     const std::string& value) override;
  Result<std::vector<std::string>> volumes_labelled(const std::string& label,
                                                    const std::string& value) override;
  Result<std::vector<ContainerInfo>> containers_labelled(const std::string& label,
                                                         const std::string& value) override;
  Result<ContainerInfo> inspect(const std::string& container) override;
  Status create(const ContainerSpec& spec) override;
  Status start(const std::string& container) override;
  Status stop(const std::string& container, std::chrono::seconds grace) override;
  Status remove(const std::string& container) override;
  Result<int> wait(const std::string& container) override;
  ProcessResult exec(const std::string& container, const std::vector<std::string>& argv,
                     std::chrono::milliseconds timeout) override;
  Result<std::string> logs(const std::string& container, size_t tail, bool timestamps,
                           const std::string& since) override;

 protected:
  /// The Go template that prints an image's healthcheck as JSON (`{"Test": […]}` or null).
  virtual std::string healthcheck_template() const = 0;
  /// Flags every `build` needs on this engine.
  virtual std::vector<std::string> build_flags() const { return {}; }

 private:
  ProcessResult run(std::vector<std::string> args, std::chrono::milliseconds timeout = {});
  Status run_status(std::vector<std::string> args);
  Status create_unless_exists(const std::string& kind, const std::string& name,
                              const std::map<std::string, std::string>& labels,
                              const std::vector<std::string>& flags);
  Result<std::vector<std::string>> names_labelled(const std::string& kind, const std::string& label,
                                                  const std::string& value);
  Result<std::vector<ContainerInfo>> inspect_all(const std::vector<std::string>& ids);

  std::string program_;
  ProcessRunner& runner_;
  std::vector<std::pair<std::string, std::string>> env_;
};

/// The `create` arguments of a spec (without the program and the env file): for tests and
/// --dry-run output.
std::vector<std::string> create_arguments(const ContainerSpec& spec);

/// Parses the JSON array `inspect` prints; podman's and docker's shapes both.
Result<std::vector<ContainerInfo>> parse_container_inspect(const std::string& json);

}  // namespace fusion
