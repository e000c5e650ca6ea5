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

json service_property(std::string_view k) {
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
  if (k == "volumes") return list_of(string_type("[SOURCE:]/container/path[:ro]"));
  if (k == "networks") {
    json attachment = closed_object(
        keys::kNetworkAttachment, [](std::string_view) { return list_of(ref("name")); }, true);
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
  if (k == "volumes") {
    return map_of(closed_object(
        keys::kVolume,
        [](std::string_view) {
          return json{{"type", "boolean"}};
        },
        true));
  }
  return map_of(closed_object(
      keys::kNetwork,
      [](std::string_view) {
        return json{{"type", "boolean"}};
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
