#pragma once
// `fusion status --target kubernetes`: each service of the registry with its workload on the
// cluster, how many of its pods are ready, and its readiness as kstatus judges it (with what
// the pods say is wrong). Pure: the lists come in, the table goes out.

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kube_runtime/cluster_snapshot.h"

namespace fusion {

struct KubeStatusRow {
  std::string service;
  std::string workload = "-";  ///< "Deployment", "StatefulSet", "Job", or "-" when not deployed
  std::string ready = "-";     ///< "1/1"; a Job: "1/1 succeeded"
  std::string state{};         ///< "ready", "completed", "starting", "failed", "not deployed"
  std::string message{};       ///< kstatus's, and the pods' problems
  bool problem = false;        ///< not deployed, failed, or not (yet) ready
};

/// One row per service, in the order given, from the stack's workloads and pods.
std::vector<KubeStatusRow> kube_status(const std::vector<std::string>& services,
                                       const StackWorkloads& listed,
                                       std::chrono::system_clock::time_point now);

std::string render_kube_status(const std::vector<KubeStatusRow>& rows);
nlohmann::json kube_status_to_json(const std::vector<KubeStatusRow>& rows);

}  // namespace fusion
