#include "importer/compose_import.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <optional>
#include <set>

#include "detect/detect.h"
#include "generate/context.h"
#include "generate/yaml_emitter.h"
#include "importer/compose_names.h"
#include "importer/import_repair.h"
#include "registry/interpolation.h"
#include "registry/mount.h"
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
      {"image", "s"},       {"build", "sm"},       {"command", "sl"},    {"environment", "lm"},
      {"ports", "l"},       {"volumes", "l"},      {"networks", "lm"},   {"depends_on", "lm"},
      {"healthcheck", "m"}, {"profiles", "l"},     {"labels", "lm"},     {"deploy", "m"},
      {"mem_limit", "s"},   {"cpus", "s"},         {"entrypoint", "sl"}, {"env_file", "sl"},
      {"expose", "l"},      {"extra_hosts", "lm"}, {"dns", "sl"},        {"tmpfs", "sl"},
      {"ulimits", "m"},     {"cap_add", "l"},      {"cap_drop", "l"},    {"security_opt", "l"},
      {"devices", "l"},     {"sysctls", "lm"},     {"group_add", "l"},   {"secrets", "l"},
      {"configs", "l"},     {"gpus", "sl"}};
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

  std::string rebased(const std::string& path) const { return rebased_path(options_, path); }

  /// `text` with its `${VAR}` references resolved from the project's .env (or their defaults);
  /// nullopt when one has no value there.
  std::optional<std::string> resolved(const std::string& text) const {
    bool complete = true;
    std::string out = substitute(text, [&](const Reference& ref) -> std::optional<std::string> {
      auto it = options_.variables.find(ref.name);
      if (ref.kind == Reference::Kind::kVariable && it != options_.variables.end()) {
        return it->second;
      }
      if (ref.has_default) return ref.default_value;
      complete = false;
      return std::nullopt;
    });
    if (!complete) return std::nullopt;
    return out;
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
          auto from_dotenv = options_.variables.find(arg);
          if (arg_value.is_null() && from_dotenv != options_.variables.end()) {
            section["args"][arg] = from_dotenv->second;
          } else if (arg_value.is_null()) {
            drop("build", fmt::format("arg {} takes its value from the shell and the project's "
                                      ".env has none; fusion needs a value",
                                      arg));
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
        std::vector<std::string> parts = split_outside_braces(spec, ':');
        if (spec.find('$') != std::string::npos && parse_port(parts.back())) {
          drop("ports", fmt::format("\"{}\" publishes on a host port or address from a variable, "
                                    "which fusion.yaml cannot hold; the container port {} is kept "
                                    "(published on an ephemeral port)",
                                    spec, parts.back()));
          out.push_back(parts.back());
          continue;
        }
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
      std::vector<std::string> parts = split_outside_braces(spec, ':');
      if (parts.size() >= 2 && parts[1].starts_with('/')) {
        std::string source = rebased_host_path(parts[0]);
        spec = source + spec.substr(parts[0].size());
      }
      if (auto mount = parse_mount(spec); !mount) {
        drop("volumes", mount.error() + "; left out");
        continue;
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
    if (type == "tmpfs") {
      std::string size = text_at(at(volume, "tmpfs"), "size");
      auto bytes = parse_docker_memory(size);
      tmpfs_.push_back(text_at(volume, "target") +
                       (bytes && !size.empty() ? ":size=" + std::to_string(*bytes) : ""));
      return "";
    }
    if (type != "volume" && type != "bind") {
      drop("volumes", fmt::format("a {} mount is not represented", type));
      return "";
    }
    std::string spec = text_at(volume, "target");
    if (volume.contains("source")) spec = text_of(volume["source"]) + ":" + spec;
    std::vector<std::string> flags;
    if (text_at(volume, "read_only") == "true") flags.emplace_back("ro");
    const ComposeValue& bind = at(volume, "bind");
    for (const char* key : {"propagation", "selinux"}) {
      if (!text_at(bind, key).empty()) flags.push_back(text_at(bind, key));
    }
    if (text_at(at(volume, "volume"), "nocopy") == "true") flags.emplace_back("nocopy");
    for (const char* key : {"tmpfs", "consistency"}) {
      if (volume.contains(key))
        drop("volumes", fmt::format("'{}' options of a mount are not represented", key));
    }
    return flags.empty() ? spec : spec + ":" + join(flags, ",");
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
    if (auto d = parse_duration(resolved(text).value_or(text))) return format_duration(*d);
    drop("healthcheck",
         fmt::format("{} \"{}\" is not a duration fusion reads; {} used", key, text, fallback));
    return fallback;
  }

  YamlData healthcheck(const ComposeValue& check) {
    const char* kDisabled =
        "disabled is not represented: fusion runs no check for this service, but the engine may "
        "still run the image's own HEALTHCHECK";
    if (text_at(check, "disable") == "true") {
      drop("healthcheck", kDisabled);
      return nullptr;
    }
    const ComposeValue& test = at(check, "test");
    YamlData exec = YamlData::array();
    if (test.is_string()) {
      exec = {"sh", "-c", test.get<std::string>()};
    } else if (test.is_array() && !test.empty()) {
      std::string form = text_of(test[0]);
      if (form == "NONE") {
        drop("healthcheck", kDisabled);
        return nullptr;
      }
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
    std::string written = text_at(check, "retries", "3");
    std::string retries = resolved(written).value_or(written);
    uint32_t count = 3;
    auto [end, ec] = std::from_chars(retries.data(), retries.data() + retries.size(), count);
    if (ec != std::errc{} || end != retries.data() + retries.size() || count == 0) {
      drop("healthcheck", fmt::format("retries \"{}\" is not a positive count; 3 used", written));
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
        if (key != "resources" && key != "replicas")
          drop("deploy", fmt::format("'{}' is not represented", key));
      }
    }
    const ComposeValue& reservations = at(at(deploy, "resources"), "reservations");
    static const ComposeValue kNone = ComposeValue::object();
    for (const auto& [key, v] : (reservations.is_object() ? reservations : kNone).items()) {
      if (key != "devices") {
        drop("deploy", fmt::format("reservation '{}' is not represented (limits are)", key));
        continue;
      }
      if (!v.is_array()) continue;
      for (const auto& device : v) out["gpus"].push_back(gpu(device));
    }
    if (deploy.contains("replicas"))
      out["replicas"] = integer(text_at(deploy, "replicas"), "deploy");
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

  YamlData integer(const std::string& text, const std::string& key) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc{} && end == text.data() + text.size()) return n;
    drop(key, fmt::format("\"{}\" is not a whole number; left out", text));
    return nullptr;
  }

  YamlData gpu(const ComposeValue& device) {
    YamlData out = YamlData::object();
    if (device.contains("driver")) out["driver"] = text_of(device["driver"]);
    if (device.contains("count")) {
      std::string count = text_of(device["count"]);
      out["count"] = count == "all" ? YamlData("all") : integer(count, "deploy");
    }
    for (const auto& id : at(device, "device_ids")) out["device_ids"].push_back(text_of(id));
    for (const auto& c : at(device, "capabilities")) out["capabilities"].push_back(text_of(c));
    return out;
  }

  static YamlData strings(const ComposeValue& value) {
    YamlData out = YamlData::array();
    if (!value.is_array()) return YamlData(text_of(value));
    for (const auto& v : value) out.push_back(text_of(v));
    return out;
  }

  /// The compose-named keys fusion.yaml holds as they are (a few need their units or types
  /// converted); false for other keys.
  bool run_key(const std::string& key, const ComposeValue& value, YamlData& out) {
    static const std::set<std::string> texts = {"user",           "working_dir", "hostname",
                                                "container_name", "stop_signal", "platform",
                                                "pull_policy",    "pid",         "restart"};
    static const std::set<std::string> lists = {"env_file",     "dns",     "cap_add",  "cap_drop",
                                                "security_opt", "devices", "group_add"};
    if (texts.contains(key)) {
      out[key] = text_of(value);
    } else if (lists.contains(key)) {
      out[key] = strings(value);
      if (key == "env_file") out[key] = env_files(value);
    } else if (key == "entrypoint") {
      if (YamlData c = command(value); !c.is_null()) out["entrypoint"] = c;
    } else if (key == "expose") {
      out["expose"] = strings(value);
    } else if (key == "extra_hosts" || key == "sysctls") {
      const ComposeValue map = as_key_map(value);
      for (const auto& [k, v] : map.items()) {
        if (key == "sysctls")
          out[key][k] = text_of(v);
        else
          out[key].push_back(k.find(':') == std::string::npos && !v.is_null()
                                 ? k + ":" + text_of(v)
                                 : (v.is_null() ? k : k + "=" + text_of(v)));
      }
    } else if (key == "tmpfs") {
      for (const auto& t : value.is_array() ? value : ComposeValue::array({value})) {
        tmpfs_.push_back(tmpfs_entry(text_of(t)));
      }
    } else if (key == "shm_size") {
      if (auto bytes = parse_docker_memory(text_of(value)))
        out["shm_size"] = format_memory(*bytes);
      else
        drop(key, "\"" + text_of(value) + "\" is not a size fusion reads; left out");
    } else if (key == "ulimits") {
      for (const auto& [name, v] : value.items()) {
        if (v.is_object()) {
          out["ulimits"][name] = {{"soft", integer(text_at(v, "soft"), key)},
                                  {"hard", integer(text_at(v, "hard"), key)}};
        } else {
          out["ulimits"][name] = integer(text_of(v), key);
        }
      }
    } else if (key == "privileged" || key == "read_only" || key == "init") {
      out[key] = text_of(value) == "true";
    } else if (key == "stop_grace_period") {
      out[key] = duration(ComposeValue{{key, value}}, key.c_str(), "10s");
    } else if (key == "scale") {
      out["replicas"] = integer(text_of(value), key);
    } else if (key == "gpus") {
      out["gpus"] = value.is_array() ? strings(value) : YamlData(text_of(value));
      if (value.is_array()) {
        out["gpus"] = YamlData::array();
        for (const auto& d : value) out["gpus"].push_back(gpu(d));
      }
    } else if (key == "secrets" || key == "configs") {
      for (const auto& item : value) {
        if (!item.is_object()) {
          out[key].push_back(text_of(item));
          continue;
        }
        YamlData entry = YamlData::object();
        for (const auto& [k, v] : item.items()) entry[k] = text_of(v);
        out[key].push_back(entry);
      }
    } else {
      return false;
    }
    return true;
  }

  /// An env_file path, rebased onto fusion.yaml's folder; long form kept.
  YamlData env_files(const ComposeValue& value) {
    YamlData out = YamlData::array();
    for (const auto& f : value.is_array() ? value : ComposeValue::array({value})) {
      if (f.is_object()) {
        YamlData entry = {{"path", rebased(text_at(f, "path"))}};
        if (text_at(f, "required") == "false") entry["required"] = false;
        out.push_back(entry);
      } else {
        out.push_back(rebased(text_of(f)));
      }
    }
    return out;
  }

  /// "/tmp:size=64m,mode=1777" with the size in bytes, which fusion and both engines read.
  std::string tmpfs_entry(const std::string& text) {
    size_t colon = text.find(':');
    if (colon == std::string::npos) return text;
    std::vector<std::string> options;
    std::string all = text.substr(colon + 1);
    for (std::string_view o : split(all, ',')) {
      auto bytes =
          o.starts_with("size=") ? parse_docker_memory(o.substr(5)) : Result<uint64_t>{Error{""}};
      options.push_back(bytes ? "size=" + std::to_string(*bytes) : std::string(o));
    }
    return text.substr(0, colon) + ":" + join(options, ",");
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
      } else if (run_key(key, value, out)) {
        continue;
      } else {
        drop(key, "is not represented in fusion.yaml");
      }
    }
    resources(service, out);
    for (const std::string& t : tmpfs_) out["tmpfs"].push_back(t);
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
  std::vector<std::string> tmpfs_;  ///< from long-form tmpfs mounts
  const MergedCompose& compose_;
  const ImportOptions& options_;
  std::string name_;
  std::vector<ImportNote>& notes_;
};

