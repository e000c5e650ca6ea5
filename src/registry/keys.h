#pragma once
// The keys each object of fusion.yaml accepts. The loader rejects anything else (with a
// did-you-mean) and the JSON Schema is checked against these same lists, so they cannot drift.

#include <array>
#include <string_view>

namespace fusion::keys {

inline constexpr std::array<std::string_view, 9> kTop = {
    "version", "name", "domain", "workspace", "repos", "phases", "services", "volumes", "networks"};
inline constexpr std::array<std::string_view, 18> kService = {
    "description", "group",   "phase",     "image",    "repo",    "path",
    "build",       "command", "env",       "ports",    "volumes", "networks",
    "depends_on",  "health",  "resources", "profiles", "labels",  "subdomain"};
inline constexpr std::array<std::string_view, 9> kHealth = {
    "http", "tcp", "exec", "container", "port", "interval", "timeout", "retries", "start_period"};
inline constexpr std::array<std::string_view, 4> kBuild = {"context", "dockerfile", "target",
                                                           "args"};
inline constexpr std::array<std::string_view, 2> kResources = {"memory", "cpus"};
inline constexpr std::array<std::string_view, 3> kPhase = {"order", "timeout", "description"};
inline constexpr std::array<std::string_view, 2> kRepo = {"url", "branch"};
inline constexpr std::array<std::string_view, 2> kWorkspace = {"root", "layout"};
inline constexpr std::array<std::string_view, 1> kVolume = {"external"};
inline constexpr std::array<std::string_view, 2> kNetwork = {"internal", "external"};
inline constexpr std::array<std::string_view, 1> kNetworkAttachment = {"aliases"};
inline constexpr std::array<std::string_view, 1> kDependency = {"condition"};
inline constexpr std::array<std::string_view, 4> kPort = {"target", "published", "host_ip",
                                                          "protocol"};
inline constexpr std::array<std::string_view, 2> kOverlay = {"local", "services"};

/// Spellings from other tools that mean a fusion key, for better suggestions.
struct Synonym {
  std::string_view other;
  std::string_view fusion;
};
inline constexpr std::array<Synonym, 6> kServiceSynonyms = {{{"healthcheck", "health"},
                                                             {"environment", "env"},
                                                             {"dependencies", "depends_on"},
                                                             {"expose", "ports"},
                                                             {"deploy", "resources"},
                                                             {"hostname", "subdomain"}}};

}  // namespace fusion::keys
