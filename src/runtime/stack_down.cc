#include "runtime/stack_down.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "graph/service_graph.h"
#include "util/parallel.h"

namespace fusion {

namespace {

constexpr std::chrono::seconds kStopGrace{10};

std::string service_of(const ContainerInfo& c) {
  auto it = c.labels.find(kServiceLabel);
  return it == c.labels.end() ? "" : it->second;
}

}  // namespace

std::vector<size_t> stop_levels(const Registry& registry,
                                const std::vector<std::string>& services) {
  ServiceGraph graph(registry);
  const Dag& dag = graph.dag();
  std::vector<NodeId> order = dag.topological_order();
  std::vector<size_t> level(dag.size(), 0);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    for (NodeId s : dag.successors(*it)) level[*it] = std::max(level[*it], level[s] + 1);
  }
  std::vector<size_t> out;
  for (const std::string& name : services) {
    auto node = graph.node_of(name);
    out.push_back(node ? level[*node] : 0);
  }
  return out;
}

Result<DownReport> stack_down(const Registry& registry, ContainerRuntime& runtime,
                              bool remove_volumes,
                              const std::function<void(const std::string&)>& progress) {
  const std::string& stack = registry.name.value;
  auto containers = runtime.containers_labelled(kStackLabel, stack);
  if (!containers) return Error{containers.error()};
  std::vector<std::string> services;
  for (const ContainerInfo& c : *containers) services.push_back(service_of(c));
  std::vector<size_t> levels = stop_levels(registry, services);
  std::map<size_t, std::vector<const ContainerInfo*>> by_level;
  for (size_t i = 0; i < containers->size(); ++i) by_level[levels[i]].push_back(&(*containers)[i]);

  DownReport report;
  std::mutex mutex;
  for (const auto& level : by_level) {
    const std::vector<const ContainerInfo*>& group = level.second;  // lambdas cannot capture
    parallel_for_each(group.size(), default_jobs(), [&](size_t i) {
      const ContainerInfo& c = *group[i];
      const Service* service = registry.find_service(service_of(c));
      std::chrono::seconds grace = kStopGrace;
      if (service && service->stop_grace_period) {
        grace = std::chrono::seconds((service->stop_grace_period->value.count() + 999) / 1000);
      }
      Status stopped =
          c.state == ContainerState::kRunning ? runtime.stop(c.name, grace) : ok_status();
      Status removed = stopped ? runtime.remove(c.name) : stopped;
      std::lock_guard lock(mutex);
      if (!removed) {
        report.errors.push_back(c.name + ": " + removed.error());
        return;
      }
      report.containers.push_back(c.name);
      if (progress) progress(c.name);
    });
  }
  auto networks = runtime.networks_labelled(kStackLabel, stack);
  if (!networks) return Error{networks.error()};
  for (const std::string& n : *networks) {
    Status s = runtime.remove_network(n);
    s ? report.networks.push_back(n) : report.errors.push_back(n + ": " + s.error());
  }
  if (remove_volumes) {
    auto volumes = runtime.volumes_labelled(kStackLabel, stack);
    if (!volumes) return Error{volumes.error()};
    for (const std::string& v : *volumes) {
      Status s = runtime.remove_volume(v);
      s ? report.volumes.push_back(v) : report.errors.push_back(v + ": " + s.error());
    }
  }
  std::sort(report.containers.begin(), report.containers.end());
  return report;
}

}  // namespace fusion
