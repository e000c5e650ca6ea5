#pragma once
// The container engine: installed, which version, reachable, and (podman) whether it can run a
// container on this machine at all. Two facts of the VMs fusion is built on are checked: podman
// cannot raise rlimits (no CAP_SYS_RESOURCE, and rootful podman asks for 1048576 open files and
// processes unless containers.conf says otherwise), and crun refuses the hybrid cgroup layout.
// Both have one fix: a containers.conf of the user's own, named by CONTAINERS_CONF.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "doctor/check.h"
#include "doctor/containers_conf.h"
#include "doctor/tools.h"
#include "util/subprocess.h"

namespace fusion {

enum class CgroupLayout { kUnknown, kUnified, kLegacy, kHybrid };
const char* cgroup_layout_name(CgroupLayout layout);

/// The layout /proc/mounts describes: cgroup2 at /sys/fs/cgroup (unified), v1 hierarchies only
/// (legacy), or v1 hierarchies with cgroup2 at /sys/fs/cgroup/unified (hybrid).
CgroupLayout cgroup_layout_of_mounts(std::string_view proc_mounts);

/// Whether /proc/self/status's CapEff holds capability number `cap` (CAP_SYS_RESOURCE is 24).
bool has_effective_capability(std::string_view proc_status, int cap);

/// What this process's machine says, read by read_host_facts() (doctor/host.h) or written by
/// hand in tests.
struct HostFacts {
  uint64_t nofile_hard = 0;        ///< `ulimit -Hn`
  uint64_t nproc_hard = 0;         ///< `ulimit -Hu`
  bool can_raise_rlimits = false;  ///< CAP_SYS_RESOURCE is effective
  CgroupLayout cgroups = CgroupLayout::kUnknown;
  std::string containers_conf_variable{};  ///< $CONTAINERS_CONF
  bool containers_conf_exists = false;     ///< the file it names exists
  ContainersConf conf;                     ///< merged from the files podman reads
  std::vector<std::string> conf_files;     ///< those that exist, in order read
};

struct EngineFacts {
  std::string name{};  ///< "podman" or "docker"
  ToolVersion client;
  bool reachable = false;
  std::string info_error{};      ///< the last line of a failed `info`
  std::string server_version{};  ///< the engine's (docker's daemon may differ from its CLI)
  std::string oci_runtime{};     ///< "runc", "crun"
  bool rootless = false;
  bool runc_installed = false;  ///< podman: /usr/bin/runc can replace crun
};

/// Which engine the stack commands would use: `option` (--runtime), else `variable`
/// ($FUSION_RUNTIME), else podman when installed, else docker.
std::string choose_engine(const std::string& option, const std::string& variable,
                          bool podman_installed);

/// Runs `<engine> --version` and `<engine> info` (JSON) through `runner`.
EngineFacts gather_engine_facts(ProcessRunner& runner, const std::string& engine);

/// Reads `podman info --format json` or `docker info --format '{{json .}}'` into `facts`.
void read_engine_info(std::string_view json, EngineFacts& facts);

/// "engine": installed, version, reachable.
CheckResult check_engine(const EngineFacts& engine);

/// "engine.config" (podman only): rlimits within what this machine allows, and an OCI runtime
/// that accepts its cgroup layout; else the containers.conf that fixes both.
CheckResult check_podman_config(const EngineFacts& engine, const HostFacts& host);

/// The containers.conf that makes podman work on a machine like `host`.
std::string containers_conf_fix(const HostFacts& host, bool set_runtime);

}  // namespace fusion
