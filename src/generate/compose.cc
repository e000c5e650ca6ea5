#include "generate/compose.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <set>

#include "registry/mount.h"
#include "util/duration.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFolder = "compose";
constexpr const char* kAliasesFile = "compose.network-aliases.yaml";

const char* compose_condition(DependencyCondition c) {
  switch (c) {
    case DependencyCondition::kStarted:
      return "service_started";
    case DependencyCondition::kHealthy:
      return "service_healthy";
    case DependencyCondition::kCompleted:
      return "service_completed_successfully";
  }
  return "service_started";
}

std::string port_spec(const PortMapping& p) {
  std::string spec = std::to_string(p.container_port);
  if (p.host_port != 0) {
    spec = fmt::format("{}:{}", p.host_port, spec);
    if (!p.host_ip.empty()) {
      bool v6 = p.host_ip.find(':') != std::string::npos;
      spec = (v6 ? "[" + p.host_ip + "]" : p.host_ip) + ":" + spec;
    }
  }
  return p.protocol == Protocol::kUdp ? spec + "/udp" : spec;
}

/// A host path relative to fusion.yaml, as seen from the compose folder; absolute paths, ~ and
/// ${VAR} sources stay as written.
std::string host_path(const GenerateContext& ctx, const fs::path& compose_dir,
                      const std::string& source) {
  if (source.empty() || source[0] == '/' || source[0] == '~' || source[0] == '$') return source;
  std::string rel = relative_path(compose_dir, (ctx.registry_dir / source).lexically_normal());
  return rel.starts_with('.') ? rel : "./" + rel;
}

std::string volume_spec(const GenerateContext& ctx, fs::path compose_dir, const VolumeMount& m) {
  VolumeMount out = m;
  if (!m.named) out.source = host_path(ctx, compose_dir, m.source);
  return format_mount(out);
}

/// The compose-named keys, written as compose writes them.
void run_keys(const GenerateContext& ctx, const Service& s, YamlData& out) {
  fs::path compose_dir = ctx.output_dir / kFolder;
  if (s.entrypoint) out["entrypoint"] = *s.entrypoint;
  if (s.restart) {
    std::string policy = restart_policy_name(s.restart->policy);
    if (s.restart->max_retries) policy += ":" + std::to_string(s.restart->max_retries);
    out["restart"] = policy;
  }
  YamlData env_files = YamlData::array();  // before fusion's secrets file: later files win
  for (const EnvFile& f : s.env_files) {
    std::string path = host_path(ctx, compose_dir, f.path.value);
    env_files.push_back(f.required ? YamlData(path)
                                   : YamlData{{"path", path}, {"required", false}});
  }
  if (out.contains("env_file")) {
    for (const YamlData& f : out["env_file"]) env_files.push_back(f);
  }
  if (!env_files.empty()) out["env_file"] = env_files;
  for (auto [key, text] : {std::pair{"user", &s.user},
                           {"working_dir", &s.working_dir},
                           {"hostname", &s.hostname},
                           {"stop_signal", &s.stop_signal},
                           {"platform", &s.platform},
                           {"pull_policy", &s.pull_policy},
                           {"pid", &s.pid}}) {
    if (text->present()) out[key] = text->value;
  }
  for (const PortMapping& p : s.expose) {
    out["expose"].push_back(std::to_string(p.container_port) +
                            (p.protocol == Protocol::kUdp ? "/udp" : ""));
  }
  for (const HostEntry& h : s.extra_hosts) out["extra_hosts"].push_back(h.host + ":" + h.address);
  for (auto [key, list] : {std::pair{"dns", &s.dns},
                           {"cap_add", &s.cap_add},
                           {"cap_drop", &s.cap_drop},
                           {"security_opt", &s.security_opt},
                           {"devices", &s.devices},
                           {"group_add", &s.group_add}}) {
    for (const Text& t : *list) out[key].push_back(t.value);
  }
  for (const TmpfsMount& t : s.tmpfs) {
    out["tmpfs"].push_back(t.options.empty() ? t.target : t.target + ":" + t.options);
  }
  if (s.shm_size) out["shm_size"] = s.shm_size->value;
  for (const Ulimit& u : s.ulimits) {
    out["ulimits"][u.name] =
        u.soft == u.hard ? YamlData(u.soft) : YamlData{{"soft", u.soft}, {"hard", u.hard}};
  }
  for (auto [key, flag] :
       {std::pair{"privileged", &s.privileged}, {"read_only", &s.read_only}, {"init", &s.init}}) {
    if (*flag) out[key] = (*flag)->value;
  }
  for (const GpuRequest& g : s.gpus) {
    YamlData device = {{"driver", g.driver}, {"capabilities", {"gpu"}}};
    if (!g.device_ids.empty()) {
      device["device_ids"] = g.device_ids;
    } else {
      device["count"] = g.count < 0 ? YamlData("all") : YamlData(g.count);
    }
    out["deploy"]["resources"]["reservations"]["devices"].push_back(device);
  }
  if (s.stop_grace_period) out["stop_grace_period"] = format_duration(s.stop_grace_period->value);
  for (const auto& [k, v] : s.sysctls) out["sysctls"][k] = v;
  for (auto [key, mounts] : {std::pair{"secrets", &s.secrets}, {"configs", &s.configs}}) {
    for (const FileMount& m : *mounts) {
      YamlData entry = {{"source", m.source.value}};
      if (!m.target.empty()) entry["target"] = m.target;
      if (!m.uid.empty()) entry["uid"] = m.uid;
      if (!m.gid.empty()) entry["gid"] = m.gid;
      if (m.mode) entry["mode"] = *m.mode;
      out[key].push_back(entry.size() == 1 ? YamlData(m.source.value) : entry);
    }
  }
  if (s.replicas) out["scale"] = s.replicas->value;
}

