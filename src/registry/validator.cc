#include "registry/validator.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "registry/interpolation.h"
#include "registry/port.h"
#include "util/strings.h"

namespace fusion {
namespace {

/// Names defined in the registry, by kind, for reference checks and suggestions.
class NameTable {
 public:
  template <class T>
  void add_all(std::string kind, const std::vector<T>& items) {
    auto& names = tables_[kind];
    auto& set = sets_[kind];
    for (const T& item : items) {
      names.push_back(item.name.value);
      set.insert(item.name.value);
    }
  }
  bool contains(const std::string& kind, const std::string& name) const {
    return sets_.at(kind).count(name) > 0;
  }
  std::string suggest(const std::string& kind, const std::string& name) const {
    const auto& names = tables_.at(kind);
    if (auto best = closest_match(name, names)) return fmt::format("; did you mean '{}'?", *best);
    if (names.empty()) return fmt::format("; no {}s are defined", kind);
    return "";
  }

 private:
  std::map<std::string, std::vector<std::string>> tables_;
  std::map<std::string, std::unordered_set<std::string>> sets_;
};

struct Checker {
  const Registry& reg;
  Diagnostics& out;
  NameTable names;
  std::unordered_map<std::string_view, const Service*> services;

  /// Reports `ref` when it names no `kind` ("phase", "repo", …) defined at the top level.
  void reference(const Text& ref, const std::string& kind, std::string_view where) {
    if (!ref.present() || names.contains(kind, ref.value)) return;
    out.error(ref.pos, fmt::format("{} uses undefined {} '{}'{}", where, kind, ref.value,
                                   names.suggest(kind, ref.value)));
  }
  void label(const Text& name, std::string_view kind) {
    if (!name.present() || is_dns1123_label(name.value)) return;
    out.error(name.pos, fmt::format("{} name '{}' is not a DNS-1123 label: use 1-63 lowercase "
                                    "letters, digits and '-', starting and ending with a letter "
                                    "or digit",
                                    kind, name.value));
  }
};

void check_top_level(Checker& c) {
  const Registry& reg = c.reg;
  if (!reg.version.present()) {
    c.out.error(reg.origin, fmt::format("missing 'version'; add 'version: {}'", kRegistryVersion));
  } else if (reg.version.value != kRegistryVersion) {
    c.out.error(reg.version.pos, fmt::format("unsupported version {}; this fusion reads version {}",
                                             reg.version.value, kRegistryVersion));
  }
  if (!reg.name.present()) {
    c.out.error(reg.origin, "missing 'name'; add the stack's name, e.g. 'name: shop'");
  }
  c.label(reg.name, "stack");
  const Text& layout = reg.workspace_layout;
  if (layout.present() && layout.value != "flat" && layout.value != "gopath") {
    c.out.error(layout.pos,
                fmt::format("unknown workspace layout '{}'; use flat or gopath", layout.value));
  }
  for (const Repo& repo : reg.repos) {
    c.label(repo.name, "repo");
    if (!repo.url.present()) {
      c.out.error(repo.name.pos, fmt::format("repo '{}' needs a 'url'", repo.name.value));
    }
  }
  for (const Phase& phase : reg.phases) {
    c.label(phase.name, "phase");
    if (!phase.order.present()) {
      c.out.error(phase.name.pos, fmt::format("phase '{}' needs an 'order' (phases start in "
                                              "ascending order)",
                                              phase.name.value));
    }
  }
  for (const Volume& v : reg.volumes) c.label(v.name, "volume");
  for (const Network& n : reg.networks) {
    c.label(n.name, "network");
    for (const Subnet& subnet : n.subnets) {
      size_t slash = subnet.subnet.find('/');
      if (slash == std::string::npos || slash + 1 == subnet.subnet.size() ||
          subnet.subnet.find_first_not_of("0123456789abcdefABCDEF.:/") != std::string::npos) {
        c.out.error(subnet.pos, fmt::format("subnet '{}' of network '{}' is not a CIDR such as "
                                            "10.5.0.0/24",
                                            subnet.subnet, n.name.value));
      }
    }
  }
  for (const FileSource& secret : reg.secrets) {
    if (secret.from_store() && !secret.external) c.label(secret.name, "secret");
    if (secret.content.present()) {
      c.out.error(secret.content.pos,
                  fmt::format("secret '{}' may not hold 'content' (it would be committed); use "
                              "'file', 'environment', or nothing for fusion's secret store",
                              secret.name.value));
    }
  }
  for (const FileSource& config : reg.configs) {
    if (config.from_store() && !config.external) {
      c.out.error(config.pos, fmt::format("config '{}' needs 'file', 'environment' or 'content'",
                                          config.name.value));
    }
  }
}

void check_source(Checker& c, const Service& s) {
  std::string where = fmt::format("service '{}'", s.name.value);
  if (!s.image.present() && !s.has_source()) {
    c.out.error(s.name.pos, fmt::format("{} has neither 'image' nor a source; add 'image', or "
                                        "'repo' or 'path' to build it from source",
                                        where));
  }
  if (s.repo.present() && s.path.present()) {
    c.out.error(s.path.pos, fmt::format("{} has both 'repo' and 'path'; keep one", where));
  }
  if (s.build && !s.has_source()) {
    c.out.error(s.build->pos, fmt::format("{} has 'build' but no source to build; add 'repo' "
                                          "or 'path'",
                                          where));
  }
  c.reference(s.repo, "repo", where);
  c.reference(s.phase, "phase", where);
}

void check_volumes_and_networks(Checker& c, const Service& s) {
  std::string where = fmt::format("service '{}'", s.name.value);
  for (const VolumeMount& m : s.volumes) {
    if (m.named) c.reference(Text{m.source, m.pos}, "volume", where);
  }
  for (const NetworkAttachment& n : s.networks) {
    c.reference(n.name, "network", where);
    for (const Text& alias : n.aliases) {
      // Compose allows any host name: "db.internal", "old_name"; each part 1-63 characters.
      bool ok = !alias.value.empty() && alias.value.size() <= 253;
      for (std::string_view part : split(alias.value, '.')) {
        ok = ok && !part.empty() && part.size() <= 63 && part.front() != '-' &&
             part.back() != '-' &&
             part.find_first_not_of(
                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") ==
                 std::string_view::npos;
      }
      if (!ok) {
        c.out.error(alias.pos, fmt::format("network alias '{}' of service '{}' is not a host "
                                           "name: use letters, digits, '-' and '_', in parts of "
                                           "1-63 separated by '.'",
                                           alias.value, s.name.value));
      }
    }
  }
}

/// An http or tcp check probes the container's address, so any port will do when named; without
/// `port` the service must listen on exactly one tcp port (of `ports` and `expose`).
void check_health(Checker& c, const Service& s) {
  if (!s.health) return;
  const HealthCheck& h = *s.health;
  if (h.kind != HealthKind::kHttp && h.kind != HealthKind::kTcp) return;
  if (h.port.present() || probed_port(s) != 0) return;
  std::set<uint16_t> tcp;
  for (const std::vector<PortMapping>* list : {&s.ports, &s.expose}) {
    for (const PortMapping& p : *list) {
      if (p.protocol == Protocol::kTcp) tcp.insert(p.container_port);
    }
  }
  c.out.error(h.pos, fmt::format("the {} health check of service '{}' needs a 'port': the "
                                 "service has {} in 'ports' and 'expose'",
                                 health_kind_name(h.kind), s.name.value,
                                 tcp.empty() ? "no tcp port" : "several tcp ports"));
}

void report_profile_exclusion(Checker& c, const Service& s, const Service& dep,
                              const Dependency& d) {
  std::vector<std::string> profiles;
  for (const Text& p : dep.profiles) profiles.push_back(p.value);
  std::string runs = fmt::format("'{}' runs without it", s.name.value);
  for (const Text& p : s.profiles) {
    if (std::find(profiles.begin(), profiles.end(), p.value) == profiles.end()) {
      runs = fmt::format("'{}' also runs with profile '{}'", s.name.value, p.value);
      break;
    }
  }
  c.out.error(d.service.pos,
              fmt::format("service '{}' depends on '{}', which only runs with "
                          "profile {}; {}",
                          s.name.value, dep.name.value, quoted_list(profiles), runs));
}

void check_dependencies(Checker& c, const Service& s) {
  std::set<std::string> seen;
  for (const Dependency& d : s.depends_on) {
    std::string where = fmt::format("service '{}'", s.name.value);
    if (!seen.insert(d.service.value).second) {
      c.out.error(d.service.pos,
                  fmt::format("{} lists dependency '{}' twice", where, d.service.value));
    }
    auto it = c.services.find(d.service.value);
    if (it == c.services.end()) {
      c.out.error(d.service.pos,
                  fmt::format("{} depends on undefined service '{}'{}", where, d.service.value,
                              c.names.suggest("service", d.service.value)));
      continue;
    }
    const Service& dep = *it->second;
    if (d.condition == DependencyCondition::kHealthy && !dep.health) {
      c.out.error(d.condition_pos.known() ? d.condition_pos : d.service.pos,
                  fmt::format("{} waits for '{}' to be healthy, but '{}' has no health check; add "
                              "one to '{}' or wait for 'started'",
                              where, dep.name.value, dep.name.value, dep.name.value));
    }
    if (excluded_by_profiles(s, dep)) report_profile_exclusion(c, s, dep, d);
  }
}

void check_run_keys(Checker& c, const Service& s) {
  std::string where = fmt::format("service '{}'", s.name.value);
  for (const FileMount& m : s.secrets) c.reference(m.source, "secret", where);
  for (const FileMount& m : s.configs) c.reference(m.source, "config", where);
  static const std::vector<std::string> kPullPolicies = {"always", "never", "missing", "build",
                                                         "if_not_present"};
  if (s.pull_policy.present() && std::find(kPullPolicies.begin(), kPullPolicies.end(),
                                           s.pull_policy.value) == kPullPolicies.end()) {
    c.out.error(s.pull_policy.pos,
                fmt::format("unknown pull_policy '{}' in {}; expected always, never, missing or "
                            "build",
                            s.pull_policy.value, where));
  }
  if (s.pid.present() && s.pid.value != "host") {
    std::string_view pid = s.pid.value;
    if (!pid.starts_with("service:")) {
      c.out.error(s.pid.pos, fmt::format("'pid' of {} must be host or service:NAME", where));
    } else {
      c.reference(Text{std::string(pid.substr(8)), s.pid.pos}, "service", where);
    }
  }
  if (s.container_name.present() && s.replicas && s.replicas->value > 1) {
    c.out.error(s.replicas->pos, fmt::format("{} has a container_name, so it cannot run {} "
                                             "replicas",
                                             where, s.replicas->value));
  }
}

void check_interpolation(Checker& c, const Service& s) {
  for (const EnvVar& var : s.env) {
    std::string where = fmt::format("env '{}' of service '{}'", var.name.value, s.name.value);
    if (var.name.value.empty() || var.name.value.find_first_of("= ") != std::string::npos) {
      c.out.error(var.name.pos, fmt::format("invalid variable name '{}' in service '{}'",
                                            var.name.value, s.name.value));
    }
    if (var.secret) c.label(*var.secret, "secret");
    ScanResult scan = scan_references(var.value);
    for (const InterpolationError& e : scan.errors) {
      c.out.error(var.value_pos, fmt::format("{} in {}", e.message, where));
    }
    for (const Reference& ref : scan.references) {
      if (ref.kind == Reference::Kind::kSecret) c.label(Text{ref.name, var.value_pos}, "secret");
    }
  }
}

/// Two services publishing the same host port collide unless their profiles never run together.
void check_host_ports(Checker& c) {
  auto disjoint = [](const Service& a, const Service& b) {
    if (a.profiles.empty() || b.profiles.empty()) return false;
    for (const Text& p : a.profiles) {
      for (const Text& q : b.profiles)
        if (p.value == q.value) return false;
    }
    return true;
  };
  std::unordered_map<uint32_t, std::vector<std::pair<const Service*, const PortMapping*>>> by_port;
  for (const Service& s : c.reg.services) {
    for (const PortMapping& p : s.ports) {
      if (!p.host_port) continue;
      auto& earlier = by_port[p.host_port];
      for (auto [other, q] : earlier) {
        if (!host_ports_collide(p, *q) || (other != &s && disjoint(s, *other))) continue;
        c.out.error(p.pos, fmt::format("host port {} of service '{}' is already published by "
                                       "service '{}' (line {})",
                                       p.host_port, s.name.value, other->name.value, q->pos.line));
        break;
      }
      earlier.push_back({&s, &p});
    }
  }
}

void check_subdomains(Checker& c) {
  std::unordered_map<std::string, const Service*> taken;
  for (const Service& s : c.reg.services) {
    if (!s.subdomain.present()) continue;
    c.label(s.subdomain, "subdomain");
    auto [it, inserted] = taken.emplace(s.subdomain.value, &s);
    if (!inserted) {
      c.out.error(s.subdomain.pos,
                  fmt::format("subdomain '{}' of service '{}' is already used by "
                              "service '{}'",
                              s.subdomain.value, s.name.value, it->second->name.value));
    }
  }
}

/// An alias names the service on a network (and a Service in Kubernetes): it must not be
/// another service's name or alias. The same alias on several networks of one service is fine.
void check_aliases(Checker& c) {
  std::unordered_map<std::string, const Service*> owner;
  for (const Service& s : c.reg.services) {
    for (const NetworkAttachment& n : s.networks) {
      for (const Text& alias : n.aliases) {
        if (const Service* named = c.reg.find_service(alias.value)) {
          c.out.error(alias.pos, fmt::format("network alias '{}' of service '{}' is the name of "
                                             "service '{}'; choose another alias",
                                             alias.value, s.name.value, named->name.value));
          continue;
        }
        auto [it, inserted] = owner.emplace(alias.value, &s);
        if (!inserted && it->second != &s) {
          c.out.error(alias.pos,
                      fmt::format("network alias '{}' of service '{}' is already an alias of "
                                  "service '{}'",
                                  alias.value, s.name.value, it->second->name.value));
        }
      }
    }
  }
}

}  // namespace

bool excluded_by_profiles(const Service& service, const Service& dependency) {
  if (dependency.profiles.empty()) return false;
  if (service.profiles.empty()) return true;
  for (const Text& p : service.profiles) {
    bool covered = std::any_of(dependency.profiles.begin(), dependency.profiles.end(),
                               [&](const Text& q) { return q.value == p.value; });
    if (!covered) return true;
  }
  return false;
}

void validate(const Registry& registry, Diagnostics& diagnostics) {
  Checker c{registry, diagnostics, {}, {}};
  c.names.add_all("service", registry.services);
  c.names.add_all("phase", registry.phases);
  c.names.add_all("repo", registry.repos);
  c.names.add_all("volume", registry.volumes);
  c.names.add_all("network", registry.networks);
  c.names.add_all("secret", registry.secrets);
  c.names.add_all("config", registry.configs);
  for (const Service& s : registry.services) c.services.emplace(s.name.value, &s);
  check_top_level(c);
  for (const Service& s : registry.services) {
    c.label(s.name, "service");
    c.label(s.group, "group");  // names a generated file
    check_source(c, s);
    check_volumes_and_networks(c, s);
    check_health(c, s);
    check_dependencies(c, s);
    check_run_keys(c, s);
    check_interpolation(c, s);
  }
  check_host_ports(c);
  check_subdomains(c);
  check_aliases(c);
}

}  // namespace fusion
