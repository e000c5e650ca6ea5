#include "importer/compose_import.h"

#include <fmt/format.h>

#include <charconv>
#include <set>

#include "detect/detect.h"
#include "generate/context.h"
#include "generate/yaml_emitter.h"
#include "registry/port.h"
#include "util/duration.h"
#include "util/quantity.h"
#include "util/strings.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

/// Whether a service key's value has a shape compose allows (s: scalar, l: list, m: map).
bool has_compose_shape(const std::string& key, const ComposeValue& value) {
  static const std::map<std::string, std::string> shapes = {
      {"image", "s"},       {"build", "sm"},   {"command", "sl"},  {"environment", "lm"},
      {"ports", "l"},       {"volumes", "l"},  {"networks", "lm"}, {"depends_on", "lm"},
      {"healthcheck", "m"}, {"profiles", "l"}, {"labels", "lm"},   {"deploy", "m"},
      {"mem_limit", "s"},   {"cpus", "s"}};
  auto it = shapes.find(key);
  if (it == shapes.end()) return true;
  char kind = value.is_object() ? 'm' : value.is_array() ? 'l' : value.is_null() ? 'n' : 's';
  return it->second.find(kind) != std::string::npos;
}

/// One service's conversion, collecting notes as it goes.
class ServiceImport {
 public:
  ServiceImport(const MergedCompose& compose, const ImportOptions& options, std::string name,
                std::vector<ImportNote>& notes)
      : compose_(compose), options_(options), name_(std::move(name)), notes_(notes) {}

  void drop(const std::string& key, const std::string& why) {
    notes_.push_back({compose_.origin(name_, key),
                      key.empty() ? fmt::format("service '{}' {}", name_, why)
                                  : fmt::format("service '{}': '{}' {}", name_, key, why)});
  }

  /// A compose path (relative to the compose folder) as fusion.yaml writes it.
  std::string rebased(const std::string& path) const {
    if (path.empty() || path.starts_with('/') || path.starts_with('~') || path.starts_with('$')) {
      return path;
    }
    std::string rel =
        relative_path(options_.registry_dir, (options_.compose_dir / path).lexically_normal());
    return rel.empty() ? "." : rel;
  }

  YamlData build(const ComposeValue& value, YamlData& out) {
    ComposeValue build = value.is_string() ? ComposeValue{{"context", value}} : value;
    out["path"] = rebased(text_at(build, "context", "."));
    YamlData section = YamlData::object();
    for (const auto& [key, v] : build.items()) {
      if (key == "context") continue;
      if (key == "dockerfile" || key == "target") {
        section[key] = text_of(v);
      } else if (key == "args") {
        const ComposeValue args = as_key_map(v);
        for (const auto& [arg, arg_value] : args.items()) {
          if (arg_value.is_null()) {
            drop("build",
                 fmt::format("arg {} takes its value from the shell; fusion needs a value", arg));
          } else {
            section["args"][arg] = text_of(arg_value);
          }
        }
      } else {
        drop("build", fmt::format("option '{}' is not represented", key));
      }
    }
    return section;
  }

  YamlData command(const ComposeValue& value) {
    YamlData out = YamlData::array();
    if (value.is_array()) {
      for (const auto& word : value) out.push_back(text_of(word));
      return out;
    }
    auto words = shell_split(text_of(value));
    if (!words) {
      drop("command", words.error());
      return nullptr;
    }
    for (const std::string& w : *words) out.push_back(w);
    return out;
  }

  YamlData environment(const ComposeValue& value) {
    ComposeValue vars = as_key_map(value);
    bool pass_through = false;
    for (const auto& [k, v] : vars.items()) pass_through |= v.is_null();
    YamlData out = pass_through ? YamlData::array() : YamlData::object();
    for (const auto& [k, v] : vars.items()) {
      if (v.is_null()) {
        drop("environment", fmt::format("{} alone is read as ${{{}}}: when it is unset, the "
                                        "container gets it empty rather than not at all",
                                        k, k));
      }
      if (pass_through) {
        out.push_back(v.is_null() ? k : k + "=" + text_of(v));
      } else {
        out[k] = text_of(v);
      }
    }
    return out;
  }

  YamlData ports(const ComposeValue& value) {
    YamlData out = YamlData::array();
    for (const auto& port : value) {
      std::string spec = port.is_object() ? long_port(port) : text_of(port);
      if (spec.empty()) continue;
      if (auto parsed = parse_port(spec); !parsed) {
        drop("ports", fmt::format("entry \"{}\" is not a port fusion can represent ({})", spec,
                                  parsed.error()));
        continue;
      }
      out.push_back(spec);
    }
    return out;
  }

