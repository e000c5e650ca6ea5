#pragma once
// A directed graph over nodes 0..n-1 where an edge `before -> after` means `after` depends on
// `before`. Knows nothing of services; graph/service_graph.h maps services and phases onto it.

#include <cstdint>
#include <functional>
#include <vector>

namespace fusion {

using NodeId = uint32_t;

class Dag {
 public:
  explicit Dag(size_t nodes) : successors_(nodes), predecessors_(nodes) {}

  /// `after` depends on `before`. Duplicate edges are kept; algorithms tolerate them.
  void add_edge(NodeId before, NodeId after);

  size_t size() const { return successors_.size(); }
  const std::vector<NodeId>& successors(NodeId n) const { return successors_[n]; }
  const std::vector<NodeId>& predecessors(NodeId n) const { return predecessors_[n]; }

  /// Kahn's algorithm; among ready nodes the smallest id comes first, so callers that number
  /// nodes in name order get name order for ties. Nodes on or behind a cycle are left out.
  std::vector<NodeId> topological_order() const;

  /// One loop per strongly connected component that has one, each listed so that every node
  /// depends on the next and the last on the first, starting at the component's smallest id.
  std::vector<std::vector<NodeId>> cycles() const;

  /// finish[n] = weight[n] + max(finish[p] for predecessors p), over a topological `order`.
  std::vector<int64_t> longest_paths(const std::vector<NodeId>& order,
                                     const std::vector<int64_t>& weight) const;

  /// The heaviest path ending at `last`, first node first, following the predecessor whose
  /// finish is largest (smallest id on ties).
  std::vector<NodeId> heaviest_path_to(NodeId last, const std::vector<int64_t>& finish) const;

 private:
  std::vector<std::vector<NodeId>> successors_;
  std::vector<std::vector<NodeId>> predecessors_;
};

}  // namespace fusion
