#include "importer/compose_names.h"

#include <fmt/format.h>

#include <set>

#include "detect/detect.h"
#include "generate/context.h"
#include "registry/mount.h"
#include "util/strings.h"

namespace fusion {

namespace fs = std::filesystem;

std::string rebased_path(const ImportOptions& options, const std::string& path) {
  if (path.empty() || path.starts_with('/') || path.starts_with('~') || path.starts_with('$')) {
    return path;
  }
  std::string rel =
      relative_path(options.registry_dir, (options.compose_dir / path).lexically_normal());
  return rel.empty() ? "." : rel;
}

std::map<std::string, std::string> fusion_names(const ComposeValue& section,
                                                const std::string& kind,
                                                std::vector<ImportNote>& notes,
                                                const MergedCompose& compose) {
  std::map<std::string, std::string> renamed;
  if (!section.is_object()) return renamed;
  for (const auto& [name, value] : section.items()) {
    if (is_dns1123_label(name)) continue;
    renamed[name] = service_name_for(name);
    std::string also = kind == "service" ? "; the old name stays reachable as a network alias" : "";
    notes.push_back({kind == "service" ? compose.origin(name, "") : "",
                     fmt::format("{} '{}' is named '{}' in fusion.yaml (names are DNS labels){}",
                                 kind, name, renamed[name], also)});
  }
  return renamed;
}

std::string renamed_or(const std::map<std::string, std::string>& names, const std::string& n) {
  auto it = names.find(n);
  return it == names.end() ? n : it->second;
}

void follow_renames(YamlData& service, const std::string& old_name, bool service_renamed,
                    const std::map<std::string, std::string>& networks,
                    const std::map<std::string, std::string>& volumes, bool& needs_default) {
  if (service.contains("volumes")) {
    for (YamlData& v : service["volumes"]) {
      std::string spec = v.get<std::string>();
      std::vector<std::string> parts = split_outside_braces(spec, ':');
      if (parts.size() < 2 || !is_named_volume(parts[0]) || !volumes.contains(parts[0])) continue;
      v = volumes.at(parts[0]) + spec.substr(parts[0].size());
    }
  }
  YamlData attached = YamlData::object();
  if (service.contains("networks")) {
    const YamlData& current = service["networks"];
    if (current.is_array()) {
      for (const YamlData& n : current)
        attached[renamed_or(networks, n.get<std::string>())] = YamlData::object();
    } else {
      for (const auto& [n, a] : current.items()) attached[renamed_or(networks, n)] = a;
    }
  } else if (service_renamed) {
    attached["default"] = YamlData::object();
    needs_default = true;
  }
  if (service_renamed) {
    for (auto& [n, a] : attached.items()) a["aliases"].push_back(old_name);
  }
  if (!attached.empty()) service["networks"] = attached;
}

YamlData top_level(const ComposeValue& section, const std::string& kind,
                   const ImportOptions& options, std::vector<ImportNote>& notes) {
  static const std::map<std::string, std::set<std::string>> kept = {
      {"network", {"external", "internal", "name", "driver", "driver_opts", "ipam"}},
      {"volume", {"external", "name", "driver", "driver_opts"}},
      {"secret", {"file", "environment", "external"}},
      {"config", {"file", "environment", "content", "external"}}};
  YamlData out = YamlData::object();
  for (const auto& [name, spec] : section.items()) {
    YamlData entry = YamlData::object();
    static const ComposeValue kNone = ComposeValue::object();
    for (const auto& [key, v] : (spec.is_object() ? spec : kNone).items()) {
      if (!kept.at(kind).contains(key)) {
        notes.push_back({"", fmt::format("{} '{}': '{}' is not represented", kind, name, key)});
      } else if (key == "external" || key == "internal") {
        if (text_of(v) == "true" || (v.is_object() && key == "external")) entry[key] = true;
        if (v.is_object() && v.contains("name")) entry["name"] = text_of(v["name"]);
      } else if (key == "driver_opts") {
        for (const auto& [k, o] : v.items()) entry[key][k] = text_of(o);
      } else if (key == "ipam") {
        for (const auto& c : at(v, "config")) {
          YamlData subnet = YamlData::object();
          for (const char* field : {"subnet", "gateway", "ip_range"}) {
            if (c.contains(field)) subnet[field] = text_of(c[field]);
          }
          if (!subnet.empty()) entry["ipam"]["config"].push_back(subnet);
        }
      } else if (key == "file") {
        entry[key] = rebased_path(options, text_of(v));
      } else {
        entry[key] = text_of(v);
      }
    }
    out[name] = entry;
  }
  return out;
}

}  // namespace fusion
