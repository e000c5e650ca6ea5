#include "registry/model.h"

#include <algorithm>

namespace fusion {

const char* condition_name(DependencyCondition c) {
  switch (c) {
    case DependencyCondition::kStarted:
      return "started";
    case DependencyCondition::kHealthy:
      return "healthy";
    case DependencyCondition::kCompleted:
      return "completed";
  }
  return "started";
}

const char* health_kind_name(HealthKind k) {
  switch (k) {
    case HealthKind::kHttp:
      return "http";
    case HealthKind::kTcp:
      return "tcp";
    case HealthKind::kExec:
      return "exec";
    case HealthKind::kContainer:
      return "container";
  }
  return "http";
}

const char* restart_policy_name(RestartPolicy p) {
  switch (p) {
    case RestartPolicy::kNo:
      return "no";
    case RestartPolicy::kAlways:
      return "always";
    case RestartPolicy::kOnFailure:
      return "on-failure";
    case RestartPolicy::kUnlessStopped:
      return "unless-stopped";
  }
  return "no";
}

namespace {
template <class T>
const T* find_by_name(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const T& item) { return item.name.value == name; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

const Service* Registry::find_service(std::string_view service_name) const {
  return find_by_name(services, service_name);
}
const Phase* Registry::find_phase(std::string_view phase_name) const {
  return find_by_name(phases, phase_name);
}

uint16_t probed_port(const Service& service) {
  if (!service.health) return 0;
  if (service.health->port.present()) return service.health->port.value;
  uint16_t only = 0;
  for (const std::vector<PortMapping>* list : {&service.ports, &service.expose}) {
    for (const PortMapping& p : *list) {
      if (p.protocol != Protocol::kTcp || p.container_port == only) continue;
      if (only != 0) return 0;
      only = p.container_port;
    }
  }
  return only;
}

std::vector<ContainerPort> container_ports(const Service& service) {
  std::vector<ContainerPort> out;
  auto add = [&](ContainerPort p) {
    if (p.port != 0 && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  };
  for (const PortMapping& p : service.ports) add({p.container_port, p.protocol});
  for (const PortMapping& p : service.expose) add({p.container_port, p.protocol});
  if (service.health &&
      (service.health->kind == HealthKind::kHttp || service.health->kind == HealthKind::kTcp)) {
    add({probed_port(service), Protocol::kTcp});
  }
  return out;
}

}  // namespace fusion