std::string header(const ImportOptions& options) {
  return fmt::format(
      "# Imported from compose by `{}`.\n"
      "# Review it: what compose had and fusion.yaml has no place for was reported when it ran.\n",
      options.command.empty() ? "fusion import compose" : join(options.command, " "));
}

}  // namespace

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
  std::map<std::string, std::string> names =
      fusion_names(service_map, "service", result.notes, compose);
  std::map<std::string, std::string> network_names =
      fusion_names(at(doc, "networks"), "network", result.notes, compose);
  std::map<std::string, std::string> volume_names =
      fusion_names(at(doc, "volumes"), "volume", result.notes, compose);
  bool needs_default = false;
  for (const auto& [compose_name, service] : service_map.items()) {
    if (!service.is_object()) continue;
    ServiceImport import(compose, options, compose_name, result.notes);
    auto renamed = names.find(compose_name);
    YamlData converted = import.convert(service, names);
    if (converted.is_null()) continue;
    follow_renames(converted, compose_name, renamed != names.end(), network_names, volume_names,
                   needs_default);
    append(registry["services"], renamed == names.end() ? compose_name : renamed->second,
           std::move(converted));
    ++result.services;
  }
  auto relabel = [](YamlData section, const std::map<std::string, std::string>& renames) {
    YamlData out = YamlData::object();
    for (auto& [old_name, value] : section.items()) out[renamed_or(renames, old_name)] = value;
    return out;
  };
  if (doc.contains("networks") && doc["networks"].is_object()) {
    registry["networks"] =
        relabel(top_level(doc["networks"], "network", options, result.notes), network_names);
  }
  if (needs_default && !registry["networks"].contains("default")) {
    registry["networks"]["default"] = YamlData::object();
  }
  if (doc.contains("volumes") && doc["volumes"].is_object()) {
    registry["volumes"] =
        relabel(top_level(doc["volumes"], "volume", options, result.notes), volume_names);
  }
  for (const char* kind : {"secrets", "configs"}) {
    if (doc.contains(kind) && doc[kind].is_object()) {
      std::string singular(kind, std::strlen(kind) - 1);
      registry[kind] = top_level(doc[kind], singular, options, result.notes);
    }
  }
  for (const auto& [key, value] : doc.items()) {
    static const std::set<std::string> known = {"services", "networks", "volumes", "name",
                                                "version",  "secrets",  "configs"};
    if (!known.contains(key) && !key.starts_with("x-")) {
      result.notes.push_back({"", fmt::format("top-level '{}' is not represented", key)});
    }
  }
  std::map<std::string, std::string> compose_names;  // fusion name → compose name
  for (const auto& [compose_name, fusion_name] : names) compose_names[fusion_name] = compose_name;
  leave_out_invalid_services(
      registry,
      [&](const std::string& fusion_name) {
        auto it = compose_names.find(fusion_name);
        return compose.origin(it == compose_names.end() ? fusion_name : it->second, "");
      },
      result.notes);
  result.services = registry.contains("services") ? registry["services"].size() : 0;
  result.registry_text = header(options) + emit_yaml(registry);
  return result;
}

}  // namespace fusion
