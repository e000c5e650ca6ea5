#include "doctor/engine.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace fusion {

namespace {

/// What rootful podman asks for when containers.conf sets no ulimit (its RLimitDefaultValue).
constexpr uint64_t kPodmanDefaultRlimit = 1048576;
constexpr uint64_t kSuggestedNproc = 32768;
constexpr const char* kSuggestedConfPath = "~/.config/fusion/containers.conf";

}  // namespace

const char* cgroup_layout_name(CgroupLayout layout) {
  switch (layout) {
    case CgroupLayout::kUnified:
      return "v2";
    case CgroupLayout::kLegacy:
      return "v1";
    case CgroupLayout::kHybrid:
      return "hybrid v1/v2";
    case CgroupLayout::kUnknown:
      break;
  }
  return "unknown";
}

CgroupLayout cgroup_layout_of_mounts(std::string_view proc_mounts) {
  bool v1 = false, v2_root = false, v2_unified = false;
  for (std::string_view line : split(proc_mounts, '\n')) {
    std::vector<std::string_view> fields = split(line, ' ');
    if (fields.size() < 3) continue;
    if (fields[2] == "cgroup") v1 = true;
    if (fields[2] == "cgroup2") {
      if (fields[1] == "/sys/fs/cgroup")
        v2_root = true;
      else
        v2_unified = true;
    }
  }
  if (v2_root) return CgroupLayout::kUnified;
  if (v1 && v2_unified) return CgroupLayout::kHybrid;
  if (v1) return CgroupLayout::kLegacy;
  return CgroupLayout::kUnknown;
}

bool has_effective_capability(std::string_view proc_status, int cap) {
  for (std::string_view line : split(proc_status, '\n')) {
    if (!line.starts_with("CapEff:")) continue;
    std::string hex(line.substr(7));
    uint64_t mask = std::strtoull(hex.c_str(), nullptr, 16);
    return (mask >> cap) & 1;
  }
  return false;
}

std::string choose_engine(const std::string& option, const std::string& variable,
                          bool podman_installed) {
  if (!option.empty()) return option;
  if (!variable.empty()) return variable;
  return podman_installed ? "podman" : "docker";
}

void read_engine_info(std::string_view text, EngineFacts& facts) {
  nlohmann::json info = nlohmann::json::parse(text, nullptr, false);
  if (!info.is_object()) return;
  if (info.contains("host")) {  // podman
    const nlohmann::json& host = info["host"];
    facts.server_version = info.value("/version/Version"_json_pointer, std::string());
    facts.oci_runtime = host.value("/ociRuntime/name"_json_pointer, std::string());
    facts.rootless = host.value("/security/rootless"_json_pointer, false);
  } else {  // docker
    facts.server_version = info.value("ServerVersion", std::string());
    facts.oci_runtime = info.value("DefaultRuntime", std::string());
  }
}

EngineFacts gather_engine_facts(ProcessRunner& runner, const std::string& engine) {
  EngineFacts facts;
  facts.name = engine;
  facts.client = probe_tool(runner, {engine, "--version"});
  if (!facts.client.installed) return facts;
  std::vector<std::string> info = {engine, "info", "--format"};
  info.push_back(engine == "docker" ? "{{json .}}" : "json");
  ProcessResult result = runner.run({.argv = info, .timeout = std::chrono::seconds(30)});
  facts.reachable = result.ok();
  if (!result.ok()) {
    facts.info_error = result.timed_out ? "no answer within 30 s" : result.last_line();
    return facts;
  }
  read_engine_info(result.out, facts);
  if (engine == "podman")
    facts.runc_installed = probe_tool(runner, {"runc", "--version"}).installed;
  return facts;
}

