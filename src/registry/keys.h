#pragma once
// The keys each object of fusion.yaml accepts. The loader rejects anything else (with a
// did-you-mean) and the JSON Schema is checked against these same lists, so they cannot drift.

#include <array>
#include <string_view>

namespace fusion::keys {

inline constexpr std::array<std::string_view, 11> kTop = {
    "version",  "name",    "domain",   "workspace", "repos",  "phases",
    "services", "volumes", "networks", "secrets",   "configs"};
inline constexpr std::array<std::string_view, 49> kService = {"description",
                                                              "group",
                                                              "phase",
                                                              "image",
                                                              "repo",
                                                              "path",
                                                              "build",
                                                              "command",
                                                              "env",
                                                              "ports",
                                                              "expose",
                                                              "volumes",
                                                              "networks",
                                                              "depends_on",
                                                              "health",
                                                              "resources",
                                                              "profiles",
                                                              "labels",
                                                              "subdomain",
                                                              "entrypoint",
                                                              "restart",
                                                              "env_file",
                                                              "user",
                                                              "working_dir",
                                                              "hostname",
                                                              "container_name",
                                                              "extra_hosts",
                                                              "dns",
                                                              "tmpfs",
                                                              "shm_size",
                                                              "ulimits",
                                                              "cap_add",
                                                              "cap_drop",
                                                              "privileged",
                                                              "read_only",
                                                              "security_opt",
                                                              "devices",
                                                              "gpus",
                                                              "init",
                                                              "stop_signal",
                                                              "stop_grace_period",
                                                              "platform",
                                                              "pull_policy",
                                                              "sysctls",
                                                              "pid",
                                                              "group_add",
                                                              "secrets",
                                                              "configs",
                                                              "replicas"};
/// The keys handled in service_run_keys.cc (every one of kService after "subdomain").
inline constexpr size_t kFirstRunKey = 19;
inline constexpr std::array<std::string_view, 9> kHealth = {
    "http", "tcp", "exec", "container", "port", "interval", "timeout", "retries", "start_period"};
inline constexpr std::array<std::string_view, 4> kBuild = {"context", "dockerfile", "target",
                                                           "args"};
inline constexpr std::array<std::string_view, 2> kResources = {"memory", "cpus"};
inline constexpr std::array<std::string_view, 3> kPhase = {"order", "timeout", "description"};
inline constexpr std::array<std::string_view, 2> kRepo = {"url", "branch"};
inline constexpr std::array<std::string_view, 2> kWorkspace = {"root", "layout"};
inline constexpr std::array<std::string_view, 4> kVolume = {"external", "name", "driver",
                                                            "driver_opts"};
inline constexpr std::array<std::string_view, 6> kNetwork = {"internal", "external",    "name",
                                                             "driver",   "driver_opts", "ipam"};
inline constexpr std::array<std::string_view, 2> kIpam = {"driver", "config"};
inline constexpr std::array<std::string_view, 3> kSubnet = {"subnet", "gateway", "ip_range"};
inline constexpr std::array<std::string_view, 4> kFileSource = {"file", "environment", "content",
                                                                "external"};
inline constexpr std::array<std::string_view, 5> kFileMount = {"source", "target", "uid", "gid",
                                                               "mode"};
inline constexpr std::array<std::string_view, 7> kMount = {"type", "source", "target", "read_only",
                                                           "bind", "volume", "tmpfs"};
inline constexpr std::array<std::string_view, 2> kUlimit = {"soft", "hard"};
inline constexpr std::array<std::string_view, 4> kGpu = {"driver", "count", "device_ids",
                                                         "capabilities"};
inline constexpr std::array<std::string_view, 2> kEnvFile = {"path", "required"};
inline constexpr std::array<std::string_view, 1> kNetworkAttachment = {"aliases"};
inline constexpr std::array<std::string_view, 1> kDependency = {"condition"};
inline constexpr std::array<std::string_view, 4> kPort = {"target", "published", "host_ip",
                                                          "protocol"};
inline constexpr std::array<std::string_view, 4> kOverlay = {"local", "services", "target",
                                                             "kubernetes"};
inline constexpr std::array<std::string_view, 4> kOverlayKubernetes = {"context", "namespace",
                                                                       "kubeconfig", "loader"};

/// Spellings from other tools that mean a fusion key, for better suggestions.
struct Synonym {
  std::string_view other;
  std::string_view fusion;
};
inline constexpr std::array<Synonym, 5> kServiceSynonyms = {{{"healthcheck", "health"},
                                                             {"environment", "env"},
                                                             {"dependencies", "depends_on"},
                                                             {"deploy", "resources"},
                                                             {"scale", "replicas"}}};

}  // namespace fusion::keys
