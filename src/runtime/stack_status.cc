#include "runtime/stack_status.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "util/parallel.h"
#include "util/table.h"

namespace fusion {

namespace {

std::string ports_text(const std::vector<PublishedPort>& ports) {
  std::vector<std::string> parts;
  for (const PublishedPort& p : ports) {
    std::string ip = p.host_ip.empty() ? "0.0.0.0" : p.host_ip;
    parts.push_back(fmt::format("{}:{}->{}/{}", ip, p.host_port, p.container_port, p.protocol));
  }
  std::sort(parts.begin(), parts.end());
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string url_of(const std::vector<PublishedPort>& ports) {
  for (const PublishedPort& p : ports) {
    if (p.protocol == "tcp" && p.host_port) return fmt::format("http://localhost:{}", p.host_port);
  }
  return "";
}

/// "local <digest>" for an image fusion built from local source (tagged
/// localhost/<stack>-<service>:<context digest>), else the reference.
std::string image_text(const std::string& image, const std::string& local_repository) {
  if (image.starts_with(local_repository + ":")) {
    return "local " + image.substr(local_repository.size() + 1);
  }
  return image;
}

std::string state_text(const ContainerInfo& c) {
  if (c.state == ContainerState::kExited) return fmt::format("exited ({})", c.exit_code);
  return c.status;
}

ServiceStatus row_for(const std::string& stack, const std::string& name, const Service* service,
                      const ContainerInfo* c) {
  ServiceStatus row{name, "not created", "-", service ? service->image.value : "", "", "", true};
  if (!c) return row;
  row.state = state_text(*c);
  row.image = image_text(c->image, "localhost/" + stack + "-" + name);
  row.ports = ports_text(c->ports);
  row.url = url_of(c->ports);
  row.problem = !(c->state == ContainerState::kRunning ||
                  (c->state == ContainerState::kExited && c->exit_code == 0));
  if (!service) row.state += " (not in fusion.yaml)";
  return row;
}

}  // namespace

std::vector<ServiceStatus> stack_status(const Registry& registry,
                                        const std::vector<ContainerInfo>& containers,
                                        Prober* prober) {
  std::map<std::string, const ContainerInfo*> by_service;
  for (const ContainerInfo& c : containers) {
    auto it = c.labels.find(kServiceLabel);
    if (it != c.labels.end()) by_service[it->second] = &c;
  }
  std::map<std::string, const Service*> services;
  for (const Service& s : registry.services) services[s.name.value] = &s;
  std::vector<std::string> names;
  for (const auto& [name, s] : services) {
    if (s->profiles.empty() || by_service.contains(name)) names.push_back(name);
  }
  for (const auto& [name, c] : by_service) {
    if (!services.contains(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::vector<ServiceStatus> rows(names.size());
  parallel_for_each(names.size(), default_jobs(), [&](size_t i) {
    auto s = services.find(names[i]);
    auto c = by_service.find(names[i]);
    const Service* service = s == services.end() ? nullptr : s->second;
    const ContainerInfo* container = c == by_service.end() ? nullptr : c->second;
    rows[i] = row_for(registry.name.value, names[i], service, container);
    if (!prober || !service || !service->health || !container ||
        container->state != ContainerState::kRunning) {
      return;
    }
    ProbeResult r = prober->probe(container->name, *service->health, probed_port(*service));
    rows[i].health = r.verdict == ProbeResult::kPass ? "healthy" : "unhealthy: " + r.detail;
    if (r.verdict != ProbeResult::kPass) rows[i].problem = true;
  });
  return rows;
}

std::string render_status(const std::vector<ServiceStatus>& rows) {
  std::vector<std::vector<std::string>> table = {
      {"SERVICE", "STATE", "HEALTH", "IMAGE", "PORTS", "URL"}};
  for (const ServiceStatus& r : rows) {
    table.push_back({r.service, r.state, r.health, r.image, r.ports, r.url});
  }
  return render_table(table);
}

nlohmann::json status_to_json(const std::vector<ServiceStatus>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const ServiceStatus& r : rows) {
    out.push_back({{"service", r.service},
                   {"state", r.state},
                   {"health", r.health},
                   {"image", r.image},
                   {"ports", r.ports},
                   {"url", r.url},
                   {"problem", r.problem}});
  }
  return out;
}

}  // namespace fusion