/// Compose has no http or tcp check of its own: they run a command in the container, trying
/// the tools images commonly have.
YamlData health_test(const Service& s) {
  const HealthCheck& h = *s.health;
  uint16_t port = probed_port(s);
  switch (h.kind) {
    case HealthKind::kHttp: {
      std::string url = fmt::format("http://localhost:{}{}", port, h.http_path);
      return {"CMD-SHELL",
              fmt::format("curl -fsS -o /dev/null {0} || wget -q -O /dev/null {0}", url)};
    }
    case HealthKind::kTcp:
      return {"CMD-SHELL", fmt::format("nc -z localhost {0} || bash -c 'exec 3<>/dev/tcp/"
                                       "localhost/{0}'",
                                       port)};
    case HealthKind::kExec: {
      YamlData test = {"CMD"};
      for (const std::string& arg : h.command) test.push_back(arg);
      return test;
    }
    case HealthKind::kContainer:
      break;
  }
  return nullptr;
}

YamlData healthcheck(const Service& s) {
  if (!s.health || s.health->kind == HealthKind::kContainer) return nullptr;
  const HealthCheck& h = *s.health;
  YamlData check;
  check["test"] = health_test(s);
  check["interval"] = format_duration(h.interval);
  check["timeout"] = format_duration(h.timeout);
  check["retries"] = h.retries;
  check["start_period"] = format_duration(h.start_period);
  return check;
}

YamlData build_section(const GenerateContext& ctx, const Service& s) {
  YamlData build;
  build["context"] = relative_path(ctx.output_dir / kFolder, build_context_dir(ctx, s));
  if (!s.build) return build;
  if (s.build->dockerfile.present()) build["dockerfile"] = s.build->dockerfile.value;
  if (s.build->target.present()) build["target"] = s.build->target.value;
  if (!s.build->args.empty()) build["args"] = s.build->args;
  return build;
}

YamlData networks_section(const Registry& reg, const Service& s) {
  std::string hostname = service_hostname(reg, s);
  YamlData networks = YamlData::object();
  auto attach = [&](const std::string& name, const std::vector<Text>& declared) {
    YamlData aliases = YamlData::array();
    for (const Text& alias : declared) aliases.push_back(alias.value);
    if (!hostname.empty()) aliases.push_back(hostname);
    networks[name] = aliases.empty() ? YamlData::object() : YamlData{{"aliases", aliases}};
  };
  for (const NetworkAttachment& n : s.networks) attach(n.name.value, n.aliases);
  if (s.networks.empty() && !hostname.empty()) attach("default", {});
  return networks;
}

