#include "graph/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "graph/service_graph.h"

namespace fusion {
namespace {

std::vector<NodeId> service_order(const ServiceGraph& g) {
  std::vector<NodeId> order;
  for (NodeId n : g.dag().topological_order()) {
    if (g.is_service(n)) order.push_back(n);
  }
  return order;
}

std::string render_text(const ServiceGraph& g) {
  size_t width = 0;
  for (NodeId n = 0; n < g.service_count(); ++n)
    width = std::max(width, g.service(n).name.value.size());
  std::string out;
  for (NodeId n : service_order(g)) {
    const Service& s = g.service(n);
    std::vector<std::string> deps;
    for (const Dependency& d : s.depends_on) {
      if (g.node_of(d.service.value))
        deps.push_back(fmt::format("{} ({})", d.service.value, condition_name(d.condition)));
    }
    std::string phase = s.phase.present() ? fmt::format("[{}] ", s.phase.value) : "";
    std::string line =
        fmt::format("{:<{}}  {}{}", s.name.value, width, phase,
                    deps.empty() ? "" : "-> " + fmt::format("{}", fmt::join(deps, ", ")));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

/// Services grouped by phase name ("" for none), in name order.
std::map<std::string, std::vector<NodeId>> by_phase(const ServiceGraph& g) {
  std::map<std::string, std::vector<NodeId>> groups;
  for (NodeId n = 0; n < g.service_count(); ++n) groups[g.service(n).phase.value].push_back(n);
  return groups;
}

std::string render_dot(const ServiceGraph& g) {
  std::string out = "digraph fusion {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const auto& [phase, nodes] : by_phase(g)) {
    std::string indent = phase.empty() ? "  " : "    ";
    if (!phase.empty())
      out += fmt::format("  subgraph \"cluster_{}\" {{\n    label=\"phase {}\";\n", phase, phase);
    for (NodeId n : nodes) out += fmt::format("{}\"{}\";\n", indent, g.service(n).name.value);
    if (!phase.empty()) out += "  }\n";
  }
  for (NodeId n : service_order(g)) {
    for (const Dependency& d : g.service(n).depends_on) {
      if (!g.node_of(d.service.value)) continue;
      out += fmt::format("  \"{}\" -> \"{}\" [label=\"{}\"];\n", g.service(n).name.value,
                         d.service.value, condition_name(d.condition));
    }
  }
  return out + "}\n";
}

// DNS-1123 names have no '_', so mapping '-' to '_' keeps Mermaid ids unique.
std::string mermaid_id(const std::string& name) {
  std::string id = name;
  std::replace(id.begin(), id.end(), '-', '_');
  return id;
}

std::string render_mermaid(const ServiceGraph& g) {
  std::string out = "flowchart LR\n";
  for (const auto& [phase, nodes] : by_phase(g)) {
    std::string indent = phase.empty() ? "  " : "    ";
    if (!phase.empty())
      out += fmt::format("  subgraph phase_{}[\"phase {}\"]\n", mermaid_id(phase), phase);
    for (NodeId n : nodes) {
      out += fmt::format("{}{}[\"{}\"]\n", indent, mermaid_id(g.service(n).name.value),
                         g.service(n).name.value);
    }
    if (!phase.empty()) out += "  end\n";
  }
  for (NodeId n : service_order(g)) {
    for (const Dependency& d : g.service(n).depends_on) {
      if (!g.node_of(d.service.value)) continue;
      out += fmt::format("  {} -->|{}| {}\n", mermaid_id(g.service(n).name.value),
                         condition_name(d.condition), mermaid_id(d.service.value));
    }
  }
  return out;
}

}  // namespace

std::string render_graph(const Registry& registry, const Selection& selection, GraphFormat format) {
  ServiceGraph g(registry, selection.included);
  switch (format) {
    case GraphFormat::kDot:
      return render_dot(g);
    case GraphFormat::kMermaid:
      return render_mermaid(g);
    case GraphFormat::kText:
      break;
  }
  return render_text(g);
}

}  // namespace fusion
