#include "graph/cycle_check.h"

#include <fmt/format.h>

#include "graph/service_graph.h"
#include "registry/loader.h"
#include "registry/overlay.h"
#include "registry/validator.h"

namespace fusion {
namespace {

/// Where `from` depends on `to`: its depends_on entry, or its `phase` when `to` is a barrier.
SourcePos edge_position(const ServiceGraph& g, NodeId from, NodeId to) {
  if (!g.is_service(from)) return {};
  const Service& s = g.service(from);
  if (!g.is_service(to)) return s.phase.pos;
  for (const Dependency& d : s.depends_on) {
    if (d.service.value == g.service(to).name.value) return d.service.pos;
  }
  return s.name.pos;
}

std::string explain_phases(const ServiceGraph& g, const std::vector<NodeId>& loop) {
  std::string out;
  for (size_t i = 0; i < loop.size(); ++i) {
    NodeId from = loop[i], to = loop[(i + 1) % loop.size()];
    if (!g.is_service(from) || g.is_service(to)) continue;
    out += fmt::format("; '{}' is in phase '{}', which starts after {} is healthy",
                       g.service(from).name.value, g.service(from).phase.value, g.node_name(to));
  }
  return out;
}

}  // namespace

void check_cycles(const Registry& registry, Diagnostics& diagnostics) {
  ServiceGraph graph(registry);
  for (const std::vector<NodeId>& loop : graph.dag().cycles()) {
    std::string path;
    for (NodeId n : loop) path += graph.node_name(n) + " -> ";
    path += graph.node_name(loop.front());
    SourcePos pos = edge_position(graph, loop.front(), loop.size() > 1 ? loop[1] : loop.front());
    diagnostics.error(pos,
                      fmt::format("dependency cycle: {}{}", path, explain_phases(graph, loop)));
  }
}

std::optional<Registry> load_checked(const SourceSet& sources, uint32_t file,
                                     Diagnostics& diagnostics) {
  std::optional<Registry> registry = load_registry(sources, file, diagnostics);
  if (registry) {
    choose_local({}, *registry, diagnostics);
    validate(*registry, diagnostics);
    check_cycles(*registry, diagnostics);
  }
  diagnostics.sort();
  return registry;
}

}  // namespace fusion
