#include "doctor/host.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "util/file.h"

namespace fusion {

namespace fs = std::filesystem;

namespace {

constexpr int kCapSysResource = 24;

uint64_t hard_limit(int resource) {
  rlimit limit{};
  if (getrlimit(resource, &limit) != 0) return 0;
  return limit.rlim_max == RLIM_INFINITY ? UINT64_MAX : limit.rlim_max;
}

std::vector<fs::path> drop_ins(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.path().extension() == ".conf") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The files podman reads for this user, as containers/common's systemConfigs lists them.
std::vector<fs::path> podman_conf_files(const std::string& variable) {
  std::vector<fs::path> files =
      containers_conf_files(variable, drop_ins("/etc/containers/containers.conf.d"));
  if (!variable.empty() || geteuid() == 0) return files;
  const char* config_home = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  fs::path user = config_home && *config_home ? fs::path(config_home)
                  : home                      ? fs::path(home) / ".config"
                                              : fs::path();
  if (user.empty()) return files;
  files.push_back(user / "containers/containers.conf");
  for (fs::path& file : drop_ins(user / "containers/containers.conf.d")) files.push_back(file);
  return files;
}

}  // namespace

HostFacts read_host_facts() {
  HostFacts host;
  host.nofile_hard = hard_limit(RLIMIT_NOFILE);
  host.nproc_hard = hard_limit(RLIMIT_NPROC);
  auto status = read_file("/proc/self/status");
  host.can_raise_rlimits = status && has_effective_capability(*status, kCapSysResource);
  auto mounts = read_file("/proc/mounts");
  host.cgroups = mounts ? cgroup_layout_of_mounts(*mounts) : CgroupLayout::kUnknown;
  const char* variable = std::getenv("CONTAINERS_CONF");
  host.containers_conf_variable = variable ? variable : "";
  for (const fs::path& file : podman_conf_files(host.containers_conf_variable)) {
    auto text = read_file(file);
    if (!text) continue;
    host.conf = read_containers_conf(*text, host.conf);
    host.conf_files.push_back(file.string());
  }
  host.containers_conf_exists = !host.containers_conf_variable.empty() && !host.conf_files.empty();
  return host;
}

}  // namespace fusion
