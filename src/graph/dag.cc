#include "graph/dag.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace fusion {

void Dag::add_edge(NodeId before, NodeId after) {
  successors_[before].push_back(after);
  predecessors_[after].push_back(before);
}

std::vector<NodeId> Dag::topological_order() const {
  std::vector<size_t> waiting(size());
  std::priority_queue<NodeId, std::vector<NodeId>, std::greater<>> ready;
  for (NodeId n = 0; n < size(); ++n) {
    waiting[n] = predecessors_[n].size();
    if (waiting[n] == 0) ready.push(n);
  }
  std::vector<NodeId> order;
  order.reserve(size());
  while (!ready.empty()) {
    NodeId n = ready.top();
    ready.pop();
    order.push_back(n);
    for (NodeId s : successors_[n]) {
      if (--waiting[s] == 0) ready.push(s);
    }
  }
  return order;
}

namespace {

/// Tarjan's strongly connected components, iteratively (a 10,000-long chain must not overflow
/// the stack). Follows predecessor edges, i.e. "depends on".
std::vector<std::vector<NodeId>> components(const std::vector<std::vector<NodeId>>& depends_on) {
  const size_t n = depends_on.size();
  constexpr uint32_t kUnvisited = UINT32_MAX;
  std::vector<uint32_t> index(n, kUnvisited), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<NodeId> stack;
  std::vector<std::vector<NodeId>> result;
  uint32_t next_index = 0;
  struct Frame {
    NodeId node;
    size_t edge;
  };
  for (NodeId root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    std::vector<Frame> frames{{root, 0}};
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!frames.empty()) {
      Frame& f = frames.back();
      if (f.edge < depends_on[f.node].size()) {
        NodeId next = depends_on[f.node][f.edge++];
        if (index[next] == kUnvisited) {
          index[next] = low[next] = next_index++;
          stack.push_back(next);
          on_stack[next] = true;
          frames.push_back({next, 0});
        } else if (on_stack[next]) {
          low[f.node] = std::min(low[f.node], index[next]);
        }
        continue;
      }
      NodeId done = f.node;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().node] = std::min(low[frames.back().node], low[done]);
      if (low[done] != index[done]) continue;
      std::vector<NodeId> component;
      NodeId member;
      do {
        member = stack.back();
        stack.pop_back();
        on_stack[member] = false;
        component.push_back(member);
      } while (member != done);
      result.push_back(std::move(component));
    }
  }
  return result;
}

/// The shortest loop from `start` back to itself inside `component` (breadth first).
std::vector<NodeId> loop_through(NodeId start, const std::vector<NodeId>& component,
                                 const std::vector<std::vector<NodeId>>& depends_on) {
  std::vector<bool> inside(depends_on.size(), false);
  for (NodeId m : component) inside[m] = true;
  std::vector<NodeId> parent(depends_on.size(), UINT32_MAX);
  std::queue<NodeId> queue;
  queue.push(start);
  while (!queue.empty()) {
    NodeId n = queue.front();
    queue.pop();
    std::vector<NodeId> next = depends_on[n];
    std::sort(next.begin(), next.end());
    for (NodeId m : next) {
      if (!inside[m]) continue;
      if (m == start) {
        std::vector<NodeId> loop{n};
        while (loop.back() != start) loop.push_back(parent[loop.back()]);
        std::reverse(loop.begin(), loop.end());
        return loop;
      }
      if (parent[m] != UINT32_MAX || m == start) continue;
      parent[m] = n;
      queue.push(m);
    }
  }
  return {};
}

}  // namespace

std::vector<std::vector<NodeId>> Dag::cycles() const {
  std::vector<std::vector<NodeId>> loops;
  for (const std::vector<NodeId>& component : components(predecessors_)) {
    NodeId start = *std::min_element(component.begin(), component.end());
    const auto& own = predecessors_[start];
    bool self_loop = std::find(own.begin(), own.end(), start) != own.end();
    if (component.size() == 1 && !self_loop) continue;
    loops.push_back(loop_through(start, component, predecessors_));
  }
  std::sort(loops.begin(), loops.end());
  return loops;
}

std::vector<int64_t> Dag::longest_paths(const std::vector<NodeId>& order,
                                        const std::vector<int64_t>& weight) const {
  std::vector<int64_t> finish(size(), 0);
  for (NodeId n : order) {
    int64_t start = 0;
    for (NodeId p : predecessors_[n]) start = std::max(start, finish[p]);
    finish[n] = start + weight[n];
  }
  return finish;
}

std::vector<NodeId> Dag::heaviest_path_to(NodeId last, const std::vector<int64_t>& finish) const {
  std::vector<NodeId> path{last};
  while (!predecessors_[path.back()].empty()) {
    const auto& preds = predecessors_[path.back()];
    NodeId best = preds.front();
    for (NodeId p : preds) {
      if (finish[p] > finish[best] || (finish[p] == finish[best] && p < best)) best = p;
    }
    path.push_back(best);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace fusion