  std::string long_port(const ComposeValue& port) {
    std::string spec = text_at(port, "target");
    if (port.contains("published")) spec = text_of(port["published"]) + ":" + spec;
    if (port.contains("host_ip")) spec = text_of(port["host_ip"]) + ":" + spec;
    if (text_at(port, "protocol", "tcp") != "tcp") spec += "/" + text_at(port, "protocol");
    if (port.contains("mode")) drop("ports", "mode of a long-form port is not represented");
    return spec;
  }

  YamlData volumes(const ComposeValue& value) {
    YamlData out = YamlData::array();
    for (const auto& volume : value) {
      std::string spec = volume.is_object() ? long_volume(volume) : text_of(volume);
      if (spec.empty()) continue;
      std::vector<std::string_view> parts = split(spec, ':');
      if (parts.size() >= 2) {
        std::string source = rebased_host_path(std::string(parts[0]));
        spec = source + spec.substr(parts[0].size());
      }
      out.push_back(spec);
    }
    return out;
  }

  std::string rebased_host_path(const std::string& source) const {
    return source.starts_with('.') ? rebased(source) : source;
  }

  std::string long_volume(const ComposeValue& volume) {
    std::string type = text_at(volume, "type", "volume");
    if (type != "volume" && type != "bind") {
      drop("volumes", fmt::format("a {} mount is not represented", type));
      return "";
    }
    std::string spec = text_at(volume, "target");
    if (volume.contains("source")) spec = text_of(volume["source"]) + ":" + spec;
    if (text_at(volume, "read_only") == "true") spec += ":ro";
    for (const char* key : {"bind", "volume", "tmpfs", "consistency"}) {
      if (volume.contains(key))
        drop("volumes", fmt::format("'{}' options of a mount are not represented", key));
    }
    return spec;
  }

  YamlData networks(const ComposeValue& value) {
    if (value.is_array()) {
      YamlData out = YamlData::array();
      for (const auto& n : value) out.push_back(text_of(n));
      return out;
    }
    YamlData out = YamlData::object();
    for (const auto& [network, attachment] : value.items()) {
      YamlData entry = YamlData::object();
      if (attachment.is_object()) {
        for (const auto& [key, v] : attachment.items()) {
          if (key == "aliases" && v.is_array()) {
            for (const auto& alias : v) entry["aliases"].push_back(text_of(alias));
          } else {
            drop("networks", fmt::format("'{}' of network {} is not represented", key, network));
          }
        }
      }
      out[network] = entry;
    }
    return out;
  }

  YamlData depends_on(const ComposeValue& value, const std::map<std::string, std::string>& names) {
    YamlData out = YamlData::object();
    auto renamed = [&](const std::string& n) {
      auto it = names.find(n);
      return it == names.end() ? n : it->second;
    };
    if (value.is_array()) {
      for (const auto& dep : value) out[renamed(text_of(dep))] = "started";
      return out;
    }
    for (const auto& [dep, spec] : value.items()) {
      std::string condition = text_at(spec, "condition", "service_started");
      static const std::map<std::string, std::string> conditions = {
          {"service_started", "started"},
          {"service_healthy", "healthy"},
          {"service_completed_successfully", "completed"}};
      auto it = conditions.find(condition);
      if (it == conditions.end()) {
        drop("depends_on", fmt::format("condition '{}' of {} is not represented; 'started' used",
                                       condition, dep));
      }
      out[renamed(dep)] = it == conditions.end() ? "started" : it->second;
      if (spec.is_object()) {
        for (const auto& [key, v] : spec.items()) {
          if (key != "condition")
            drop("depends_on", fmt::format("'{}' of {} is not represented", key, dep));
        }
      }
    }
    return out;
  }

  /// A compose duration as fusion writes it; compose's default when absent.
  std::string duration(const ComposeValue& check, const char* key, const char* fallback) {
    if (!check.contains(key)) return fallback;
    std::string text = text_of(check[key]);
    if (auto d = parse_duration(text)) return format_duration(*d);
    drop("healthcheck",
         fmt::format("{} \"{}\" is not a duration fusion reads; {} used", key, text, fallback));
    return fallback;
  }

