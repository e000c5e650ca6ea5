#include "registry/overlay.h"

#include <fmt/format.h>

#include "registry/loader.h"
#include "registry/yaml_reader.h"
#include "util/strings.h"

namespace fusion {
namespace {

constexpr std::array<std::string_view, 2> kTargets = {"engine", "kubernetes"};

void load_target(YamlReader& r, const YamlNode& value, RunTarget& target) {
  auto name = r.string(value, "'target'");
  if (!name) return;
  if (std::find(kTargets.begin(), kTargets.end(), name->value) == kTargets.end()) {
    auto best = closest_match(name->value, kTargets);
    r.error(value, fmt::format("unknown target '{}': 'engine' or 'kubernetes'{}", name->value,
                               best ? fmt::format("; did you mean '{}'?", *best) : ""));
    return;
  }
  target.target = *name;
}

void load_kubernetes(YamlReader& r, const YamlNode& value, RunTarget& target) {
  r.for_each_entry(value, keys::kOverlayKubernetes, "'kubernetes'",
                   [&](const Text& key, const YamlNode& v) {
                     auto text = r.string(v, "'kubernetes." + key.value + "'");
                     if (!text) return;
                     if (key.value == "context") target.context = *text;
                     if (key.value == "namespace") target.namespace_ = *text;
                     if (key.value == "kubeconfig") target.kubeconfig = *text;
                     if (key.value == "loader") target.loader = *text;
                   });
}

}  // namespace

Overlay load_overlay(const SourceSet& sources, uint32_t file, Diagnostics& diagnostics) {
  Overlay overlay;
  std::optional<YamlDocument> doc = parse_yaml(sources, file, diagnostics);
  if (!doc || doc->root().IsNull()) return overlay;
  const YamlNode* root = &doc->root();
  YamlReader r(file, diagnostics);
  r.for_each_entry(
      *root, keys::kOverlay, sources.path(file), [&](const Text& key, const YamlNode& value) {
        if (key.value == "local") {
          overlay.local = r.string_list(value, "'local'");
          return;
        }
        if (key.value == "target") return load_target(r, value, overlay.run_target);
        if (key.value == "kubernetes") {
          return load_kubernetes(r, value, overlay.run_target);
        }
        r.for_each_named(value, "'services'", [&](const Text& name, const YamlNode& v) {
          ServicePatch patch;
          patch.fields = load_service(r, name, v, &patch.keys);
          overlay.services.push_back(std::move(patch));
        });
      });
  return overlay;
}

namespace {

template <class Item, class Key>
void merge_by_key(std::vector<Item>& base, const std::vector<Item>& extra, Key key) {
  for (const Item& item : extra) {
    auto it =
        std::find_if(base.begin(), base.end(), [&](const Item& b) { return key(b) == key(item); });
    if (it != base.end()) {
      *it = item;
    } else {
      base.push_back(item);
    }
  }
}

void merge_build(const Build& patch, std::optional<Build>& base) {
  if (!base) {
    base = patch;
    return;
  }
  for (auto [from, to] : {std::pair{&patch.context, &base->context},
                          {&patch.dockerfile, &base->dockerfile},
                          {&patch.target, &base->target}}) {
    if (from->present()) *to = *from;
  }
  for (const auto& [k, v] : patch.args) base->args[k] = v;
}

/// The compose-named keys: `sysctls` merges entry by entry, the others replace.
void merge_run_key(const std::string& key, const Service& patch, Service& base) {
  if (key == "sysctls") {
    for (const auto& [k, v] : patch.sysctls) base.sysctls[k] = v;
  }
  if (key == "entrypoint") base.entrypoint = patch.entrypoint;
  if (key == "restart") base.restart = patch.restart;
  if (key == "env_file") base.env_files = patch.env_files;
  if (key == "extra_hosts") base.extra_hosts = patch.extra_hosts;
  if (key == "tmpfs") base.tmpfs = patch.tmpfs;
  if (key == "shm_size") base.shm_size = patch.shm_size;
  if (key == "ulimits") base.ulimits = patch.ulimits;
  if (key == "gpus") base.gpus = patch.gpus;
  if (key == "stop_grace_period") base.stop_grace_period = patch.stop_grace_period;
  if (key == "secrets") base.secrets = patch.secrets;
  if (key == "configs") base.configs = patch.configs;
  if (key == "replicas") base.replicas = patch.replicas;
  static const std::map<std::string_view, Text Service::*> texts = {
      {"user", &Service::user},
      {"working_dir", &Service::working_dir},
      {"hostname", &Service::hostname},
      {"container_name", &Service::container_name},
      {"stop_signal", &Service::stop_signal},
      {"platform", &Service::platform},
      {"pull_policy", &Service::pull_policy},
      {"pid", &Service::pid}};
  if (auto it = texts.find(key); it != texts.end()) base.*(it->second) = patch.*(it->second);
  static const std::map<std::string_view, std::vector<Text> Service::*> lists = {
      {"dns", &Service::dns},           {"cap_add", &Service::cap_add},
      {"cap_drop", &Service::cap_drop}, {"security_opt", &Service::security_opt},
      {"devices", &Service::devices},   {"group_add", &Service::group_add}};
  if (auto it = lists.find(key); it != lists.end()) base.*(it->second) = patch.*(it->second);
  static const std::map<std::string_view, std::optional<Located<bool>> Service::*> flags = {
      {"privileged", &Service::privileged},
      {"read_only", &Service::read_only},
      {"init", &Service::init}};
  if (auto it = flags.find(key); it != flags.end()) base.*(it->second) = patch.*(it->second);
}

void merge_key(const std::string& key, const Service& patch, Service& base) {
  if (key == "env")
    return merge_by_key(base.env, patch.env, [](const EnvVar& v) { return v.name.value; });
  if (key == "labels") {
    for (const auto& [k, v] : patch.labels) base.labels[k] = v;
    return;
  }
  if (key == "build") {
    if (patch.build) merge_build(*patch.build, base.build);
    return;
  }
  // Every other key replaces the base value whole.
  if (key == "description") base.description = patch.description;
  if (key == "group") base.group = patch.group;
  if (key == "phase") base.phase = patch.phase;
  if (key == "image") base.image = patch.image;
  if (key == "repo") base.repo = patch.repo;
  if (key == "path") base.path = patch.path;
  if (key == "subdomain") base.subdomain = patch.subdomain;
  if (key == "command") base.command = patch.command;
  if (key == "ports") base.ports = patch.ports;
  if (key == "expose") base.expose = patch.expose;
  if (key == "volumes") base.volumes = patch.volumes;
  if (key == "networks") base.networks = patch.networks;
  if (key == "depends_on") base.depends_on = patch.depends_on;
  if (key == "health") base.health = patch.health;
  if (key == "resources") base.resources = patch.resources;
  if (key == "profiles") base.profiles = patch.profiles;
  merge_run_key(key, patch, base);
}

Service* find_mutable(Registry& registry, const std::string& name) {
  for (Service& s : registry.services) {
    if (s.name.value == name) return &s;
  }
  return nullptr;
}

std::string suggest_service(const Registry& registry, const std::string& name) {
  std::vector<std::string> names;
  for (const Service& s : registry.services) names.push_back(s.name.value);
  auto best = closest_match(name, names);
  return best ? fmt::format("; did you mean '{}'?", *best) : "";
}

}  // namespace

void apply_overlay(const Overlay& overlay, Registry& registry, Diagnostics& diagnostics) {
  registry.run_target = overlay.run_target;
  for (const ServicePatch& patch : overlay.services) {
    Service* base = find_mutable(registry, patch.fields.name.value);
    if (!base) {
      diagnostics.error(
          patch.fields.name.pos,
          fmt::format("the overlay changes service '{}', which fusion.yaml does not "
                      "define{}",
                      patch.fields.name.value, suggest_service(registry, patch.fields.name.value)));
      continue;
    }
    for (const std::string& key : patch.keys) merge_key(key, patch.fields, *base);
  }
  choose_local(overlay.local, registry, diagnostics);
}

void choose_local(const std::vector<Text>& names, Registry& registry, Diagnostics& diagnostics) {
  for (Service& s : registry.services) s.local = s.local || (!s.image.present() && s.has_source());
  for (const Text& name : names) {
    Service* s = find_mutable(registry, name.value);
    if (s && !s->has_source()) {
      diagnostics.error(name.pos, fmt::format("service '{}' cannot run from local source: it has "
                                              "no 'repo' or 'path'",
                                              name.value));
      continue;
    }
    if (s) {
      s->local = true;
      continue;
    }
    std::string message = fmt::format("cannot run undefined service '{}' from local source{}",
                                      name.value, suggest_service(registry, name.value));
    diagnostics.error(name.pos, std::move(message));
  }
}

}  // namespace fusion
