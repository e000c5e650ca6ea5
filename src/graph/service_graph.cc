#include "graph/service_graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace fusion {

ServiceGraph::ServiceGraph(const Registry& registry, const std::vector<bool>& selected) {
  for (size_t i = 0; i < registry.services.size(); ++i) {
    if (selected.empty() || selected[i]) services_.push_back(&registry.services[i]);
  }
  std::stable_sort(services_.begin(), services_.end(), [](const Service* a, const Service* b) {
    return a->name.value < b->name.value;
  });
  for (NodeId n = 0; n < services_.size(); ++n) ids_.emplace(services_[n]->name.value, n);
  add_phase_barriers(registry);
  add_dependency_edges();
}

void ServiceGraph::add_dependency_edges() {
  for (NodeId n = 0; n < services_.size(); ++n) {
    for (const Dependency& d : services_[n]->depends_on) {
      if (auto dep = node_of(d.service.value)) dag_.add_edge(*dep, n);
    }
  }
}

void ServiceGraph::add_phase_barriers(const Registry& registry) {
  std::map<int64_t, std::vector<const Phase*>> by_order;
  for (const Phase& p : registry.phases) {
    if (p.order.present()) by_order[p.order.value].push_back(&p);
  }
  std::unordered_map<std::string_view, size_t> level_of_phase;
  for (const auto& [order, phases] : by_order) {
    for (const Phase* p : phases) level_of_phase.emplace(p->name.value, barriers_.size());
    barriers_.push_back(phases);
  }
  dag_ = Dag(services_.size() + barriers_.size());
  auto barrier = [&](size_t level) { return static_cast<NodeId>(services_.size() + level); };
  for (size_t level = 0; level + 1 < barriers_.size(); ++level) {
    dag_.add_edge(barrier(level), barrier(level + 1));
  }
  for (NodeId n = 0; n < services_.size(); ++n) {
    auto it = level_of_phase.find(services_[n]->phase.value);
    if (!services_[n]->phase.present() || it == level_of_phase.end()) continue;
    dag_.add_edge(n, barrier(it->second));
    if (it->second > 0) dag_.add_edge(barrier(it->second - 1), n);
  }
}

std::string ServiceGraph::node_name(NodeId n) const {
  if (is_service(n)) return services_[n]->name.value;
  std::vector<std::string> names;
  for (const Phase* p : barrier_phases(n)) names.push_back("'" + p->name.value + "'");
  return fmt::format("phase {}", fmt::join(names, "+"));
}

std::optional<NodeId> ServiceGraph::node_of(std::string_view service_name) const {
  auto it = ids_.find(service_name);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace fusion
