#include "registry/loader.h"

#include <fmt/format.h>

#include "registry/yaml_reader.h"

namespace fusion {

std::optional<YamlDocument> parse_yaml(const SourceSet& sources, uint32_t file,
                                       Diagnostics& diagnostics) {
  auto parsed = YamlDocument::parse(sources.text(file));
  if (auto* doc = std::get_if<YamlDocument>(&parsed)) return std::move(*doc);
  const YamlSyntaxError& e = std::get<YamlSyntaxError>(parsed);
  diagnostics.error(SourcePos{file, e.line, e.column, 1},
                    fmt::format("invalid YAML: {}", e.message));
  return std::nullopt;
}

namespace {

void load_repos(YamlReader& r, const YamlNode& node, Registry& reg) {
  r.for_each_named(node, "'repos'", [&](const Text& name, const YamlNode& value) {
    Repo repo{.name = name, .url = {}, .branch = {}};
    if (value.IsScalar()) {  // shorthand: `core-api: https://…/core-api.git`
      repo.url = *r.string(value, "the repository URL");
    } else {
      std::string where = fmt::format("repo '{}'", name.value);
      r.for_each_entry(value, keys::kRepo, where, [&](const Text& key, const YamlNode& v) {
        Text& field = key.value == "url" ? repo.url : repo.branch;
        if (auto s = r.string(v, fmt::format("'{}' of {}", key.value, where))) field = *s;
      });
    }
    reg.repos.push_back(std::move(repo));
  });
}

void load_phases(YamlReader& r, const YamlNode& node, Registry& reg) {
  r.for_each_named(node, "'phases'", [&](const Text& name, const YamlNode& value) {
    Phase phase{.name = name, .order = {}, .timeout = {}, .description = {}};
    std::string where = fmt::format("phase '{}'", name.value);
    r.for_each_entry(value, keys::kPhase, where, [&](const Text& key, const YamlNode& v) {
      std::string what = fmt::format("'{}' of {}", key.value, where);
      if (key.value == "order") {
        if (auto n = r.integer(v, what, 0, 1000)) phase.order = *n;
      } else if (key.value == "timeout") {
        phase.timeout = r.duration(v, what);
      } else if (auto s = r.string(v, what)) {
        phase.description = s->value;
      }
    });
    reg.phases.push_back(std::move(phase));
  });
}

void read_driver_key(YamlReader& r, const Text& key, const YamlNode& v, const std::string& where,
                     Text& external_name, std::string& driver,
                     std::map<std::string, std::string>& driver_opts) {
  std::string what = fmt::format("'{}' of {}", key.value, where);
  if (key.value == "driver_opts") {
    driver_opts = r.string_map(v, what);
  } else if (auto text = r.string(v, what)) {
    (key.value == "name" ? external_name.value : driver) = text->value;
    if (key.value == "name") external_name.pos = text->pos;
  }
}

void load_volumes(YamlReader& r, const YamlNode& node, Registry& reg) {
  r.for_each_named(node, "'volumes'", [&](const Text& name, const YamlNode& value) {
    Volume volume{
        .name = name, .external = false, .external_name = {}, .driver = {}, .driver_opts = {}};
    std::string where = fmt::format("volume '{}'", name.value);
    r.for_each_entry(value, keys::kVolume, where, [&](const Text& key, const YamlNode& v) {
      if (key.value == "external") {
        volume.external = r.boolean(v, "'external' of " + where).value_or(false);
      } else {
        read_driver_key(r, key, v, where, volume.external_name, volume.driver, volume.driver_opts);
      }
    });
    reg.volumes.push_back(std::move(volume));
  });
}

void load_ipam(YamlReader& r, const YamlNode& node, const std::string& where, Network& network) {
  r.for_each_entry(
      node, keys::kIpam, "'ipam' of " + where, [&](const Text& key, const YamlNode& v) {
        if (key.value == "driver") {
          r.string(v, "'driver' of the ipam of " + where);  // only the default driver is used
          return;
        }
        r.for_each_item(v, "'config' of the ipam of " + where, [&](const YamlNode& item) {
          Subnet subnet{.subnet = {}, .gateway = {}, .ip_range = {}, .pos = r.pos(item)};
          r.for_each_entry(
              item, keys::kSubnet, "a subnet of " + where, [&](const Text& k, const YamlNode& x) {
                auto t = r.string(x, fmt::format("'{}' of a subnet of {}", k.value, where));
                if (!t) return;
                (k.value == "subnet"    ? subnet.subnet
                 : k.value == "gateway" ? subnet.gateway
                                        : subnet.ip_range) = t->value;
              });
          if (subnet.subnet.empty()) {
            r.error(item,
                    fmt::format("a subnet of {} needs 'subnet' (CIDR, e.g. 10.5.0.0/24)", where));
            return;
          }
          network.subnets.push_back(std::move(subnet));
        });
      });
}

void load_networks(YamlReader& r, const YamlNode& node, Registry& reg) {
  r.for_each_named(node, "'networks'", [&](const Text& name, const YamlNode& value) {
    Network network{.name = name,
                    .internal = false,
                    .external = false,
                    .external_name = {},
                    .driver = {},
                    .driver_opts = {},
                    .subnets = {}};
    std::string where = fmt::format("network '{}'", name.value);
    r.for_each_entry(value, keys::kNetwork, where, [&](const Text& key, const YamlNode& v) {
      if (key.value == "internal" || key.value == "external") {
        bool flag = r.boolean(v, fmt::format("'{}' of {}", key.value, where)).value_or(false);
        (key.value == "internal" ? network.internal : network.external) = flag;
      } else if (key.value == "ipam") {
        load_ipam(r, v, where, network);
      } else {
        read_driver_key(r, key, v, where, network.external_name, network.driver,
                        network.driver_opts);
      }
    });
    reg.networks.push_back(std::move(network));
  });
}

/// Top-level `secrets:` / `configs:`: name → {file | environment | content}, or nothing (a
/// secret from fusion's store).
void load_file_sources(YamlReader& r, const YamlNode& node, const std::string& kind,
                       std::vector<FileSource>& out) {
  r.for_each_named(node, "'" + kind + "s'", [&](const Text& name, const YamlNode& value) {
    FileSource source{.name = name,
                      .file = {},
                      .environment = {},
                      .content = {},
                      .external = false,
                      .pos = name.pos};
    std::string where = fmt::format("{} '{}'", kind, name.value);
    r.for_each_entry(value, keys::kFileSource, where, [&](const Text& key, const YamlNode& v) {
      std::string what = fmt::format("'{}' of {}", key.value, where);
      if (key.value == "external") {
        source.external = r.boolean(v, what).value_or(false);
      } else if (auto text = r.string(v, what)) {
        (key.value == "file"          ? source.file
         : key.value == "environment" ? source.environment
                                      : source.content) = *text;
      }
    });
    out.push_back(std::move(source));
  });
}

void load_top_level(YamlReader& r, const Text& key, const YamlNode& value, Registry& reg) {
  const std::string& k = key.value;
  if (k == "version") {
    if (auto v = r.integer(value, "'version'", 0, 1'000'000)) reg.version = *v;
  } else if (k == "name" || k == "domain") {
    if (auto s = r.string(value, "'" + k + "'")) (k == "name" ? reg.name : reg.domain) = *s;
  } else if (k == "workspace") {
    r.for_each_entry(value, keys::kWorkspace, "'workspace'",
                     [&](const Text& field, const YamlNode& v) {
                       auto s = r.string(v, fmt::format("'{}' of 'workspace'", field.value));
                       if (s)
                         (field.value == "root" ? reg.workspace_root : reg.workspace_layout) = *s;
                     });
  } else if (k == "repos") {
    load_repos(r, value, reg);
  } else if (k == "phases") {
    load_phases(r, value, reg);
  } else if (k == "services") {
    r.for_each_named(value, "'services'", [&](const Text& name, const YamlNode& v) {
      reg.services.push_back(load_service(r, name, v));
    });
  } else if (k == "volumes") {
    load_volumes(r, value, reg);
  } else if (k == "networks") {
    load_networks(r, value, reg);
  } else if (k == "secrets" || k == "configs") {
    load_file_sources(r, value, k.substr(0, k.size() - 1),
                      k == "secrets" ? reg.secrets : reg.configs);
  }
}

}  // namespace

std::optional<Registry> load_registry(const SourceSet& sources, uint32_t file,
                                      Diagnostics& diagnostics) {
  Registry reg;
  reg.origin = SourcePos{file, 1, 1, 1};
  std::optional<YamlDocument> doc = parse_yaml(sources, file, diagnostics);
  if (!doc) return std::nullopt;
  const YamlNode* root = &doc->root();
  YamlReader reader(file, diagnostics);
  if (root->IsNull()) return reg;  // an empty file: the validator says what is missing
  if (!root->IsMap()) {
    diagnostics.error(
        reader.pos(*root),
        fmt::format("{} must be a map with 'version', 'name' and 'services', found {}",
                    sources.path(file), describe_node(*root)));
    return std::nullopt;
  }
  reader.for_each_entry(
      *root, keys::kTop, "the registry",
      [&](const Text& key, const YamlNode& value) { load_top_level(reader, key, value, reg); });
  return reg;
}

}  // namespace fusion
