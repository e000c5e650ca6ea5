#pragma once
// The registry model: plain structs read from fusion.yaml (and fusion.local.yaml). Every value
// keeps the position it was read from. The loader fills it; nothing here does I/O.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "registry/source.h"
#include "util/duration.h"

namespace fusion {

template <class T>
struct Located {
  T value{};
  SourcePos pos;  ///< of the value; unknown when absent from the file
  bool present() const { return pos.file != SourcePos::kNoFile; }
};

using Text = Located<std::string>;

enum class DependencyCondition { kStarted, kHealthy, kCompleted };
const char* condition_name(DependencyCondition c);

struct Dependency {
  Text service;
  DependencyCondition condition = DependencyCondition::kStarted;
  SourcePos condition_pos;
};

enum class Protocol { kTcp, kUdp };

/// A port as compose writes it: "8080", "8080:80", "127.0.0.1:5432:5432", "53/udp".
struct PortMapping {
  std::string host_ip;     ///< empty: every interface
  uint16_t host_port = 0;  ///< 0: not published on the host
  uint16_t container_port = 0;
  Protocol protocol = Protocol::kTcp;
  SourcePos pos;
};

/// An env value: a literal (which may hold ${VAR} and ${secret:name}) or a whole secret.
struct EnvVar {
  Text name;
  std::string value;
  std::optional<Text> secret;  ///< set for `{secret: name}`
  SourcePos value_pos;
};

enum class HealthKind { kHttp, kTcp, kExec, kContainer };
const char* health_kind_name(HealthKind k);

struct HealthCheck {
  HealthKind kind = HealthKind::kHttp;
  SourcePos pos;                     ///< of the `health` key's value
  std::string http_path;             ///< kHttp
  Located<uint16_t> port;            ///< kHttp and kTcp; absent: the service's only port
  std::vector<std::string> command;  ///< kExec
  Duration interval{2'000};
  Duration timeout{2'000};
  uint32_t retries = 30;
  Duration start_period{0};
};

struct Resources {
  std::optional<Located<uint64_t>> memory_bytes;
  std::optional<Located<uint32_t>> millicpus;
};

/// "pgdata:/var/lib/postgresql/data", "./conf:/etc/app:ro,z", or compose's long form.
struct VolumeMount {
  std::string source;  ///< a named volume, or a host path (starts with . / ~ or $)
  std::string target;
  bool read_only = false;
  bool named = false;
  /// Compose's other flags, as written: "z", "Z", "nocopy", "rshared" … (never "ro"/"rw").
  std::vector<std::string> options;
  SourcePos pos;
};

/// `tmpfs: ["/run", "/tmp:size=64m,mode=1777"]`.
struct TmpfsMount {
  std::string target;
  std::string options;      ///< as the engine takes them ("size=64m,mode=1777"); may be empty
  uint64_t size_bytes = 0;  ///< from size=; 0: unbounded
  SourcePos pos;
};

enum class RestartPolicy { kNo, kAlways, kOnFailure, kUnlessStopped };
const char* restart_policy_name(RestartPolicy p);

struct Restart {
  RestartPolicy policy = RestartPolicy::kNo;
  uint32_t max_retries = 0;  ///< on-failure:N; 0: unbounded
  SourcePos pos;
};

struct Ulimit {
  std::string name;  ///< nofile, nproc, memlock, …
  int64_t soft = 0;  ///< -1: unlimited
  int64_t hard = 0;
  SourcePos pos;
};

/// `extra_hosts: ["host.docker.internal:host-gateway", "db=10.0.0.5"]`.
struct HostEntry {
  std::string host;
  std::string address;
  SourcePos pos;
};

/// Compose's `gpus` and `deploy.resources.reservations.devices` with a gpu capability.
struct GpuRequest {
  int64_t count = -1;  ///< -1: all
  std::vector<std::string> device_ids;
  std::string driver;  ///< "nvidia" unless given
  SourcePos pos;
};

/// An env file read when the container is created (relative to fusion.yaml).
struct EnvFile {
  Text path;
  bool required = true;
};

/// A top-level secret or config a service mounts as a file: `file: ./x`, `environment: VAR`,
/// `content: text` (configs), or for a secret with none of them fusion's secret store entry of
/// the same name.
struct FileSource {
  Text name;
  Text file;         ///< relative to fusion.yaml
  Text environment;  ///< a variable's value
  Text content;
  bool external = false;
  SourcePos pos;
  bool from_store() const {
    return !file.present() && !environment.present() && !content.present();
  }
};

/// A service's use of a secret or config: `[name]` or `[{source, target, uid, gid, mode}]`.
/// Secrets land in /run/secrets/<target or name>, configs at <target> or /<name>.
struct FileMount {
  Text source;
  std::string target;  ///< as written; empty: the default place
  std::string uid, gid;
  std::optional<uint32_t> mode;
  SourcePos pos;
};

struct NetworkAttachment {
  Text name;
  std::vector<Text> aliases;
};

struct Build {
  Text context;     ///< relative to the service's source folder; "." by default
  Text dockerfile;  ///< "Dockerfile" by default
  Text target;
  std::map<std::string, std::string> args;
  SourcePos pos;
};

struct Service {
  Text name;
  Text description;
  Text group;
  Text phase;
  Text image;
  Text repo;
  Text path;
  Text subdomain;
  std::optional<Build> build;
  std::vector<std::string> command;
  std::vector<EnvVar> env;
  std::vector<PortMapping> ports;
  std::vector<PortMapping> expose;  ///< container ports others reach, never published
  std::vector<VolumeMount> volumes;
  std::vector<NetworkAttachment> networks;
  std::vector<Dependency> depends_on;
  std::optional<HealthCheck> health;
  Resources resources;
  std::vector<Text> profiles;
  std::map<std::string, std::string> labels;

  // Compose's names and forms for how the container runs (docs/registry.md).
  std::optional<std::vector<std::string>> entrypoint;  ///< set and empty: the image's is cleared
  std::optional<Restart> restart;
  std::vector<EnvFile> env_files;
  Text user, working_dir, hostname, container_name, stop_signal, platform, pull_policy, pid;
  std::vector<HostEntry> extra_hosts;
  std::vector<Text> dns, cap_add, cap_drop, security_opt, devices, group_add;
  std::vector<TmpfsMount> tmpfs;
  std::optional<Located<uint64_t>> shm_size;
  std::vector<Ulimit> ulimits;
  std::optional<Located<bool>> privileged, read_only, init;
  std::vector<GpuRequest> gpus;
  std::optional<Located<Duration>> stop_grace_period;
  std::map<std::string, std::string> sysctls;
  std::vector<FileMount> secrets, configs;
  std::optional<Located<int64_t>> replicas;

  /// Runs from local source rather than `image`: set when the service has no image, or when
  /// fusion.local.yaml or --local chooses it.
  bool local = false;

  bool has_source() const { return repo.present() || path.present(); }
};

/// The port an http or tcp health check probes: its `port`, else the service's only tcp port
/// (of `ports` and `expose`); 0 when there is none (the validator reports that).
uint16_t probed_port(const Service& service);

struct ContainerPort {
  uint16_t port = 0;
  Protocol protocol = Protocol::kTcp;
  bool operator==(const ContainerPort&) const = default;
};

/// Every port the service's container listens on, as far as the registry says: `ports`, then
/// `expose`, then the port its http/tcp health check probes; each once, in that order.
std::vector<ContainerPort> container_ports(const Service& service);

struct Phase {
  Text name;
  Located<int64_t> order;
  std::optional<Located<Duration>> timeout;
  std::string description;
};

struct Repo {
  Text name;
  Text url;
  Text branch;
};

struct Volume {
  Text name;
  bool external = false;
  Text external_name;  ///< `name:`: the engine's name for it, instead of <stack>_<volume>
  std::string driver;
  std::map<std::string, std::string> driver_opts;
};

struct Subnet {
  std::string subnet;  ///< CIDR
  std::string gateway;
  std::string ip_range;
  SourcePos pos;
};

struct Network {
  Text name;
  bool internal = false;
  bool external = false;
  Text external_name;  ///< `name:`: the engine's name for it, instead of <stack>_<network>
  std::string driver;
  std::map<std::string, std::string> driver_opts;
  std::vector<Subnet> subnets;  ///< from ipam.config
};

/// Where one developer runs the stack: fusion.local.yaml's `target` and `kubernetes`, which
/// the command line overrides.
struct RunTarget {
  Text target;  ///< "engine" or "kubernetes"; empty: the engine
  Text context;
  Text namespace_;
  Text kubeconfig;  ///< relative to the overlay's folder as written
  Text loader;
};

struct Registry {
  SourcePos origin;  ///< line 1 of fusion.yaml, for what is missing altogether
  Located<int64_t> version;
  Text name;
  Text domain;
  Text workspace_root;
  Text workspace_layout;  ///< "flat" or "gopath"
  std::vector<Repo> repos;
  std::vector<Phase> phases;
  std::vector<Service> services;
  std::vector<Volume> volumes;
  std::vector<Network> networks;
  std::vector<FileSource> secrets;
  std::vector<FileSource> configs;
  RunTarget run_target;  ///< from the overlay only

  const Service* find_service(std::string_view service_name) const;
  const Phase* find_phase(std::string_view phase_name) const;
};

}  // namespace fusion
