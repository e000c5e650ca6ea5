#pragma once
// The two settings of podman's containers.conf that these machines need (docs/doctor.md): the
// default ulimits of a container and the OCI runtime. podman reads only $CONTAINERS_CONF when
// it is set, else /usr/share/containers/containers.conf, /etc/containers/containers.conf and
// /etc/containers/containers.conf.d/*.conf (and, rootless, the user's), later files winning.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fusion {

struct ContainersConf {
  /// [containers] default_ulimits: "nofile=1024:2048"; nothing when no file sets it.
  std::optional<std::vector<std::string>> default_ulimits;
  std::string runtime;  ///< [engine] runtime; empty: podman's choice (crun, else runc)
};

/// Reads the keys above from one file's text (TOML) over what earlier files set: a key this
/// file sets replaces the earlier value, as podman merges them.
ContainersConf read_containers_conf(std::string_view text, ContainersConf earlier = {});

/// The files podman reads, in order: `containers_conf_variable` alone when set, else the two
/// system files and then `drop_ins` (the sorted *.conf of containers.conf.d). Podman skips the
/// ones that do not exist; so does the caller.
std::vector<std::filesystem::path> containers_conf_files(
    const std::string& containers_conf_variable,
    const std::vector<std::filesystem::path>& drop_ins);

/// A limit of default_ulimits ("nofile=1024:2048" → {1024, 2048}); nothing when `name` is absent
/// or the entry does not parse.
struct UlimitPair {
  uint64_t soft = 0;
  uint64_t hard = 0;
};
std::optional<UlimitPair> find_ulimit(const std::vector<std::string>& ulimits,
                                      std::string_view name);

}  // namespace fusion
