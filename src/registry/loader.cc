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

void load_volumes(YamlReader& r, const YamlNode& node, Registry& reg) {
  r.for_each_named(node, "'volumes'", [&](const Text& name, const YamlNode& value) {
    Volume volume{.name = name, .external = false};
    std::string where = fmt::format("volume '{}'", name.value);
    r.for_each_entry(value, keys::kVolume, where, [&](const Text&, const YamlNode& v) {
      volume.external = r.boolean(v, "'external' of " + where).value_or(false);
    });
    reg.volumes.push_back(std::move(volume));
  });
}

void load_networks(YamlReader& r, const YamlNode& node, Registry& reg) {
  r.for_each_named(node, "'networks'", [&](const Text& name, const YamlNode& value) {
    Network network{.name = name, .internal = false, .external = false};
    std::string where = fmt::format("network '{}'", name.value);
    r.for_each_entry(value, keys::kNetwork, where, [&](const Text& key, const YamlNode& v) {
      bool flag = r.boolean(v, fmt::format("'{}' of {}", key.value, where)).value_or(false);
      (key.value == "internal" ? network.internal : network.external) = flag;
    });
    reg.networks.push_back(std::move(network));
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
