#include "graph/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "graph/service_graph.h"

namespace fusion {

Duration estimate_ready(const Service& service) {
  if (!service.health) return kStartCost;
  return kStartCost + service.health->start_period + service.health->interval;
}

namespace {

std::vector<std::string> waits_for(const ServiceGraph& g, NodeId n) {
  std::vector<std::string> out;
  for (const Dependency& d : g.service(n).depends_on) {
    if (g.node_of(d.service.value)) {
      out.push_back(fmt::format("{} ({})", d.service.value, condition_name(d.condition)));
    }
  }
  for (NodeId p : g.dag().predecessors(n)) {
    if (!g.is_service(p)) out.push_back(g.node_name(p));
  }
  return out;
}

}  // namespace

StartPlan make_plan(const Registry& registry, const Selection& selection) {
  ServiceGraph g(registry, selection.included);
  const Dag& dag = g.dag();
  std::vector<NodeId> order = dag.topological_order();
  std::vector<int64_t> unit(dag.size(), 0), cost(dag.size(), 0);
  for (NodeId n = 0; n < g.service_count(); ++n) {
    unit[n] = 1;
    cost[n] = estimate_ready(g.service(n)).count();
  }
  std::vector<int64_t> wave = dag.longest_paths(order, unit);
  std::vector<int64_t> ready = dag.longest_paths(order, cost);

  StartPlan plan;
  std::vector<bool> critical(dag.size(), false);
  if (!order.empty()) {
    NodeId last = *std::max_element(order.begin(), order.end(), [&](NodeId a, NodeId b) {
      return ready[a] < ready[b] || (ready[a] == ready[b] && a > b);
    });
    plan.critical_length = Duration(ready[last]);
    for (NodeId n : dag.heaviest_path_to(last, ready)) {
      plan.critical_path.push_back(g.node_name(n));
      critical[n] = true;
    }
  }
  std::unordered_map<const Service*, size_t> index;
  for (size_t i = 0; i < registry.services.size(); ++i) index[&registry.services[i]] = i;
  for (NodeId n : order) {
    if (!g.is_service(n)) continue;
    plan.services.push_back({&g.service(n), static_cast<size_t>(wave[n]), Duration(ready[n]),
                             waits_for(g, n), selection.reason[index[&g.service(n)]], critical[n]});
    plan.waves = std::max(plan.waves, static_cast<size_t>(wave[n]));
  }
  std::stable_sort(
      plan.services.begin(), plan.services.end(),
      [](const PlannedService& a, const PlannedService& b) { return a.wave < b.wave; });
  return plan;
}

std::string render_plan(const StartPlan& plan, bool explain) {
  std::string out = fmt::format(
      "{} services in {} waves; critical path ~{}: {}\n", plan.services.size(), plan.waves,
      format_duration(plan.critical_length), fmt::join(plan.critical_path, " -> "));
  size_t width = 0;
  for (const PlannedService& p : plan.services)
    width = std::max(width, p.service->name.value.size());
  size_t wave = 0;
  for (const PlannedService& p : plan.services) {
    if (p.wave != wave) out += fmt::format("wave {}\n", wave = p.wave);
    std::string after =
        p.waits_for.empty() ? "" : fmt::format("  after {}", fmt::join(p.waits_for, ", "));
    out += fmt::format("  {} {:<{}}  ready ~{}{}\n", p.critical ? '*' : ' ', p.service->name.value,
                       width, format_duration(p.ready_at), after);
    if (explain) out += fmt::format("      why: {}\n", p.reason);
  }
  return out;
}

nlohmann::json plan_to_json(const StartPlan& plan) {
  nlohmann::json services = nlohmann::json::array();
  for (const PlannedService& p : plan.services) {
    services.push_back({{"name", p.service->name.value},
                        {"wave", p.wave},
                        {"ready_ms", p.ready_at.count()},
                        {"waits_for", p.waits_for},
                        {"reason", p.reason},
                        {"critical", p.critical}});
  }
  return {{"services", services},
          {"waves", plan.waves},
          {"critical_path", plan.critical_path},
          {"critical_ms", plan.critical_length.count()}};
}

}  // namespace fusion
