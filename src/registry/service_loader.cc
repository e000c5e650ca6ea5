// Reads one service, accepting the compose-like short forms the schema documents.

#include <fmt/format.h>

#include "registry/loader.h"
#include "registry/mount.h"
#include "registry/port.h"
#include "registry/service_reader.h"
#include "util/quantity.h"
#include "util/strings.h"

namespace fusion {
namespace {

// A malformed value still marks the key present, so one mistake gives one error, not a
// cascade ("has neither image nor source").
void read_text(ServiceReader& s, const YamlNode& node, std::string_view key, Text& field) {
  auto text = s.r.string(node, s.what(key));
  field = text ? *text : Text{"", s.r.pos(node)};
}

void read_env_value(ServiceReader& s, const Text& name, const YamlNode& value) {
  EnvVar var{.name = name, .value = {}, .secret = {}, .value_pos = s.r.pos(value)};
  if (value.IsMap()) {
    s.r.for_each_entry(
        value, std::array<std::string_view, 1>{"secret"},
        fmt::format("env '{}' of {}", name.value, s.where),
        [&](const Text&, const YamlNode& v) { var.secret = s.r.string(v, "a secret name"); });
    if (!var.secret) return;
  } else if (value.IsScalar()) {
    var.value = value.Scalar();
  } else if (!value.IsNull()) {
    s.error(value, fmt::format("expected a string or {{secret: name}} for env '{}' in {}, found {}",
                               name.value, s.where, describe_node(value)));
    return;
  }
  s.service.env.push_back(std::move(var));
}

void read_env(ServiceReader& s, const YamlNode& node) {
  if (!node.IsSequence()) {
    s.r.for_each_named(node, s.what("env"),
                       [&](const Text& name, const YamlNode& v) { read_env_value(s, name, v); });
    return;
  }
  for (const YamlNode* item_ptr :
       node.items()) {  // compose's list form: K=V, or K to pass $K through
    auto entry = s.r.string(*item_ptr, "an item of " + s.what("env"));
    if (!entry) continue;
    size_t eq = entry->value.find('=');
    SourcePos name_pos = entry->pos;
    std::string name = entry->value.substr(0, eq);
    name_pos.length = static_cast<uint32_t>(std::max<size_t>(1, name.size()));
    std::string value = eq == std::string::npos ? "${" + name + "}" : entry->value.substr(eq + 1);
    s.service.env.push_back({Text{name, name_pos}, value, std::nullopt, entry->pos});
  }
}

void read_port_map(ServiceReader& s, const YamlNode& item) {
  PortMapping port;
  port.pos = s.r.pos(item);
  bool has_target = false;
  s.r.for_each_entry(item, keys::kPort, "a port of " + s.where,
                     [&](const Text& key, const YamlNode& v) {
                       std::string what = fmt::format("'{}' of a port of {}", key.value, s.where);
                       if (key.value == "target" || key.value == "published") {
                         auto n = s.r.integer(v, what, 1, 65535);
                         if (!n) return;
                         has_target |= key.value == "target";
                         (key.value == "target" ? port.container_port : port.host_port) =
                             static_cast<uint16_t>(n->value);
                       } else if (key.value == "host_ip") {
                         if (auto ip = s.r.string(v, what)) port.host_ip = ip->value;
                       } else if (auto p = s.r.string(v, what)) {
                         if (p->value != "tcp" && p->value != "udp") {
                           s.r.diagnostics().error(p->pos, "protocol must be tcp or udp");
                         }
                         port.protocol = p->value == "udp" ? Protocol::kUdp : Protocol::kTcp;
                       }
                     });
  if (!has_target) {
    s.error(item, fmt::format("a port of {} needs 'target', the container port", s.where));
    return;
  }
  s.service.ports.push_back(port);
}

void read_ports(ServiceReader& s, const YamlNode& node) {
  s.r.for_each_item(node, s.what("ports"), [&](const YamlNode& item) {
    if (item.IsMap()) return read_port_map(s, item);
    auto text = s.r.string(item, "a port of " + s.where);
    if (!text) return;
    Result<PortMapping> port = parse_port(text->value);
    if (!port)
      return s.r.diagnostics().error(text->pos, fmt::format("{} in {}", port.error(), s.where));
    s.service.ports.push_back(*port);
    s.service.ports.back().pos = text->pos;
  });
}

void read_expose(ServiceReader& s, const YamlNode& node) {
  s.r.for_each_item(node, s.what("expose"), [&](const YamlNode& item) {
    auto text = s.r.string(item, "an item of " + s.what("expose"));
    if (!text) return;
    auto ports = parse_expose(text->value);
    if (!ports)
      return s.r.diagnostics().error(text->pos, fmt::format("{} in {}", ports.error(), s.where));
    for (PortMapping p : *ports) {
      p.pos = text->pos;
      s.service.expose.push_back(p);
    }
  });
}

/// Compose's long form: {type, source, target, read_only, bind: {…}, volume: {…}, tmpfs: {…}}.
void read_long_volume(ServiceReader& s, const YamlNode& node) {
  std::string where = "a volume of " + s.where;
  std::map<std::string, std::string> f;
  std::vector<std::string> options;
  s.r.for_each_entry(node, keys::kMount, where, [&](const Text& key, const YamlNode& v) {
    if (key.value == "bind" || key.value == "volume" || key.value == "tmpfs") {
      for (const auto& [k, value] :
           s.r.string_map(v, fmt::format("'{}' of {}", key.value, where))) {
        if (k == "propagation" || k == "selinux") options.push_back(value);
        if (k == "nocopy" && value == "true") options.emplace_back("nocopy");
        if (k == "size" || k == "mode") f["tmpfs-" + k] = value;
      }
    } else if (auto t = s.r.string(v, fmt::format("'{}' of {}", key.value, where))) {
      f[key.value] = t->value;
    }
  });
  SourcePos pos = s.r.pos(node);
  if (f["type"] == "tmpfs") {
    TmpfsMount t{.target = f["target"], .options = {}, .size_bytes = 0, .pos = pos};
    if (!f["tmpfs-size"].empty()) t.options = "size=" + f["tmpfs-size"];
    if (!f["tmpfs-mode"].empty())
      t.options += (t.options.empty() ? "mode=" : ",mode=") + f["tmpfs-mode"];
    if (auto bytes = parse_memory(f["tmpfs-size"]); bytes && !f["tmpfs-size"].empty())
      t.size_bytes = *bytes;
    s.service.tmpfs.push_back(std::move(t));
    return;
  }
  if (!f["type"].empty() && f["type"] != "bind" && f["type"] != "volume") {
    return s.r.diagnostics().error(pos, fmt::format("unsupported mount type '{}' in {}: use "
                                                    "volume, bind or tmpfs",
                                                    f["type"], s.where));
  }
  VolumeMount mount{.source = f["source"],
                    .target = f["target"],
                    .read_only = f["read_only"] == "true",
                    .named = is_named_volume(f["source"]),
                    .options = options,
                    .pos = pos};
  if (mount.target.empty() || mount.target[0] != '/') {
    return s.r.diagnostics().error(
        pos, fmt::format("a volume of {} needs an absolute 'target'", s.where));
  }
  s.service.volumes.push_back(std::move(mount));
}

void read_volumes(ServiceReader& s, const YamlNode& node) {
  s.r.for_each_item(node, s.what("volumes"), [&](const YamlNode& item) {
    if (item.IsMap()) return read_long_volume(s, item);
    auto text = s.r.string(item, "an item of " + s.what("volumes"));
    if (!text) return;
    auto mount = parse_mount(text->value);
    if (!mount) {
      return s.r.diagnostics().error(text->pos, fmt::format("{} in {}", mount.error(), s.where));
    }
    VolumeMount m = std::move(mount).value();
    m.pos = text->pos;
    s.service.volumes.push_back(std::move(m));
  });
}

void read_networks(ServiceReader& s, const YamlNode& node) {
  if (node.IsSequence()) {
    for (Text& name : s.r.string_list(node, s.what("networks"))) {
      s.service.networks.push_back({std::move(name), {}});
    }
    return;
  }
  s.r.for_each_named(node, s.what("networks"), [&](const Text& name, const YamlNode& v) {
    NetworkAttachment attachment{name, {}};
    std::string where = fmt::format("network '{}' of {}", name.value, s.where);
    s.r.for_each_entry(v, keys::kNetworkAttachment, where, [&](const Text&, const YamlNode& a) {
      attachment.aliases = s.r.string_list(a, "'aliases' of " + where);
    });
    s.service.networks.push_back(std::move(attachment));
  });
}

void read_condition(ServiceReader& s, const YamlNode& node, Dependency& dep) {
  auto text = s.r.string(
      node, fmt::format("the condition of dependency '{}' in {}", dep.service.value, s.where));
  if (!text) return;
  dep.condition_pos = text->pos;
  static const std::vector<std::string> kConditions = {"started", "healthy", "completed"};
  for (size_t i = 0; i < kConditions.size(); ++i) {
    if (text->value == kConditions[i]) {
      dep.condition = static_cast<DependencyCondition>(i);
      return;
    }
  }
  std::string hint = "expected started, healthy or completed";
  if (text->value.starts_with("service_")) {
    hint = fmt::format("fusion calls it '{}'", text->value.substr(8));
    if (text->value == "service_completed_successfully") hint = "fusion calls it 'completed'";
  } else if (auto best = closest_match(text->value, kConditions)) {
    hint = fmt::format("did you mean '{}'?", *best);
  }
  s.r.diagnostics().error(
      text->pos, fmt::format("unknown condition '{}' for dependency '{}' in {}; {}", text->value,
                             dep.service.value, s.where, hint));
}

void read_depends_on(ServiceReader& s, const YamlNode& node) {
  if (node.IsSequence()) {
    for (Text& name : s.r.string_list(node, s.what("depends_on"))) {
      s.service.depends_on.push_back({std::move(name), DependencyCondition::kStarted, {}});
    }
    return;
  }
  s.r.for_each_named(node, s.what("depends_on"), [&](const Text& name, const YamlNode& v) {
    Dependency dep{name, DependencyCondition::kStarted, {}};
    if (v.IsMap()) {
      s.r.for_each_entry(v, keys::kDependency,
                         fmt::format("dependency '{}' of {}", name.value, s.where),
                         [&](const Text&, const YamlNode& c) { read_condition(s, c, dep); });
    } else if (!v.IsNull()) {
      read_condition(s, v, dep);
    }
    s.service.depends_on.push_back(std::move(dep));
  });
}

void read_health_entry(ServiceReader& s, const Text& key, const YamlNode& v, HealthCheck& h,
                       std::vector<Text>& forms) {
  std::string what = fmt::format("'{}' of the health check of {}", key.value, s.where);
  const std::string& k = key.value;
  if (k == "http" || k == "tcp" || k == "exec" || k == "container") forms.push_back(key);
  if (k == "http") {
    if (auto path = s.r.string(v, what)) {
      h.kind = HealthKind::kHttp;
      h.http_path = path->value;
      if (!path->value.starts_with('/')) {
        s.r.diagnostics().error(path->pos, fmt::format("the http health check path of {} must "
                                                       "start with '/'",
                                                       s.where));
      }
    }
  } else if (k == "tcp" || k == "port") {
    h.kind = k == "tcp" ? HealthKind::kTcp : h.kind;
    if (auto n = s.r.integer(v, what, 1, 65535)) h.port = {static_cast<uint16_t>(n->value), n->pos};
  } else if (k == "exec") {
    h.kind = HealthKind::kExec;
    if (auto cmd = s.r.command(v, what)) h.command = std::move(*cmd);
  } else if (k == "container") {
    h.kind = HealthKind::kContainer;
    if (s.r.boolean(v, what) == false) {
      s.error(v, fmt::format("'container: false' in {} means nothing; remove the health check "
                             "instead",
                             s.where));
    }
  } else if (k == "retries") {
    if (auto n = s.r.integer(v, what, 1, 100'000)) h.retries = static_cast<uint32_t>(n->value);
  } else if (auto d = s.r.duration(v, what)) {
    (k == "interval" ? h.interval : k == "timeout" ? h.timeout : h.start_period) = d->value;
  }
}

void read_health(ServiceReader& s, const YamlNode& node) {
  HealthCheck health;
  health.pos = s.r.pos(node);
  std::vector<Text> forms;
  s.r.for_each_entry(
      node, keys::kHealth, "the health check of " + s.where,
      [&](const Text& key, const YamlNode& v) { read_health_entry(s, key, v, health, forms); });
  if (!node.IsMap()) return;
  if (forms.empty()) {
    s.error(node, fmt::format("the health check of {} needs one of http, tcp, exec or container",
                              s.where));
    return;
  }
  if (forms.size() > 1) {
    s.r.diagnostics().error(forms[1].pos,
                            fmt::format("the health check of {} has both '{}' and '{}'; "
                                        "choose one",
                                        s.where, forms[0].value, forms[1].value));
  }
  s.service.health = std::move(health);
}

void read_resources(ServiceReader& s, const YamlNode& node) {
  s.r.for_each_entry(
      node, keys::kResources, s.what("resources"), [&](const Text& key, const YamlNode& v) {
        auto text = s.r.string(v, fmt::format("'{}' of {}", key.value, s.what("resources")));
        if (!text) return;
        auto fail = [&](const std::string& e) {
          s.r.diagnostics().error(text->pos, fmt::format("{} in {}", e, s.where));
        };
        if (key.value == "memory") {
          auto bytes = parse_memory(text->value);
          if (!bytes) return fail(bytes.error());
          s.service.resources.memory_bytes = Located<uint64_t>{*bytes, text->pos};
        } else {
          auto cpus = parse_cpus(text->value);
          if (!cpus) return fail(cpus.error());
          s.service.resources.millicpus = Located<uint32_t>{*cpus, text->pos};
        }
      });
}

void read_build(ServiceReader& s, const YamlNode& node) {
  Build build{.context = {}, .dockerfile = {}, .target = {}, .args = {}, .pos = s.r.pos(node)};
  if (node.IsScalar()) {
    build.context = Text{node.Scalar(), s.r.pos(node)};
  } else {
    std::string where = "'build' of " + s.where;
    s.r.for_each_entry(node, keys::kBuild, where, [&](const Text& key, const YamlNode& v) {
      if (key.value == "args") {
        build.args = s.r.string_map(v, "'args' of " + where);
      } else if (auto text = s.r.string(v, fmt::format("'{}' of {}", key.value, where))) {
        (key.value == "context"      ? build.context
         : key.value == "dockerfile" ? build.dockerfile
                                     : build.target) = *text;
      }
    });
    if (!node.IsMap()) return;
  }
  s.service.build = std::move(build);
}

using Handler = ServiceKeyHandler;

// One handler per service key of keys::kService.
std::map<std::string_view, Handler> make_handlers() {
  std::map<std::string_view, Handler> table = {
      {"description",
       [](ServiceReader& s, const YamlNode& n) {
         read_text(s, n, "description", s.service.description);
       }},
      {"group",
       [](ServiceReader& s, const YamlNode& n) { read_text(s, n, "group", s.service.group); }},
      {"phase",
       [](ServiceReader& s, const YamlNode& n) { read_text(s, n, "phase", s.service.phase); }},
      {"image",
       [](ServiceReader& s, const YamlNode& n) { read_text(s, n, "image", s.service.image); }},
      {"repo",
       [](ServiceReader& s, const YamlNode& n) { read_text(s, n, "repo", s.service.repo); }},
      {"path",
       [](ServiceReader& s, const YamlNode& n) { read_text(s, n, "path", s.service.path); }},
      {"subdomain", [](ServiceReader& s,
                       const YamlNode& n) { read_text(s, n, "subdomain", s.service.subdomain); }},
      {"build", read_build},
      {"command",
       [](ServiceReader& s, const YamlNode& n) {
         s.service.command = s.r.command(n, s.what("command")).value_or(std::vector<std::string>{});
       }},
      {"env", read_env},
      {"ports", read_ports},
      {"expose", read_expose},
      {"volumes", read_volumes},
      {"networks", read_networks},
      {"depends_on", read_depends_on},
      {"health", read_health},
      {"resources", read_resources},
      {"profiles",
       [](ServiceReader& s, const YamlNode& n) {
         s.service.profiles = s.r.string_list(n, s.what("profiles"));
       }},
      {"labels", [](ServiceReader& s,
                    const YamlNode& n) { s.service.labels = s.r.string_map(n, s.what("labels")); }},
  };
  add_run_key_handlers(table);
  return table;
}

const std::map<std::string_view, Handler>& handlers() {
  static const std::map<std::string_view, Handler> table = make_handlers();
  return table;
}

}  // namespace

Service load_service(YamlReader& reader, const Text& name, const YamlNode& node,
                     std::vector<std::string>* keys_seen) {
  Service service;
  service.name = name;
  ServiceReader s{reader, service, fmt::format("service '{}'", name.value)};
  std::vector<Text> misspelt = reader.for_each_entry(
      node, keys::kService, s.where,
      [&](const Text& key, const YamlNode& value) {
        handlers().at(key.value)(s, value);
        if (keys_seen) keys_seen->push_back(key.value);
      },
      keys::kServiceSynonyms);
  // A misspelt source key was reported already; count it as present to avoid a follow-on
  // "has neither image nor source".
  for (const Text& key : misspelt) {
    Text* field = key.value == "image"  ? &service.image
                  : key.value == "repo" ? &service.repo
                  : key.value == "path" ? &service.path
                                        : nullptr;
    if (field && !field->present()) *field = Text{"", key.pos};
  }
  return service;
}

}  // namespace fusion