  YamlData healthcheck(const ComposeValue& check) {
    if (text_at(check, "disable") == "true") return nullptr;
    const ComposeValue& test = at(check, "test");
    YamlData exec = YamlData::array();
    if (test.is_string()) {
      exec = {"sh", "-c", test.get<std::string>()};
    } else if (test.is_array() && !test.empty()) {
      std::string form = text_of(test[0]);
      if (form == "NONE") return nullptr;
      if (form == "CMD-SHELL" && test.size() == 2) {
        exec = {"sh", "-c", text_of(test[1])};
      } else if (form == "CMD") {
        for (size_t i = 1; i < test.size(); ++i) exec.push_back(text_of(test[i]));
      }
    }
    if (exec.empty()) {
      drop("healthcheck", "has no test fusion can run; the image's own HEALTHCHECK is used");
      return YamlData{{"container", true}};
    }
    // Compose's defaults, written out: fusion's own defaults differ.
    YamlData out = {{"exec", exec},
                    {"interval", duration(check, "interval", "30s")},
                    {"timeout", duration(check, "timeout", "30s")}};
    std::string retries = text_at(check, "retries", "3");
    uint32_t count = 3;
    auto [end, ec] = std::from_chars(retries.data(), retries.data() + retries.size(), count);
    if (ec != std::errc{} || end != retries.data() + retries.size() || count == 0) {
      drop("healthcheck", fmt::format("retries \"{}\" is not a positive count; 3 used", retries));
      count = 3;
    }
    out["retries"] = count;
    out["start_period"] = duration(check, "start_period", "0s");
    if (check.contains("start_interval")) drop("healthcheck", "start_interval is not represented");
    return out;
  }

  void resources(const ComposeValue& service, YamlData& out) {
    const ComposeValue& deploy = at(service, "deploy");
    const ComposeValue& limits = at(at(deploy, "resources"), "limits");
    if (deploy.is_object()) {
      for (const auto& [key, v] : deploy.items()) {
        if (key != "resources") drop("deploy", fmt::format("'{}' is not represented", key));
      }
    }
    if (!at(at(deploy, "resources"), "reservations").is_null()) {
      drop("deploy", "resource reservations are not represented (limits are)");
    }
    std::string memory = text_at(service, "mem_limit", text_at(limits, "memory"));
    std::string cpus = text_at(service, "cpus", text_at(limits, "cpus"));
    if (!memory.empty()) {
      if (auto bytes = parse_docker_memory(memory)) {
        out["resources"]["memory"] = format_memory(*bytes);
      } else {
        drop("mem_limit", "\"" + memory + "\" is not a memory size fusion reads");
      }
    }
    if (!cpus.empty()) {
      if (auto milli = parse_cpus(cpus)) {
        out["resources"]["cpus"] = format_cpus(*milli);
      } else {
        drop("cpus", "\"" + cpus + "\" is not a CPU count fusion reads");
      }
    }
  }

  YamlData convert(const ComposeValue& service, const std::map<std::string, std::string>& names) {
    YamlData out = YamlData::object();
    YamlData build_section;
    for (const auto& [key, value] : service.items()) {
      if (!has_compose_shape(key, value)) {
        drop(key, "has a shape compose does not allow here; left out");
        continue;
      }
      if (key == "image") {
        out["image"] = text_of(value);
      } else if (key == "build") {
        build_section = build(value, out);
      } else if (key == "command") {
        if (YamlData c = command(value); !c.is_null()) out["command"] = c;
      } else if (key == "environment") {
        out["env"] = environment(value);
      } else if (key == "ports") {
        if (YamlData p = ports(value); !p.empty()) out["ports"] = p;
      } else if (key == "volumes") {
        out["volumes"] = volumes(value);
      } else if (key == "networks") {
        out["networks"] = networks(value);
      } else if (key == "depends_on") {
        out["depends_on"] = depends_on(value, names);
      } else if (key == "healthcheck") {
        if (YamlData h = healthcheck(value); !h.is_null()) out["health"] = h;
      } else if (key == "profiles") {
        for (const auto& p : value) out["profiles"].push_back(text_of(p));
      } else if (key == "labels") {
        const ComposeValue labels = as_key_map(value);
        for (const auto& [k, v] : labels.items()) out["labels"][k] = text_of(v);
      } else if (key == "deploy" || key == "mem_limit" || key == "cpus") {
        continue;  // resources(), below
      } else if (key == "container_name") {
        drop(key, "is not represented: fusion names containers <stack>-<service>");
      } else if (key == "env_file") {
        drop(key,
             "is not represented: move its variables into env, and secret values into "
             "{ secret: name } references (fusion keeps those out of its files)");
      } else {
        drop(key, "is not represented in fusion.yaml");
      }
    }
    resources(service, out);
    if (!build_section.empty()) out["build"] = build_section;
    if (!out.contains("image") && !out.contains("path")) {
      drop("",
           "is left out: it has neither image nor build (and fusion does not follow "
           "'extends')");
      return nullptr;
    }
    return out;
  }

