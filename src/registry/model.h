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

/// "pgdata:/var/lib/postgresql/data", "./conf:/etc/app:ro".
struct VolumeMount {
  std::string source;  ///< a named volume, or a host path (starts with . or /)
  std::string target;
  bool read_only = false;
  bool named = false;
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
  std::vector<VolumeMount> volumes;
  std::vector<NetworkAttachment> networks;
  std::vector<Dependency> depends_on;
  std::optional<HealthCheck> health;
  Resources resources;
  std::vector<Text> profiles;
  std::map<std::string, std::string> labels;
  /// Runs from local source rather than `image`: set when the service has no image, or when
  /// fusion.local.yaml or --local chooses it.
  bool local = false;

  bool has_source() const { return repo.present() || path.present(); }
};

/// The port an http or tcp health check probes: its `port`, else the service's only tcp port;
/// 0 when there is none (the validator reports that).
uint16_t probed_port(const Service& service);

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
};

struct Network {
  Text name;
  bool internal = false;
  bool external = false;
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

  const Service* find_service(std::string_view service_name) const;
  const Phase* find_phase(std::string_view phase_name) const;
};

}  // namespace fusion