std::string group_of(const Service& s) { return s.group.present() ? s.group.value : "default"; }

std::string header() { return generated_header("#"); }

/// Network aliases go to a file of their own, listed last in COMPOSE_FILE: podman-compose 1.0
/// (Debian 12) rejects a service's networks written as a map, the only form that holds aliases,
/// and ignores aliases anyway. The service files keep the list form every implementation reads.
/// "default" stays listed only when the service names it (with other networks, compose would
/// otherwise leave it off the default network).
YamlData take_aliases(YamlData& definition, bool declares_default) {
  if (!definition.contains("networks")) return nullptr;
  YamlData names = YamlData::array(), aliases = YamlData::object();
  for (const auto& [network, attachment] : definition["networks"].items()) {
    if (attachment.contains("aliases")) aliases[network] = attachment;
    if (network != "default" || declares_default) names.push_back(network);
  }
  if (names.empty()) {
    definition.erase("networks");
  } else {
    definition["networks"] = names;
  }
  return aliases.empty() ? YamlData(nullptr) : YamlData{{"networks", aliases}};
}

YamlData network_section(const Network& n) {
  YamlData out = YamlData::object();
  if (n.external_name.present()) out["name"] = n.external_name.value;
  if (!n.driver.empty()) out["driver"] = n.driver;
  if (!n.driver_opts.empty()) out["driver_opts"] = n.driver_opts;
  for (const Subnet& subnet : n.subnets) {
    YamlData config = {{"subnet", subnet.subnet}};
    if (!subnet.gateway.empty()) config["gateway"] = subnet.gateway;
    if (!subnet.ip_range.empty()) config["ip_range"] = subnet.ip_range;
    out["ipam"]["config"].push_back(config);
  }
  if (n.internal) out["internal"] = true;
  if (n.external) out["external"] = true;
  return out;
}

YamlData volume_section(const Volume& v) {
  YamlData out = YamlData::object();
  if (v.external_name.present()) out["name"] = v.external_name.value;
  if (!v.driver.empty()) out["driver"] = v.driver;
  if (!v.driver_opts.empty()) out["driver_opts"] = v.driver_opts;
  if (v.external) out["external"] = true;
  return out;
}

/// Top-level secrets and configs the services use. A secret from fusion's store is a file
/// `fusion secrets` writes beside the per-service env files (git-ignored).
void add_file_sources(const GenerateContext& ctx, const std::vector<const Service*>& services,
                      YamlData& doc) {
  fs::path compose_dir = ctx.output_dir / kFolder;
  for (bool secrets : {true, false}) {
    std::set<std::string> used;
    for (const Service* s : services) {
      for (const FileMount& m : secrets ? s->secrets : s->configs) used.insert(m.source.value);
    }
    for (const FileSource& f : secrets ? ctx.registry->secrets : ctx.registry->configs) {
      if (!used.contains(f.name.value)) continue;
      YamlData entry = YamlData::object();
      if (f.external) {
        entry["external"] = true;
      } else if (f.file.present()) {
        entry["file"] = host_path(ctx, compose_dir, f.file.value);
      } else if (f.environment.present()) {
        entry["environment"] = f.environment.value;
      } else if (f.content.present()) {
        entry["content"] = f.content.value;
      } else {
        entry["file"] = "./secrets/" + f.name.value + ".secret";
      }
      doc[secrets ? "secrets" : "configs"][f.name.value] = entry;
    }
  }
}

