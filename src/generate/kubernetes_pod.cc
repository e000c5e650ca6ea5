#include "generate/kubernetes_pod.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "registry/interpolation.h"
#include "util/quantity.h"
#include "util/strings.h"

namespace fusion {

void KubeNotes::add(std::string line) {
  line = "# fusion: " + std::move(line) + "\n";
  if (std::find(lines_.begin(), lines_.end(), line) == lines_.end()) lines_.push_back(line);
}

void KubeNotes::key(std::string_view key, const SourcePos& pos, std::string_view why) {
  std::string line = fmt::format("'{}' {}", key, why);
  size_t before = lines_.size();
  add(line);
  if (lines_.size() == before) return;
  ctx_.notes.push_back(fmt::format("{}:{}:{}: kubernetes: service '{}': {}", ctx_.registry_file,
                                   pos.line, pos.column, service_.name.value, line));
}

std::string KubeNotes::text() const {
  std::string out;
  for (const std::string& l : lines_) out += l;
  return out;
}

std::string for_cluster(std::string_view text, std::string_view where, KubeNotes& notes) {
  return substitute(text, [&](const Reference& ref) -> std::optional<std::string> {
    if (ref.kind == Reference::Kind::kSecret) {
      notes.add(fmt::format("{} holds ${{secret:{}}}, which only env can carry; left as written",
                            where, ref.name));
      return std::nullopt;
    }
    if (ref.has_default) return ref.default_value;
    notes.add(
        fmt::format("${{{}}} in {} has no default and Kubernetes does not interpolate: "
                    "written empty; give it a default or set the value in an overlay",
                    ref.name, where));
    return "";
  });
}

std::string for_args(std::string_view text, std::string_view where, KubeNotes& notes) {
  std::string out = for_cluster(text, where, notes);
  for (size_t at = out.find("$("); at != std::string::npos; at = out.find("$(", at + 3)) {
    out.insert(at, "$");
  }
  return out;
}

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos;
}

void security_context(const Service& s, YamlData& pod, YamlData& container, KubeNotes& notes) {
  YamlData sc = YamlData::object();
  if (s.user.present()) {
    std::string user = s.user.value;
    size_t colon = user.find(':');
    std::string uid = user.substr(0, colon),
                gid = colon == std::string::npos ? "" : user.substr(colon + 1);
    if (all_digits(uid) && (gid.empty() || all_digits(gid))) {
      sc["runAsUser"] = std::stoll(uid);
      if (!gid.empty()) sc["runAsGroup"] = std::stoll(gid);
    } else {
      notes.key("user", s.user.pos, "names a user; Kubernetes takes numeric ids only: not applied");
    }
  }
  if (s.privileged) sc["privileged"] = s.privileged->value;
  if (s.read_only) sc["readOnlyRootFilesystem"] = s.read_only->value;
  auto caps = [](const std::vector<Text>& list) {
    YamlData out = YamlData::array();
    for (const Text& c : list) {
      std::string name = c.value;
      for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out.push_back(name.starts_with("CAP_") ? name.substr(4) : name);
    }
    return out;
  };
  if (!s.cap_add.empty()) sc["capabilities"]["add"] = caps(s.cap_add);
  if (!s.cap_drop.empty()) sc["capabilities"]["drop"] = caps(s.cap_drop);
  if (!sc.empty()) container["securityContext"] = sc;
  YamlData pod_sc = YamlData::object();
  for (const Text& g : s.group_add) {
    if (all_digits(g.value)) {
      pod_sc["supplementalGroups"].push_back(std::stoll(g.value));
    } else {
      notes.key("group_add", g.pos, "names a group; Kubernetes takes numeric ids only");
    }
  }
  for (const auto& [name, value] : s.sysctls) {
    pod_sc["sysctls"].push_back({{"name", name}, {"value", value}});
  }
  if (!pod_sc.empty()) pod["securityContext"] = pod_sc;
}

/// tmpfs and shm_size become memory-backed emptyDirs.
void memory_volumes(const Service& s, YamlData& pod, YamlData& container) {
  auto add = [&](const std::string& name, const std::string& path, uint64_t size) {
    YamlData dir = {{"medium", "Memory"}};
    if (size) dir["sizeLimit"] = format_memory(size);
    pod["volumes"].push_back({{"name", name}, {"emptyDir", dir}});
    container["volumeMounts"].push_back({{"name", name}, {"mountPath", path}});
  };
  for (size_t i = 0; i < s.tmpfs.size(); ++i) {
    add("tmpfs-" + std::to_string(i), s.tmpfs[i].target, s.tmpfs[i].size_bytes);
  }
  if (s.shm_size) add("dshm", "/dev/shm", s.shm_size->value);
}

void host_aliases(const Service& s, YamlData& pod, KubeNotes& notes) {
  std::map<std::string, YamlData> by_ip;
  for (const HostEntry& h : s.extra_hosts) {
    if (h.address == "host-gateway") {
      notes.key("extra_hosts", h.pos,
                "'host-gateway' has no Kubernetes form; that entry is left out");
      continue;
    }
    by_ip[h.address].push_back(h.host);
  }
  for (auto& [ip, names] : by_ip) pod["hostAliases"].push_back({{"ip", ip}, {"hostnames", names}});
}

