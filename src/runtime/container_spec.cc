#include "runtime/container_spec.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <nlohmann/json.hpp>

#include "generate/context.h"
#include "registry/interpolation.h"

namespace fusion {

namespace {

const Network* find_network(const Registry& registry, const std::string& name) {
  for (const Network& n : registry.networks) {
    if (n.name.value == name) return &n;
  }
  return nullptr;
}

const Volume* find_volume(const Registry& registry, const std::string& name) {
  for (const Volume& v : registry.volumes) {
    if (v.name.value == name) return &v;
  }
  return nullptr;
}

Result<std::vector<std::pair<std::string, std::string>>> resolve_env(const RunContext& ctx,
                                                                     const Service& service) {
  std::vector<std::pair<std::string, std::string>> env;
  std::string missing;
  auto value_of = [&](const Reference& ref) -> std::optional<std::string> {
    if (ref.kind == Reference::Kind::kSecret) {
      auto it = ctx.secrets.find(ref.name);
      if (it != ctx.secrets.end()) return it->second;
      missing = ref.name;
      return "";
    }
    if (auto value = ctx.variable ? ctx.variable(ref.name) : std::nullopt) return value;
    return ref.has_default ? ref.default_value : "";
  };
  for (const EnvVar& var : service.env) {
    std::string value = var.secret ? "${secret:" + var.secret->value + "}" : var.value;
    env.emplace_back(var.name.value, substitute(value, value_of));
    if (!missing.empty()) {
      return Error{fmt::format("service '{}' reads secret '{}', which is not in the store",
                               service.name.value, missing)};
    }
  }
  return env;
}

std::vector<NetworkJoin> network_joins(const Registry& registry, const Service& service) {
  std::string hostname = service_hostname(registry, service);
  auto join = [&](const std::string& network, const std::vector<Text>& declared) {
    NetworkJoin j{network_name(registry, network), {service.name.value}};
    for (const Text& alias : declared) j.aliases.push_back(alias.value);
    if (!hostname.empty()) j.aliases.push_back(hostname);
    return j;
  };
  std::vector<NetworkJoin> joins;
  for (const NetworkAttachment& n : service.networks)
    joins.push_back(join(n.name.value, n.aliases));
  if (joins.empty()) joins.push_back(join("default", {}));
  return joins;
}

std::vector<Mount> mounts(const RunContext& ctx, const Service& service) {
  std::vector<Mount> out;
  for (const VolumeMount& v : service.volumes) {
    std::string source = v.named ? volume_name(*ctx.registry, v.source)
                                 : (ctx.registry_dir / v.source).lexically_normal().string();
    out.push_back({source, v.target, v.read_only});
  }
  return out;
}

std::vector<PublishedPort> published_ports(const Service& service) {
  std::vector<PublishedPort> out;
  for (const PortMapping& p : service.ports) {
    out.push_back(
        {p.host_ip, p.host_port, p.container_port, p.protocol == Protocol::kUdp ? "udp" : "tcp"});
  }
  return out;
}

}  // namespace

std::string container_name(const Registry& registry, const Service& service) {
  return registry.name.value + "-" + service.name.value;
}

std::string network_name(const Registry& registry, const std::string& network) {
  const Network* declared = find_network(registry, network);
  if (declared && declared->external) return network;
  return registry.name.value + "_" + network;
}

std::string volume_name(const Registry& registry, const std::string& volume) {
  const Volume* declared = find_volume(registry, volume);
  if (declared && declared->external) return volume;
  return registry.name.value + "_" + volume;
}

std::string local_image_tag(const Registry& registry, const Service& service,
                            const std::string& context_digest) {
  return fmt::format("localhost/{}-{}:{}", registry.name.value, service.name.value,
                     context_digest.substr(0, 16));
}

std::map<std::string, std::string> stack_labels(const Registry& registry) {
  return {{kStackLabel, registry.name.value}};
}

Result<ContainerSpec> make_container_spec(const RunContext& ctx, const Service& service,
                                          const std::string& image) {
  const Registry& registry = *ctx.registry;
  auto env = resolve_env(ctx, service);
  if (!env) return Error{env.error()};
  ContainerSpec spec;
  spec.name = container_name(registry, service);
  spec.image = image;
  spec.command = service.command;
  spec.env = std::move(env).value();
  spec.ports = published_ports(service);
  spec.mounts = mounts(ctx, service);
  spec.networks = network_joins(registry, service);
  spec.labels = service.labels;
  spec.labels[kStackLabel] = registry.name.value;
  spec.labels[kServiceLabel] = service.name.value;
  if (service.resources.memory_bytes) spec.memory_bytes = service.resources.memory_bytes->value;
  if (service.resources.millicpus) spec.millicpus = service.resources.millicpus->value;
  spec.labels[kConfigHashLabel] = config_hash(spec);
  return spec;
}

std::string config_hash(const ContainerSpec& spec) {
  nlohmann::json j;
  j["name"] = spec.name;
  j["image"] = spec.image;
  j["command"] = spec.command;
  j["env"] = spec.env;
  for (const PublishedPort& p : spec.ports) {
    j["ports"].push_back({p.host_ip, p.host_port, p.container_port, p.protocol});
  }
  for (const Mount& m : spec.mounts) j["mounts"].push_back({m.source, m.target, m.read_only});
  for (const NetworkJoin& n : spec.networks) j["networks"].push_back({n.network, n.aliases});
  j["labels"] = spec.labels;
  j["labels"].erase(kConfigHashLabel);
  j["memory"] = spec.memory_bytes;
  j["cpus"] = spec.millicpus;
  std::string text = j.dump();
  XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

}  // namespace fusion
