#pragma once
// The start-order graph of a set of services. Node ids: the selected services in name order,
// then one barrier node per distinct phase order. Phases are barriers: a barrier depends on
// every selected service of its phases, and every service of the next phase order depends on
// the barrier before it. Services without a phase are ordered by depends_on alone. This keeps
// the edge count linear in the number of services however large the phases are.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/dag.h"
#include "registry/model.h"

namespace fusion {

class ServiceGraph {
 public:
  /// `selected[i]` says whether registry.services[i] takes part; empty means all of them.
  /// Dependencies on services outside the selection are not edges.
  explicit ServiceGraph(const Registry& registry, const std::vector<bool>& selected = {});

  const Dag& dag() const { return dag_; }
  size_t service_count() const { return services_.size(); }
  bool is_service(NodeId n) const { return n < services_.size(); }
  const Service& service(NodeId n) const { return *services_[n]; }
  /// "api", or "phase 'infra'" for a barrier.
  std::string node_name(NodeId n) const;
  std::optional<NodeId> node_of(std::string_view service_name) const;
  /// The phases a barrier node closes.
  const std::vector<const Phase*>& barrier_phases(NodeId n) const {
    return barriers_[n - services_.size()];
  }

 private:
  void add_dependency_edges();
  void add_phase_barriers(const Registry& registry);

  std::vector<const Service*> services_;
  std::unordered_map<std::string_view, NodeId> ids_;
  std::vector<std::vector<const Phase*>> barriers_;
  Dag dag_{0};
};

}  // namespace fusion
