#pragma once
// The dependency graph of a selection as text, Graphviz dot or Mermaid.

#include <string>

#include "graph/selection.h"
#include "registry/model.h"

namespace fusion {

enum class GraphFormat { kText, kDot, kMermaid };

/// Services in start order; edges point from a service to what it depends on, labelled with
/// the condition; phases are clusters (dot) or subgraphs (mermaid).
std::string render_graph(const Registry& registry, const Selection& selection, GraphFormat format);

}  // namespace fusion