void gpus(const Service& s, YamlData& container, KubeNotes& notes) {
  int64_t count = 0;
  for (const GpuRequest& g : s.gpus) {
    if (!g.device_ids.empty()) {
      count += static_cast<int64_t>(g.device_ids.size());
      notes.key("gpus", g.pos, "device_ids cannot be chosen in Kubernetes; asks for as many GPUs");
    } else if (g.count < 0) {
      count += 1;
      notes.key("gpus", g.pos, "'all' has no Kubernetes form; asks for 1 nvidia.com/gpu");
    } else {
      count += g.count;
    }
  }
  // A quantity is a string to server-side apply's typed patch ("expected string").
  if (count > 0) container["resources"]["limits"]["nvidia.com/gpu"] = std::to_string(count);
}

void image_pull(const Service& s, YamlData& container, KubeNotes& notes) {
  if (!s.pull_policy.present()) return;
  static const std::map<std::string, std::string> policies = {{"always", "Always"},
                                                              {"never", "Never"},
                                                              {"missing", "IfNotPresent"},
                                                              {"if_not_present", "IfNotPresent"}};
  auto it = policies.find(s.pull_policy.value);
  if (it != policies.end()) {
    container["imagePullPolicy"] = it->second;
  } else {
    notes.key("pull_policy", s.pull_policy.pos, "'build' has no Kubernetes form: not applied");
  }
}

void platform(const Service& s, YamlData& pod, KubeNotes& notes) {
  if (!s.platform.present()) return;
  std::vector<std::string_view> parts = split(s.platform.value, '/');
  if (parts.size() < 2) {
    notes.key("platform", s.platform.pos, "is not OS/ARCH: not applied");
    return;
  }
  pod["nodeSelector"]["kubernetes.io/os"] = std::string(parts[0]);
  pod["nodeSelector"]["kubernetes.io/arch"] = std::string(parts[1]);
}

/// The keys with no Kubernetes form, each said once.
void unexpressed(const Service& s, KubeNotes& notes) {
  if (!s.env_files.empty()) {
    notes.key("env_file", s.env_files.front().path.pos,
              "is read where the stack runs and never copied into generated files: add its "
              "variables to the cluster (a configMapGenerator in an overlay)");
  }
  if (s.entrypoint && s.entrypoint->empty()) {
    notes.key("entrypoint", s.name.pos,
              "[] (clear the image's) has no Kubernetes form: the image's entrypoint runs");
  }
  if (s.ulimits.size())
    notes.key("ulimits", s.ulimits.front().pos, "have no Kubernetes form: not applied");
  if (s.init && s.init->value)
    notes.key("init", s.init->pos, "has no Kubernetes form: no init process runs");
  if (s.stop_signal.present())
    notes.key("stop_signal", s.stop_signal.pos,
              "has no Kubernetes form before 1.30: SIGTERM is sent");
  if (!s.devices.empty())
    notes.key("devices", s.devices.front().pos, "need a device plugin in Kubernetes: not applied");
  if (!s.security_opt.empty())
    notes.key("security_opt", s.security_opt.front().pos,
              "has no direct Kubernetes form: not applied");
  if (!s.dns.empty())
    notes.key("dns", s.dns.front().pos,
              "is not applied: pods keep the cluster's DNS, which resolves the stack's names");
  if (s.pid.present() && s.pid.value != "host")
    notes.key("pid", s.pid.pos, "sharing another service's processes has no Kubernetes form");
  if (s.container_name.present())
    notes.key("container_name", s.container_name.pos,
              "does not apply: pods are named after the workload");
}

}  // namespace

void apply_run_keys(const GenerateContext& ctx, const Service& s, YamlData& pod,
                    YamlData& container, KubeNotes& notes) {
  (void)ctx;
  if (s.entrypoint && !s.entrypoint->empty()) {
    YamlData command = YamlData::array();
    for (const std::string& w : *s.entrypoint)
      command.push_back(for_args(w, "the entrypoint", notes));
    container["command"] = command;
  }
  if (s.working_dir.present())
    container["workingDir"] = for_cluster(s.working_dir.value, "working_dir", notes);
  if (s.hostname.present() && is_dns1123_label(s.hostname.value))
    pod["hostname"] = s.hostname.value;
  if (s.pid.present() && s.pid.value == "host") pod["hostPID"] = true;
  if (s.stop_grace_period) {
    pod["terminationGracePeriodSeconds"] = (s.stop_grace_period->value.count() + 999) / 1000;
  }
  security_context(s, pod, container, notes);
  memory_volumes(s, pod, container);
  host_aliases(s, pod, notes);
  gpus(s, container, notes);
  image_pull(s, container, notes);
  platform(s, pod, notes);
  unexpressed(s, notes);
}

}  // namespace fusion
