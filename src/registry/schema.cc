#include "registry/schema.h"

#include <span>
#include <string_view>

#include "registry/keys.h"

namespace fusion {
namespace {

using json = nlohmann::json;

json ref(std::string_view def) { return {{"$ref", "#/$defs/" + std::string(def)}}; }
json one_of(std::initializer_list<json> options) { return {{"oneOf", json::array_t(options)}}; }
json string_type(std::string description = "") {
  json s = {{"type", "string"}};
  if (!description.empty()) s["description"] = description;
  return s;
}
json list_of(json item) { return {{"type", "array"}, {"items", std::move(item)}}; }
json map_of(json value) {
  return {{"type", json::array({"object", "null"})}, {"additionalProperties", std::move(value)}};
}
json scalar() { return {{"type", json::array({"string", "number", "boolean", "null"})}}; }

/// An object with exactly `keys`, each described by `property(key)`.
template <size_t N, class F>
json closed_object(const std::array<std::string_view, N>& keys, F property, bool nullable = false) {
  json props = json::object();
  for (std::string_view k : keys) props[std::string(k)] = property(k);
  return {{"type", nullable ? json::array({"object", "null"}) : json("object")},
          {"properties", props},
          {"patternProperties", {{"^x-", json::object()}}},  // extension fields, as compose
          {"additionalProperties", false}};
}

json health() {
  return closed_object(keys::kHealth, [](std::string_view k) -> json {
    if (k == "http")
      return {
          {"type", "string"}, {"pattern", "^/"}, {"description", "HTTP path; 2xx/3xx is healthy"}};
    if (k == "tcp" || k == "port") return ref("port_number");
    if (k == "exec") return one_of({string_type(), list_of(string_type())});
    if (k == "container")
      return {{"const", true}, {"description", "run the image's own HEALTHCHECK"}};
    if (k == "retries") return {{"type", "integer"}, {"minimum", 1}};
    return ref("duration");
  });
}

json port() {
  json long_form = closed_object(keys::kPort, [](std::string_view k) -> json {
    if (k == "target" || k == "published") return ref("port_number");
    if (k == "protocol") return {{"enum", {"tcp", "udp"}}};
    return string_type();
  });
  long_form["required"] = {"target"};
  return one_of(
      {{{"type", "string"}, {"description", "[[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/udp]"}},
       ref("port_number"),
       long_form});
}

json depends_on() {
  json condition = {{"enum", {"started", "healthy", "completed"}}};
  json entry =
      one_of({condition,
              {{"type", "null"}},
              closed_object(keys::kDependency, [&](std::string_view) { return condition; })});
  return one_of({list_of(ref("name")), map_of(entry)});
}

json string_or_list() { return one_of({string_type(), list_of(string_type())}); }
json boolean() { return {{"type", "boolean"}}; }

/// The compose-named keys of how a container runs; null for other keys.
json run_property(std::string_view k) {
  if (k == "entrypoint" || k == "dns" || k == "tmpfs" || k == "cap_add" || k == "cap_drop" ||
      k == "security_opt" || k == "devices" || k == "group_add")
    return string_or_list();
  if (k == "restart") {
    return {{"type", "string"}, {"pattern", "^(no|always|unless-stopped|on-failure(:[0-9]+)?)$"}};
  }
  if (k == "env_file") {
    json file = closed_object(keys::kEnvFile, [](std::string_view e) -> json {
      return e == "required" ? boolean() : string_type();
    });
    file["required"] = {"path"};
    return one_of({string_type(), list_of(one_of({string_type(), file}))});
  }
  if (k == "extra_hosts") return one_of({list_of(string_type("HOST:ADDRESS")), map_of(scalar())});
  if (k == "shm_size") return one_of({string_type("64Mi, 1G"), {{"type", "integer"}}});
  if (k == "ulimits") {
    json pair = closed_object(keys::kUlimit, [](std::string_view) { return ref("ulimit"); });
    pair["required"] = {"soft", "hard"};
    return map_of(one_of({ref("ulimit"), pair}));
  }
  if (k == "privileged" || k == "read_only" || k == "init") return boolean();
  if (k == "gpus") {
    json gpu = closed_object(keys::kGpu, [](std::string_view g) -> json {
      if (g == "count") return one_of({{{"const", "all"}}, {{"type", "integer"}, {"minimum", 1}}});
      if (g == "driver") return string_type();
      return list_of(string_type());
    });
    return one_of({{{"const", "all"}}, {{"type", "integer"}, {"minimum", 1}}, list_of(gpu)});
  }
  if (k == "stop_grace_period") return ref("duration");
  if (k == "pull_policy")
    return {{"enum", {"always", "never", "missing", "build", "if_not_present"}}};
  if (k == "sysctls") return one_of({map_of(scalar()), list_of(string_type("KEY=VALUE"))});
  if (k == "secrets" || k == "configs") {
    json long_form = closed_object(keys::kFileMount, [](std::string_view m) -> json {
      return m == "mode" ? one_of({string_type("octal, e.g. 0440"), {{"type", "integer"}}})
                         : string_type();
    });
    long_form["required"] = {"source"};
    return list_of(one_of({string_type(), long_form}));
  }
  if (k == "replicas") return {{"type", "integer"}, {"minimum", 0}};
  if (k == "expose") return list_of(one_of({string_type("PORT[-PORT][/udp]"), ref("port_number")}));
  return nullptr;
}

json volume_mount() {
  json long_form = closed_object(keys::kMount, [](std::string_view m) -> json {
    if (m == "type") return {{"enum", {"volume", "bind", "tmpfs"}}};
    if (m == "read_only") return boolean();
    if (m == "bind" || m == "volume" || m == "tmpfs") return map_of(scalar());
    return string_type();
  });
  long_form["required"] = {"target"};
  return one_of({string_type("[SOURCE:]/container/path[:ro,z,…]"), long_form});
}

json service_property(std::string_view k) {
  if (json run = run_property(k); !run.is_null()) return run;
  if (k == "build") {
    return one_of(
        {string_type("build context"), closed_object(keys::kBuild, [](std::string_view b) -> json {
           return b == "args" ? map_of(scalar()) : string_type();
         })});
  }
  if (k == "command") return one_of({string_type(), list_of(string_type())});
  if (k == "env") {
    json secret = {{"type", "object"},
                   {"properties", {{"secret", ref("name")}}},
                   {"required", {"secret"}},
                   {"additionalProperties", false}};
    return one_of({map_of(one_of({scalar(), secret})), list_of(string_type("KEY=VALUE"))});
  }
  if (k == "ports") return list_of(port());
  if (k == "volumes") return list_of(volume_mount());
  if (k == "networks") {
    json host_name = {{"type", "string"},
                      {"pattern",
                       "^[A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?"
                       "(\\.[A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?)*$"},
                      {"description", "a host name: db, old_name, db.internal"}};
    json attachment = closed_object(
        keys::kNetworkAttachment, [&](std::string_view) { return list_of(host_name); }, true);
    return one_of({list_of(ref("name")), map_of(attachment)});
  }
  if (k == "depends_on") return depends_on();
  if (k == "health") return health();
  if (k == "resources") {
    return closed_object(keys::kResources, [](std::string_view r) -> json {
      if (r == "memory")
        return one_of({string_type("512Mi, 1Gi, 1G"), {{"type", "integer"}, {"minimum", 1}}});
      return one_of({string_type("0.5, 2 or 500m"), {{"type", "number"}, {"exclusiveMinimum", 0}}});
    });
  }
  if (k == "profiles") return list_of(string_type());
  if (k == "labels") return map_of(scalar());
  if (k == "subdomain" || k == "phase" || k == "repo") return ref("name");
  return string_type();
}

json defs() {
  return {
      {"name",
       {{"type", "string"},
        {"pattern", "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"},
        {"description", "a DNS-1123 label"}}},
      {"duration",
       {{"type", "string"},
        {"pattern", "^([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$"},
        {"description", "e.g. 90s, 1m30s, 250ms"}}},
      {"port_number", {{"type", "integer"}, {"minimum", 1}, {"maximum", 65535}}},
      {"ulimit", one_of({{{"type", "integer"}, {"minimum", -1}}, {{"const", "unlimited"}}})},
      {"service", closed_object(keys::kService, service_property)},
  };
}

json top_property(std::string_view k) {
  if (k == "version") return {{"const", 1}};
  if (k == "name") return ref("name");
  if (k == "domain") return string_type("base domain for subdomains, e.g. shop.localhost");
  if (k == "workspace") {
    return closed_object(keys::kWorkspace, [](std::string_view w) -> json {
      if (w == "layout") return {{"enum", {"flat", "gopath"}}};
      return string_type("where the repos live, relative to this file");
    });
  }
  if (k == "repos") {
    return map_of(
        one_of({string_type("clone URL"),
                closed_object(keys::kRepo, [](std::string_view) { return string_type(); })}));
  }
  if (k == "phases") {
    return map_of(closed_object(keys::kPhase, [](std::string_view p) -> json {
      if (p == "order") return {{"type", "integer"}, {"minimum", 0}};
      if (p == "timeout") return ref("duration");
      return string_type();
    }));
  }
  if (k == "services") return map_of(ref("service"));
  if (k == "secrets" || k == "configs") {
    return map_of(closed_object(
        keys::kFileSource,
        [](std::string_view f) -> json { return f == "external" ? boolean() : string_type(); },
        true));
  }
  if (k == "volumes") {
    return map_of(closed_object(
        keys::kVolume,
        [](std::string_view v) -> json {
          if (v == "external") return boolean();
          if (v == "driver_opts") return map_of(scalar());
          return string_type();
        },
        true));
  }
  json subnet = closed_object(keys::kSubnet, [](std::string_view) { return string_type(); });
  subnet["required"] = {"subnet"};
  json ipam = closed_object(keys::kIpam, [&](std::string_view i) -> json {
    return i == "config" ? list_of(subnet) : string_type();
  });
  return map_of(closed_object(
      keys::kNetwork,
      [&](std::string_view n) -> json {
        if (n == "external" || n == "internal") return boolean();
        if (n == "driver_opts") return map_of(scalar());
        if (n == "ipam") return ipam;
        return string_type();
      },
      true));
}

}  // namespace

nlohmann::json registry_schema() {
  json schema = closed_object(keys::kTop, top_property);
  schema["required"] = {"version", "name"};
  json out = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"title", "fusion.yaml"},
      {"description", "The single source of truth for a stack of services (fusion registry v1)"},
      {"$defs", defs()}};
  out.update(schema);
  return out;
}

}  // namespace fusion
