#include "runtime/container_spec.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <nlohmann/json.hpp>

#include "generate/context.h"
#include "registry/interpolation.h"
#include "runtime/env_file.h"
#include "util/duration.h"
#include "util/file.h"
#include "util/strings.h"

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
  for (const EnvFile& file : service.env_files) {  // first: the service's own env wins
    std::filesystem::path path =
        (ctx.registry_dir / resolve_for_run(ctx, file.path.value)).lexically_normal();
    auto text = ctx.read_text ? ctx.read_text(path) : read_file(path);
    if (!text && !file.required) continue;
    if (!text) {
      return Error{fmt::format("service '{}': cannot read env_file {}: {}", service.name.value,
                               path.string(), text.error())};
    }
    for (const EnvFileEntry& e : parse_env_file(*text)) {
      std::optional<std::string> value = e.value;
      if (!value && ctx.variable) value = ctx.variable(e.name);
      if (value) env.emplace_back(e.name, *value);
    }
  }
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
    std::string source = resolve_for_run(ctx, v.source);
    if (v.named) {
      source = volume_name(*ctx.registry, source);
    } else if (!source.empty()) {
      if (source.starts_with("~/") && ctx.variable)
        source = ctx.variable("HOME").value_or("") + source.substr(1);
      source = (ctx.registry_dir / source).lexically_normal().string();
    }
    out.push_back({source, v.target, v.read_only, v.options});
  }
  return out;
}

const FileSource* find_source(const std::vector<FileSource>& sources, const std::string& name) {
  for (const FileSource& s : sources) {
    if (s.name.value == name) return &s;
  }
  return nullptr;
}

/// Secrets and configs as files: a `file:` is bind-mounted as it is; a value (the store, a
/// variable, a config's content) is written under files_dir and bind-mounted read-only.
Status add_file_mounts(const RunContext& ctx, const Service& service, bool secrets,
                       ContainerSpec& spec) {
  const Registry& reg = *ctx.registry;
  std::filesystem::path dir =
      ctx.files_dir.empty() ? ctx.registry_dir / ".fusion" / "files" : ctx.files_dir;
  for (const FileMount& m : secrets ? service.secrets : service.configs) {
    const FileSource* source = find_source(secrets ? reg.secrets : reg.configs, m.source.value);
    if (!source)
      return Error{
          fmt::format("service '{}' mounts undefined '{}'", service.name.value, m.source.value)};
    std::string target = m.target.empty() ? m.source.value : m.target;
    if (!target.starts_with('/')) target = (secrets ? "/run/secrets/" : "/") + target;
    if (source->file.present()) {
      std::string host = resolve_for_run(ctx, source->file.value);
      spec.mounts.push_back(
          {(ctx.registry_dir / host).lexically_normal().string(), target, true, {}});
      continue;
    }
    std::string content;
    if (source->environment.present()) {
      content = ctx.variable ? ctx.variable(source->environment.value).value_or("") : "";
    } else if (source->content.present()) {
      content = resolve_for_run(ctx, source->content.value);
    } else {
      auto it = ctx.secrets.find(source->name.value);
      if (it == ctx.secrets.end()) {
        return Error{fmt::format("service '{}' mounts secret '{}', which is not in the store",
                                 service.name.value, source->name.value)};
      }
      content = it->second;
    }
    std::string path =
        (dir / service.name.value / ((secrets ? "secret-" : "config-") + source->name.value))
            .string();
    spec.files.push_back({path, content, m.mode.value_or(0444)});
    spec.mounts.push_back({path, target, true, {}});
  }
  return ok_status();
}

std::string ulimit_text(int64_t v) { return v < 0 ? "-1" : std::to_string(v); }

