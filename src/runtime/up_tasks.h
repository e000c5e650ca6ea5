#pragma once
// The scheduler's tasks for a selection of the registry: one per selected service and one per
// phase barrier (graph/service_graph.h), with the conditions of depends_on and the phases'
// timeouts. Task i is node i of the ServiceGraph.

#include <string>
#include <vector>

#include "graph/service_graph.h"
#include "runtime/reconcile.h"
#include "runtime/up_scheduler.h"

namespace fusion {

struct ServiceRun {
  ServiceDecision decision;
  bool build = false;  ///< its image is built from local source first
};

/// Services another selected service waits for to complete.
std::vector<bool> one_shot_services(const ServiceGraph& graph);

/// `runs[n]` is for service node n of the graph.
std::vector<UpTask> make_up_tasks(const Registry& registry, const ServiceGraph& graph,
                                  const std::vector<ServiceRun>& runs);

}  // namespace fusion
