#include "kube_runtime/kube_status.h"

#include <fmt/format.h>

#include <algorithm>

#include "kube_runtime/cluster_snapshot.h"

namespace fusion {
namespace {

using Json = nlohmann::json;

std::string ready_count(const Json& w) {
  const Json& status = w.value("status", Json::object());
  const Json& spec = w.value("spec", Json::object());
  if (w.value("kind", "") == "Job") {
    return fmt::format("{}/{} succeeded", status.value("succeeded", 0),
                       spec.value("completions", 1));
  }
  return fmt::format("{}/{}", status.value("readyReplicas", 0), spec.value("replicas", 1));
}

}  // namespace

std::vector<KubeStatusRow> kube_status(const std::vector<std::string>& services,
                                       const StackWorkloads& listed,
                                       std::chrono::system_clock::time_point now) {
  std::vector<Json> workloads;  // every kind together: a service has one
  for (const auto& [kind, by_name] : listed.workloads) {
    for (const auto& [name, object] : by_name) workloads.push_back(object);
  }
  const auto& pods = listed.pods;
  static const std::vector<Json> kNoPods;
  std::vector<KubeStatusRow> rows;
  for (const std::string& service : services) {
    KubeStatusRow row{.service = service};
    auto w = std::find_if(workloads.begin(), workloads.end(), [&](const Json& o) {
      const Json& labels = o["metadata"].value("labels", Json::object());
      return labels.value("app.kubernetes.io/name", "") == service;
    });
    if (w == workloads.end()) {
      row.state = "not deployed";
      row.problem = true;
      rows.push_back(row);
      continue;
    }
    row.workload = w->value("kind", "");
    row.ready = ready_count(*w);
    auto p = pods.find(service);
    bool job = row.workload == "Job";
    WorkloadVerdict v = judge_workload(*w, p == pods.end() ? kNoPods : p->second, job, now);
    row.message = v.detail;
    row.state = v.kind == WorkloadVerdict::kFailed   ? "failed"
                : v.kind == WorkloadVerdict::kNotYet ? (job ? "running" : "starting")
                : job                                ? "completed"
                                                     : "ready";
    row.problem = v.kind != WorkloadVerdict::kReady;
    rows.push_back(row);
  }
  return rows;
}

std::string render_kube_status(const std::vector<KubeStatusRow>& rows) {
  size_t name = 7, kind = 8, ready = 5, state = 5;
  for (const KubeStatusRow& r : rows) {
    name = std::max(name, r.service.size());
    kind = std::max(kind, r.workload.size());
    ready = std::max(ready, r.ready.size());
    state = std::max(state, r.state.size());
  }
  std::string out = fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", "SERVICE", name, "WORKLOAD",
                                kind, "READY", ready, "STATE", state, "MESSAGE");
  for (const KubeStatusRow& r : rows) {
    out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", r.service, name, r.workload, kind,
                       r.ready, ready, r.state, state, r.message);
  }
  return out;
}

Json kube_status_to_json(const std::vector<KubeStatusRow>& rows) {
  Json out = Json::array();
  for (const KubeStatusRow& r : rows) {
    out.push_back({{"service", r.service},
                   {"workload", r.workload},
                   {"ready", r.ready},
                   {"state", r.state},
                   {"message", r.message},
                   {"problem", r.problem}});
  }
  return out;
}

}  // namespace fusion
