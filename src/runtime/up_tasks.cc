#include "runtime/up_tasks.h"

namespace fusion {

namespace {

WaitCondition wait_condition(DependencyCondition c) {
  switch (c) {
    case DependencyCondition::kStarted:
      return WaitCondition::kStarted;
    case DependencyCondition::kHealthy:
      return WaitCondition::kHealthy;
    case DependencyCondition::kCompleted:
      return WaitCondition::kCompleted;
  }
  return WaitCondition::kStarted;
}

Duration phase_timeout(const Registry& registry, const Service& service) {
  if (!service.phase.present()) return Duration{0};
  const Phase* phase = registry.find_phase(service.phase.value);
  return phase && phase->timeout ? phase->timeout->value : Duration{0};
}

std::vector<UpTask::Wait> service_waits(const ServiceGraph& graph, NodeId n) {
  std::vector<UpTask::Wait> waits;
  for (NodeId p : graph.dag().predecessors(n)) {
    if (!graph.is_service(p)) {
      waits.push_back({p, WaitCondition::kReady});
      continue;
    }
    for (const Dependency& d : graph.service(n).depends_on) {
      if (d.service.value == graph.service(p).name.value) {
        waits.push_back({p, wait_condition(d.condition)});
        break;
      }
    }
  }
  return waits;
}

}  // namespace

std::vector<bool> one_shot_services(const ServiceGraph& graph) {
  std::vector<bool> one_shot(graph.service_count(), false);
  for (NodeId n = 0; n < graph.service_count(); ++n) {
    for (const Dependency& d : graph.service(n).depends_on) {
      auto dep = graph.node_of(d.service.value);
      if (dep && d.condition == DependencyCondition::kCompleted) one_shot[*dep] = true;
    }
  }
  return one_shot;
}

std::vector<UpTask> make_up_tasks(const Registry& registry, const ServiceGraph& graph,
                                  const std::vector<ServiceRun>& runs) {
  std::vector<bool> one_shot = one_shot_services(graph);
  std::vector<UpTask> tasks(graph.dag().size());
  for (NodeId n = 0; n < tasks.size(); ++n) {
    UpTask& task = tasks[n];
    task.name = graph.node_name(n);
    if (!graph.is_service(n)) {
      task.barrier = true;
      for (NodeId p : graph.dag().predecessors(n)) task.waits.push_back({p, WaitCondition::kReady});
      continue;
    }
    const Service& service = graph.service(n);
    const ServiceRun& run = runs[n];
    task.build = run.build;
    task.start = run.decision.action != ContainerAction::kKeep;
    task.completed = run.decision.kept_completed;
    task.one_shot = one_shot[n];
    task.health = service.health;
    task.timeout = phase_timeout(registry, service);
    task.waits = service_waits(graph, n);
  }
  return tasks;
}

}  // namespace fusion
