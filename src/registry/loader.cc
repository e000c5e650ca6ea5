#include "registry/loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "registry/yaml_reader.h"

namespace fusion {

std::optional<YAML::Node> parse_yaml(const SourceSet& sources, uint32_t file,
                                     Diagnostics& diagnostics) {
  try {
    return YAML::Load(sources.text(file));
  } catch (const YAML::ParserException& e) {
    SourcePos pos{file, static_cast<uint32_t>(e.mark.line + 1),
                  static_cast<uint32_t>(e.mark.column + 1), 1};
    if (e.mark.is_null()) pos = SourcePos{file, 0, 0, 1};
    diagnostics.error(pos, fmt::format("invalid YAML: {}", e.msg));
  }
  return std::nullopt;
}

namespace {

void load_repos(YamlReader& r, const YAML::Node& node, Registry& reg) {
  r.for_each_named(node, "'repos'", [&](const Text& name, const YAML::Node& value) {
    Repo repo{.name = name, .url = {}, .branch = {}};
    if (value.IsScalar()) {  // shorthand: `core-api: https://…/core-api.git`
      repo.url = *r.string(value, "the repository URL");
    } else {
      std::string where = fmt::format("repo '{}'", name.value);
      r.for_each_entry(value, keys::kRepo, where, [&](const Text& key, const YAML::Node& v) {
        Text& field = key.value == "url" ? repo.url : repo.branch;
        if (auto s = r.string(v, fmt::format("'{}' of {}", key.value, where))) field = *s;
      });
    }
    reg.repos.push_back(std::move(repo));
  });
}

void load_phases(YamlReader& r, const YAML::Node& node, Registry& reg) {
  r.for_each_named(node, "'phases'", [&](const Text& name, const YAML::Node& value) {
    Phase phase{.name = name, .order = {}, .timeout = {}, .description = {}};
    std::string where = fmt::format("phase '{}'", name.value);
    r.for_each_entry(value, keys::kPhase, where, [&](const Text& key, const YAML::Node& v) {
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

void load_volumes(YamlReader& r, const YAML::Node& node, Registry& reg) {
  r.for_each_named(node, "'volumes'", [&](const Text& name, const YAML::Node& value) {
    Volume volume{.name = name, .external = false};
    std::string where = fmt::format("volume '{}'", name.value);
    r.for_each_entry(value, keys::kVolume, where, [&](const Text&, const YAML::Node& v) {
      volume.external = r.boolean(v, "'external' of " + where).value_or(false);
    });
    reg.volumes.push_back(std::move(volume));
  });
}

void load_networks(YamlReader& r, const YAML::Node& node, Registry& reg) {
  r.for_each_named(node, "'networks'", [&](const Text& name, const YAML::Node& value) {
    Network network{.name = name, .internal = false, .external = false};
    std::string where = fmt::format("network '{}'", name.value);
    r.for_each_entry(value, keys::kNetwork, where, [&](const Text& key, const YAML::Node& v) {
      bool flag = r.boolean(v, fmt::format("'{}' of {}", key.value, where)).value_or(false);
      (key.value == "internal" ? network.internal : network.external) = flag;
    });
    reg.networks.push_back(std::move(network));
  });
}

void load_top_level(YamlReader& r, const Text& key, const YAML::Node& value, Registry& reg) {
  const std::string& k = key.value;
  if (k == "version") {
    if (auto v = r.integer(value, "'version'", 0, 1'000'000)) reg.version = *v;
  } else if (k == "name" || k == "domain") {
    if (auto s = r.string(value, "'" + k + "'")) (k == "name" ? reg.name : reg.domain) = *s;
  } else if (k == "workspace") {
    r.for_each_entry(value, keys::kWorkspace, "'workspace'", [&](const Text&, const YAML::Node& v) {
      if (auto s = r.string(v, "'root' of 'workspace'")) reg.workspace_root = *s;
    });
  } else if (k == "repos") {
    load_repos(r, value, reg);
  } else if (k == "phases") {
    load_phases(r, value, reg);
  } else if (k == "services") {
    r.for_each_named(value, "'services'", [&](const Text& name, const YAML::Node& v) {
      reg.services.push_back(load_service(r, name, v));
    });
  } else if (k == "volumes") {
    load_volumes(r, value, reg);
  } else if (k == "networks") {
    load_networks(r, value, reg);
  }
}

}  // namespace

std::optional<Registry> load_registry(const SourceSet& sources, uint32_t file,
                                      Diagnostics& diagnostics) {
  Registry reg;
  reg.origin = SourcePos{file, 1, 1, 1};
  std::optional<YAML::Node> root = parse_yaml(sources, file, diagnostics);
  if (!root) return std::nullopt;
  YamlReader reader(file, diagnostics);
  if (root->IsNull()) return reg;  // an empty file: the validator says what is missing
  if (!root->IsMap()) {
    diagnostics.error(reader.pos(*root),
                      fmt::format("{} must be a map with 'version', 'name' and 'services', found {}",
                                  sources.path(file), describe_node(*root)));
    return std::nullopt;
  }
  reader.for_each_entry(*root, keys::kTop, "the registry",
                        [&](const Text& key, const YAML::Node& value) {
                          load_top_level(reader, key, value, reg);
                        });
  return reg;
}

}  // namespace fusion
