#pragma once
// What fusion asks of a container engine: images, networks, volumes and containers, all named
// and labelled by fusion so that the engine itself is the state (a lost local file loses
// nothing). PodmanRuntime and DockerRuntime implement it over their CLIs; tests use fakes.
//
// Every call is synchronous and safe to call from several threads at once. Failures are
// expected (a build breaks, an image is missing) and come back as Status/Result with the
// engine's own message.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"
#include "util/subprocess.h"

namespace fusion {

/// Labels fusion puts on everything it creates.
inline constexpr const char* kStackLabel = "io.fusion.stack";
inline constexpr const char* kServiceLabel = "io.fusion.service";
inline constexpr const char* kConfigHashLabel = "io.fusion.config-hash";

struct ImageBuild {
  std::string context;     ///< absolute folder
  std::string dockerfile;  ///< absolute path
  std::string tag;
  std::string target;
  std::map<std::string, std::string> args;
  std::map<std::string, std::string> labels;
};

struct PublishedPort {
  std::string host_ip;  ///< empty: every interface
  uint16_t host_port = 0;
  uint16_t container_port = 0;
  std::string protocol = "tcp";
};

struct Mount {
  std::string source;  ///< a volume name, or an absolute host path
  std::string target;
  bool read_only = false;
  std::vector<std::string> options{};  ///< "z", "Z", "nocopy", "rshared", …
};

struct NetworkJoin {
  std::string network;
  std::vector<std::string> aliases;
};

/// A file fusion writes on the host before the container is created, to bind-mount it: a
/// secret or config whose value comes from the store, a variable or the registry.
struct HostFile {
  std::string path;  ///< absolute
  std::string content;
  uint32_t mode = 0444;
};

/// Everything a container is created from. Its config hash (container_spec.h) covers all of it.
struct ContainerSpec {
  std::string name{};
  std::string image{};
  std::vector<std::string> command{};  ///< empty: the image's
  std::vector<std::pair<std::string, std::string>> env{};
  std::vector<PublishedPort> ports{};
  std::vector<Mount> mounts{};
  std::vector<NetworkJoin> networks{};  ///< the first is the primary one
  std::map<std::string, std::string> labels{};
  uint64_t memory_bytes = 0;  ///< 0: no limit
  uint32_t millicpus = 0;     ///< 0: no limit
  /// Flags both engines' `create` take the same way, in order, from the registry's compose
  /// keys: {"--user", "1000:1000"}, {"--restart", "on-failure:3"}, {"--privileged", ""}, …
  std::vector<std::pair<std::string, std::string>> options{};
  bool init = true;               ///< --init: a shell-script service stops on SIGTERM
  std::vector<HostFile> files{};  ///< written before create; mounted through `mounts`
};

enum class ContainerState { kCreated, kRunning, kExited, kOther };

/// A container as the engine reports it.
struct ContainerInfo {
  std::string name;
  std::string id;
  std::string image;  ///< the reference it was created from
  ContainerState state = ContainerState::kOther;
  std::string status;  ///< the engine's word: "running", "exited", …
  int exit_code = 0;
  std::string started_at;   ///< RFC 3339, as the engine writes it
  std::string finished_at;  ///< RFC 3339; empty while running
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> ip_addresses;  ///< network → address
  std::vector<PublishedPort> ports;
};

class ContainerRuntime {
 public:
  virtual ~ContainerRuntime() = default;
  /// "podman" or "docker": for messages.
  virtual std::string name() const = 0;

  virtual bool image_exists(const std::string& reference) = 0;
  /// Builds and tags; on failure the error holds the build's output.
  virtual Status build_image(const ImageBuild& build) = 0;
  /// The image's own HEALTHCHECK test (["CMD-SHELL", "…"] or ["CMD", …]); empty when none.
  virtual std::vector<std::string> image_healthcheck(const std::string& reference) = 0;

  /// Creates the network or volume unless it exists; `flags` go to `network create` /
  /// `volume create` as they are ("--driver", "bridge", "--subnet", "10.5.0.0/24", …).
  virtual Status ensure_network(const std::string& name,
                                const std::map<std::string, std::string>& labels,
                                const std::vector<std::string>& flags) = 0;
  virtual Status ensure_volume(const std::string& name,
                               const std::map<std::string, std::string>& labels,
                               const std::vector<std::string>& flags) = 0;
  virtual Status remove_network(const std::string& name) = 0;
  virtual Status remove_volume(const std::string& name) = 0;
  /// Names of the networks / volumes carrying `label=value`.
  virtual Result<std::vector<std::string>> networks_labelled(const std::string& label,
                                                             const std::string& value) = 0;
  virtual Result<std::vector<std::string>> volumes_labelled(const std::string& label,
                                                            const std::string& value) = 0;

  /// Every container (running or not) carrying `label=value`, by name.
  virtual Result<std::vector<ContainerInfo>> containers_labelled(const std::string& label,
                                                                 const std::string& value) = 0;
  virtual Result<ContainerInfo> inspect(const std::string& container) = 0;

  virtual Status create(const ContainerSpec& spec) = 0;
  virtual Status start(const std::string& container) = 0;
  /// SIGTERM, then SIGKILL after `grace`.
  virtual Status stop(const std::string& container, std::chrono::seconds grace) = 0;
  /// Removes it, stopped or not; fine when it does not exist.
  virtual Status remove(const std::string& container) = 0;
  /// Blocks until the container exits; its exit code.
  virtual Result<int> wait(const std::string& container) = 0;
  /// Runs a command inside a running container.
  virtual ProcessResult exec(const std::string& container, const std::vector<std::string>& argv,
                             std::chrono::milliseconds timeout) = 0;
  /// The last `tail` lines of the container's output (stdout and stderr); 0: all. With
  /// `timestamps`, each line starts with an RFC 3339 time and a space.
  virtual Result<std::string> logs(const std::string& container, size_t tail,
                                   bool timestamps = false, const std::string& since = "") = 0;
};

}  // namespace fusion