/// The compose-named keys as engine flags; both podman and docker take these the same way.
std::vector<std::pair<std::string, std::string>> run_options(const RunContext& ctx,
                                                             const Service& s) {
  std::vector<std::pair<std::string, std::string>> o;
  auto text = [&](const char* flag, const Text& t) {
    if (t.present()) o.emplace_back(flag, resolve_for_run(ctx, t.value));
  };
  if (s.entrypoint)
    o.emplace_back(s.entrypoint->empty() ? "--entrypoint=" : "--entrypoint",
                   s.entrypoint->empty() ? "" : resolve_for_run(ctx, s.entrypoint->front()));
  if (s.restart) {
    std::string policy = restart_policy_name(s.restart->policy);
    if (s.restart->max_retries) policy += ":" + std::to_string(s.restart->max_retries);
    o.emplace_back("--restart", policy);
  }
  text("--user", s.user);
  text("--workdir", s.working_dir);
  text("--hostname", s.hostname);
  text("--stop-signal", s.stop_signal);
  text("--platform", s.platform);
  text("--pid", s.pid);
  if (s.pull_policy.present()) {
    std::string p = s.pull_policy.value == "if_not_present" || s.pull_policy.value == "build"
                        ? "missing"
                        : s.pull_policy.value;
    o.emplace_back("--pull", p);
  }
  if (s.stop_grace_period) {
    o.emplace_back("--stop-timeout",
                   std::to_string((s.stop_grace_period->value.count() + 999) / 1000));
  }
  for (const HostEntry& h : s.extra_hosts) o.emplace_back("--add-host", h.host + ":" + h.address);
  for (const Text& t : s.dns) o.emplace_back("--dns", t.value);
  for (const TmpfsMount& t : s.tmpfs)
    o.emplace_back("--tmpfs", t.options.empty() ? t.target : t.target + ":" + t.options);
  if (s.shm_size) o.emplace_back("--shm-size", std::to_string(s.shm_size->value));
  for (const Ulimit& u : s.ulimits)
    o.emplace_back("--ulimit", u.name + "=" + ulimit_text(u.soft) + ":" + ulimit_text(u.hard));
  for (const Text& t : s.cap_add) o.emplace_back("--cap-add", t.value);
  for (const Text& t : s.cap_drop) o.emplace_back("--cap-drop", t.value);
  for (const Text& t : s.security_opt) o.emplace_back("--security-opt", t.value);
  for (const Text& t : s.devices) o.emplace_back("--device", resolve_for_run(ctx, t.value));
  for (const Text& t : s.group_add) o.emplace_back("--group-add", t.value);
  for (const auto& [k, v] : s.sysctls) o.emplace_back("--sysctl", k + "=" + v);
  for (const GpuRequest& g : s.gpus) {
    o.emplace_back("--gpus", !g.device_ids.empty() ? "\"device=" + join(g.device_ids, ",") + "\""
                             : g.count < 0         ? "all"
                                                   : std::to_string(g.count));
  }
  if (s.privileged && s.privileged->value) o.emplace_back("--privileged", "");
  if (s.read_only && s.read_only->value) o.emplace_back("--read-only", "");
  return o;
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

std::string resolve_for_run(const RunContext& ctx, std::string_view text) {
  if (text.find('$') == std::string_view::npos) return std::string(text);
  return substitute(text, [&](const Reference& ref) -> std::optional<std::string> {
    if (ref.kind == Reference::Kind::kSecret) return std::nullopt;
    if (auto value = ctx.variable ? ctx.variable(ref.name) : std::nullopt) {
      if (!value->empty() || !ref.has_default) return value;
    }
    return ref.has_default ? ref.default_value : "";
  });
}

HealthCheck resolve_health(const RunContext& ctx, const HealthCheck& check) {
  HealthCheck out = check;
  out.http_path = resolve_for_run(ctx, check.http_path);
  for (std::string& word : out.command) word = resolve_for_run(ctx, word);
  return out;
}

std::string container_name(const Registry& registry, const Service& service) {
  if (service.container_name.present()) return service.container_name.value;
  return registry.name.value + "-" + service.name.value;
}

std::string network_name(const Registry& registry, const std::string& network) {
  const Network* declared = find_network(registry, network);
  if (declared && declared->external_name.present()) return declared->external_name.value;
  if (declared && declared->external) return network;
  return registry.name.value + "_" + network;
}

std::string volume_name(const Registry& registry, const std::string& volume) {
  const Volume* declared = find_volume(registry, volume);
  if (declared && declared->external_name.present()) return declared->external_name.value;
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
  spec.image = resolve_for_run(ctx, image);
  // Compose's entrypoint is a list; engines take one program, the rest goes before the command.
  if (service.entrypoint && service.entrypoint->size() > 1) {
    for (size_t i = 1; i < service.entrypoint->size(); ++i) {
      spec.command.push_back(resolve_for_run(ctx, (*service.entrypoint)[i]));
    }
  }
  for (const std::string& word : service.command)
    spec.command.push_back(resolve_for_run(ctx, word));
  spec.options = run_options(ctx, service);
  spec.init = !service.init || service.init->value;
  spec.env = std::move(env).value();
  spec.ports = published_ports(service);
  spec.mounts = mounts(ctx, service);
  spec.networks = network_joins(registry, service);
  spec.labels = service.labels;
  spec.labels[kStackLabel] = registry.name.value;
  spec.labels[kServiceLabel] = service.name.value;
  if (service.resources.memory_bytes) spec.memory_bytes = service.resources.memory_bytes->value;
  if (service.resources.millicpus) spec.millicpus = service.resources.millicpus->value;
  if (Status st = add_file_mounts(ctx, service, true, spec); !st) return Error{st.error()};
  if (Status st = add_file_mounts(ctx, service, false, spec); !st) return Error{st.error()};
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
  for (const Mount& m : spec.mounts) {
    j["mounts"].push_back({m.source, m.target, m.read_only});
    if (!m.options.empty()) j["mounts"].back().push_back(m.options);
  }
  // Added only when set, so a stack that uses none of them keeps the hash it had.
  if (!spec.options.empty()) j["options"] = spec.options;
  if (!spec.init) j["init"] = false;
  for (const HostFile& f : spec.files) j["files"].push_back({f.path, f.content, f.mode});
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
