#include "generate/compose.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <set>

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

std::string volume_spec(const GenerateContext& ctx, fs::path compose_dir, const VolumeMount& m) {
  std::string source = m.source;
  if (!m.named && !source.empty()) {  // a host path, relative to fusion.yaml
    fs::path host = fs::path(source).is_absolute() ? fs::path(source) : ctx.registry_dir / source;
    source = fs::path(source).is_absolute() ? source : relative_path(compose_dir, host);
  }
  std::string spec = source.empty() ? m.target : source + ":" + m.target;
  return m.read_only ? spec + ":ro" : spec;
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
YamlData take_aliases(YamlData& definition) {
  if (!definition.contains("networks")) return nullptr;
  YamlData names = YamlData::array(), aliases = YamlData::object();
  for (const auto& [network, attachment] : definition["networks"].items()) {
    if (attachment.contains("aliases")) aliases[network] = attachment;
    if (network != "default") names.push_back(network);
  }
  if (names.empty()) {
    definition.erase("networks");
  } else {
    definition["networks"] = names;
  }
  return aliases.empty() ? YamlData(nullptr) : YamlData{{"networks", aliases}};
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
    if (YamlData moved = take_aliases(definition); !moved.is_null()) {
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
    YamlData& out = doc["networks"][n.name.value] = YamlData::object();
    if (n.internal) out["internal"] = true;
    if (n.external) out["external"] = true;
  }
  for (const Volume& v : reg.volumes) {
    if (!volumes.contains(v.name.value)) continue;
    doc["volumes"][v.name.value] = v.external ? YamlData{{"external", true}} : YamlData::object();
  }
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
  out["container_name"] = reg.name.value + "-" + s.name.value;
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