 private:
  const MergedCompose& compose_;
  const ImportOptions& options_;
  std::string name_;
  std::vector<ImportNote>& notes_;
};

/// Compose allows service names fusion does not ("api_v2", "Web"): each gets a DNS label.
std::map<std::string, std::string> fusion_names(const ComposeValue& services,
                                                std::vector<ImportNote>& notes,
                                                const MergedCompose& compose) {
  std::map<std::string, std::string> renamed;
  for (const auto& [name, service] : services.items()) {
    if (is_dns1123_label(name)) continue;
    renamed[name] = service_name_for(name);
    notes.push_back({compose.origin(name, ""),
                     fmt::format("service '{}' is named '{}' in fusion.yaml (names are DNS labels)",
                                 name, renamed[name])});
  }
  return renamed;
}

YamlData top_level(const ComposeValue& section, const std::string& kind,
                   std::vector<ImportNote>& notes) {
  YamlData out = YamlData::object();
  for (const auto& [name, spec] : section.items()) {
    YamlData entry = YamlData::object();
    if (spec.is_object()) {
      for (const auto& [key, v] : spec.items()) {
        if ((key == "external" || (key == "internal" && kind == "network")) &&
            text_of(v) == "true") {
          entry[key] = true;
        } else if (key != "external" && key != "internal") {
          notes.push_back({"", fmt::format("{} '{}': '{}' is not represented", kind, name, key)});
        }
      }
    }
    out[name] = entry;
  }
  return out;
}

std::string header(const ImportOptions& options) {
  return fmt::format(
      "# Imported from compose by `{}`.\n"
      "# Review it: what compose had and fusion.yaml has no place for was reported when it ran.\n",
      options.command.empty() ? "fusion import compose" : join(options.command, " "));
}

}  // namespace

Result<uint64_t> parse_docker_memory(std::string_view text) {
  std::string t = to_lower(text);
  if (t.ends_with('b')) t.pop_back();  // "512mb", "1024b"
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), number);
  if (ec != std::errc{} || end == t.data()) return Error{"not a memory size: " + std::string(text)};
  std::string_view unit(end, static_cast<size_t>(t.data() + t.size() - end));
  static const std::map<std::string_view, int> shifts = {
      {"", 0}, {"k", 10}, {"m", 20}, {"g", 30}, {"t", 40}};
  auto it = shifts.find(unit);
  if (it == shifts.end()) return Error{"not a memory size: " + std::string(text)};
  return number << it->second;
}

ImportResult import_compose(const MergedCompose& compose, const ImportOptions& options) {
  ImportResult result;
  const ComposeValue& doc = compose.document;
  YamlData registry;
  registry["version"] = 1;
  std::string name = options.name;
  if (name.empty() && doc.contains("name")) name = text_of(doc["name"]);
  if (name.empty()) name = options.compose_dir.filename().string();  // compose's project name
  registry["name"] = service_name_for(name);
  registry["workspace"] = YamlData{{"root", "."}};
  const ComposeValue& services = at(doc, "services");
  if (!services.is_null() && !services.is_object()) {
    result.notes.push_back({"", "top-level 'services' is not a map; no services imported"});
  }
  const ComposeValue& service_map = services.is_object() ? services : at(ComposeValue(), "");
  std::map<std::string, std::string> names = fusion_names(service_map, result.notes, compose);
  for (const auto& [compose_name, service] : service_map.items()) {
    if (!service.is_object()) continue;
    ServiceImport import(compose, options, compose_name, result.notes);
    auto renamed = names.find(compose_name);
    YamlData converted = import.convert(service, names);
    if (converted.is_null()) continue;
    append(registry["services"], renamed == names.end() ? compose_name : renamed->second,
           std::move(converted));
    ++result.services;
  }
  if (doc.contains("networks") && doc["networks"].is_object()) {
    registry["networks"] = top_level(doc["networks"], "network", result.notes);
  }
  if (doc.contains("volumes") && doc["volumes"].is_object()) {
    registry["volumes"] = top_level(doc["volumes"], "volume", result.notes);
  }
  for (const auto& [key, value] : doc.items()) {
    static const std::set<std::string> known = {"services", "networks", "volumes", "name",
                                                "version"};
    if (!known.contains(key) && !key.starts_with("x-")) {
      result.notes.push_back({"", fmt::format("top-level '{}' is not represented", key)});
    }
  }
  result.registry_text = header(options) + emit_yaml(registry);
  return result;
}

}  // namespace fusion