/// One compose file with the given services and the volumes and networks they use; the
/// services' aliases are added to `aliases`.
std::string compose_file(const GenerateContext& ctx, const std::vector<const Service*>& services,
                         YamlData& aliases) {
  const Registry& reg = *ctx.registry;
  YamlData doc;
  std::set<std::string> volumes, networks;
  for (const Service* s : services) {
    YamlData definition = compose_service(ctx, *s);
    definition["labels"]["io.fusion.config-hash"] = config_hash(definition);
    bool declares_default =
        std::any_of(s->networks.begin(), s->networks.end(),
                    [](const NetworkAttachment& n) { return n.name.value == "default"; });
    if (YamlData moved = take_aliases(definition, declares_default); !moved.is_null()) {
      append(aliases["services"], s->name.value, std::move(moved));
    }
    append(doc["services"], s->name.value, std::move(definition));
    for (const VolumeMount& m : s->volumes) {
      if (m.named) volumes.insert(m.source);
    }
    for (const NetworkAttachment& n : s->networks) networks.insert(n.name.value);
  }
  for (const Network& n : reg.networks) {
    if (!networks.contains(n.name.value)) continue;
    doc["networks"][n.name.value] = network_section(n);
  }
  for (const Volume& v : reg.volumes) {
    if (!volumes.contains(v.name.value)) continue;
    doc["volumes"][v.name.value] = volume_section(v);
  }
  add_file_sources(ctx, services, doc);
  return header() + emit_yaml(doc);
}

}  // namespace

std::string config_hash(const YamlData& definition) {
  std::string text = definition.dump();
  return fmt::format("{:016x}", XXH3_64bits(text.data(), text.size()));
}

YamlData compose_service(const GenerateContext& ctx, const Service& s) {
  const Registry& reg = *ctx.registry;
  YamlData out;
  bool replicated = s.replicas && s.replicas->value > 1;  // compose names those itself
  if (!replicated) {
    out["container_name"] =
        s.container_name.present() ? s.container_name.value : reg.name.value + "-" + s.name.value;
  }
  out["image"] = service_image(reg, s);
  if (s.has_source()) out["build"] = build_section(ctx, s);
  if (!s.command.empty()) out["command"] = s.command;
  SplitEnv env = split_env(s);
  for (const auto& [name, value] : env.plain) out["environment"][name] = value;
  if (!env.secret_templates.empty()) {
    out["env_file"] = {"secrets/" + s.name.value + ".env"};
  }
  for (const PortMapping& p : s.ports) out["ports"].push_back(port_spec(p));
  fs::path compose_dir = ctx.output_dir / kFolder;
  for (const VolumeMount& m : s.volumes) out["volumes"].push_back(volume_spec(ctx, compose_dir, m));
  if (YamlData networks = networks_section(reg, s); !networks.empty()) out["networks"] = networks;
  for (const Dependency& d : s.depends_on) {
    out["depends_on"][d.service.value]["condition"] = compose_condition(d.condition);
  }
  if (YamlData check = healthcheck(s); !check.is_null()) out["healthcheck"] = check;
  if (s.resources.memory_bytes) out["mem_limit"] = s.resources.memory_bytes->value;
  if (s.resources.millicpus) out["cpus"] = s.resources.millicpus->value / 1000.0;
  for (const Text& p : s.profiles) out["profiles"].push_back(p.value);
  run_keys(ctx, s, out);
  for (const auto& [key, value] : s.labels) out["labels"][key] = value;
  out["labels"]["io.fusion.stack"] = reg.name.value;
  out["labels"]["io.fusion.service"] = s.name.value;
  return out;
}

FileSet generate_compose(const GenerateContext& ctx, const ComposeOptions& options) {
  const Registry& reg = *ctx.registry;
  std::string dir = std::string(kFolder) + "/";
  std::map<std::string, std::vector<const Service*>> files_services;
  for (const Service& s : reg.services) {
    files_services[options.single ? "compose.yaml" : "compose." + group_of(s) + ".yaml"].push_back(
        &s);
  }
  FileSet files;
  std::vector<std::string> names;
  YamlData aliases;
  for (const auto& [name, services] : files_services) {
    files[dir + name] = compose_file(ctx, services, aliases);
    names.push_back(name);
  }
  if (!aliases.is_null()) {
    files[dir + kAliasesFile] = header() + emit_yaml(aliases);
    names.emplace_back(kAliasesFile);
  }
  files[dir + ".env"] =
      header() + "COMPOSE_PROJECT_NAME=" + reg.name.value +
      "\nCOMPOSE_PATH_SEPARATOR=:\nCOMPOSE_FILE=" + fmt::format("{}", fmt::join(names, ":")) + "\n";
  files[dir + ".gitignore"] =
      header() + "# Secret values, written by `fusion secrets`.\nsecrets/\n";
  return files;
}

}  // namespace fusion