CheckResult check_engine(const EngineFacts& engine) {
  const ToolVersion& client = engine.client;
  if (!client.installed && client.error.empty()) {
    return check_fail("engine", engine.name + " is not installed (fusion runs the stack on it)",
                      engine.name == "podman"
                          ? "apt-get install podman runc"
                          : "install docker, or podman (apt-get install podman runc)");
  }
  if (!client.installed) {
    return check_fail("engine", fmt::format("{} --version failed: {}", engine.name, client.error));
  }
  if (!engine.reachable) {
    std::string fix = engine.name == "docker"
                          ? "start the Docker daemon, or serve podman's Docker API: podman system "
                            "service --time=0 unix:///run/podman/podman.sock & and export "
                            "DOCKER_HOST=unix:///run/podman/podman.sock"
                          : "run `podman info` to see why";
    return check_fail("engine",
                      fmt::format("{} {} is installed but not reachable: {}", engine.name,
                                  client.version, engine.info_error),
                      fix);
  }
  std::string version = engine.server_version.empty() ? client.version : engine.server_version;
  std::string runtime = engine.oci_runtime.empty() ? "" : ", runtime " + engine.oci_runtime;
  return check_ok("engine", fmt::format("{} {}, reachable{}{}", engine.name, version,
                                        engine.rootless ? " (rootless)" : "", runtime));
}

std::string containers_conf_fix(const HostFacts& host, bool set_runtime) {
  uint64_t nofile = std::min(host.nofile_hard, kPodmanDefaultRlimit);
  uint64_t nproc = std::min(host.nproc_hard, kSuggestedNproc);
  std::string file =
      host.containers_conf_variable.empty() ? kSuggestedConfPath : host.containers_conf_variable;
  std::string text = fmt::format(
      "put this in {}:\n[containers]\ndefault_ulimits = [\"nofile={}:{}\", \"nproc={}:{}\"]\n",
      file, nofile, nofile, nproc, nproc);
  if (set_runtime) text += "[engine]\nruntime = \"runc\"\n";
  if (host.containers_conf_variable.empty()) {
    text +=
        fmt::format("then: export CONTAINERS_CONF={} (podman then reads that file alone)", file);
  } else {
    text += "(CONTAINERS_CONF already names it; podman reads that file alone)";
  }
  return text;
}

namespace {

/// The limit a container gets: containers.conf's, else what rootful podman asks for.
uint64_t container_limit(const HostFacts& host, const EngineFacts& engine, std::string_view name,
                         uint64_t host_hard, std::string& source) {
  if (host.conf.default_ulimits) {
    if (auto pair = find_ulimit(*host.conf.default_ulimits, name)) {
      source = host.conf_files.empty() ? "containers.conf" : host.conf_files.back();
      return pair->hard;
    }
  }
  source = "podman's default";
  return engine.rootless ? host_hard : kPodmanDefaultRlimit;
}

}  // namespace

CheckResult check_podman_config(const EngineFacts& engine, const HostFacts& host) {
  const char* kName = "engine.config";
  bool hybrid = host.cgroups == CgroupLayout::kHybrid;
  if (!host.containers_conf_variable.empty() && !host.containers_conf_exists) {
    return check_fail(kName,
                      fmt::format("CONTAINERS_CONF names {}, which does not exist",
                                  host.containers_conf_variable),
                      containers_conf_fix(host, hybrid));
  }
  std::string nofile_source, nproc_source;
  uint64_t nofile = container_limit(host, engine, "nofile", host.nofile_hard, nofile_source);
  uint64_t nproc = container_limit(host, engine, "nproc", host.nproc_hard, nproc_source);
  std::vector<std::string> problems;
  if (!host.can_raise_rlimits && (nofile > host.nofile_hard || nproc > host.nproc_hard)) {
    problems.push_back(fmt::format(
        "podman cannot raise rlimits here: containers ask for nofile {} and nproc {} ({}) but "
        "the hard limits are {} and {} and this process lacks CAP_SYS_RESOURCE",
        nofile, nproc, nofile_source, host.nofile_hard, host.nproc_hard));
  }
  bool crun_refuses = engine.oci_runtime == "crun" && hybrid;
  if (crun_refuses) problems.push_back("crun refuses this machine's hybrid cgroup layout");
  if (problems.empty()) {
    return check_ok(kName, fmt::format("podman's limits fit this machine (nofile {}, nproc {}: "
                                       "{}), runtime {} on {} cgroups",
                                       nofile, nproc, nofile_source, engine.oci_runtime,
                                       cgroup_layout_name(host.cgroups)));
  }
  std::string fix = containers_conf_fix(host, hybrid || crun_refuses);
  if (crun_refuses && !engine.runc_installed) fix = "apt-get install runc, then " + fix;
  return check_fail(kName, join(problems, "; "), fix);
}

}  // namespace fusion
