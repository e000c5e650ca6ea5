// kstatus's generic checks (deletion, generation, Reconciling and Stalled), the table of kinds
// with rules of their own, and the rules of the kinds without replicas. The workload rules are
// in readiness_workloads.cc and readiness_pod.cc.
#include "kube/readiness.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <utility>

#include "kube/readiness_rules.h"

namespace fusion {
namespace readiness_rules {

const nlohmann::json& field(const nlohmann::json& object, FieldPath path) {
  static const nlohmann::json kNull;
  const nlohmann::json* at = &object;
  for (std::string_view step : path) {
    if (!at->is_object()) return kNull;
    auto found = at->find(step);
    if (found == at->end()) return kNull;
    at = &*found;
  }
  return *at;
}

std::int64_t int_field(const nlohmann::json& object, FieldPath path, std::int64_t fallback) {
  const nlohmann::json& value = field(object, path);
  return value.is_number_integer() ? value.get<std::int64_t>() : fallback;
}

std::string string_field(const nlohmann::json& object, FieldPath path, std::string fallback) {
  const nlohmann::json& value = field(object, path);
  return value.is_string() ? value.get<std::string>() : std::move(fallback);
}

const Condition* find_condition(const std::vector<Condition>& conditions, std::string_view type,
                                std::string_view status) {
  for (const Condition& condition : conditions) {
    if (condition.type == type && (status.empty() || condition.status == status)) {
      return &condition;
    }
  }
  return nullptr;
}

ReadinessProblem condition_problem(const Condition& condition) {
  return {"condition " + condition.type, condition.reason, condition.message};
}

Readiness current(std::string message) {
  return {ReadinessStatus::kCurrent, "", std::move(message), {}, false};
}

Readiness in_progress(std::string reason, std::string message) {
  return {ReadinessStatus::kInProgress, std::move(reason), std::move(message), {}, false};
}

Readiness failed(std::string reason, std::string message) {
  return {ReadinessStatus::kFailed, std::move(reason), std::move(message), {}, false};
}

Readiness unknown(std::string message) {
  return {ReadinessStatus::kUnknown, "", std::move(message), {}, false};
}

void add_problem(Readiness& readiness, ReadinessProblem problem) {
  // The kubelet ends some messages with a space ("... consumption of memory. ").
  while (!problem.message.empty() &&
         std::isspace(static_cast<unsigned char>(problem.message.back()))) {
    problem.message.pop_back();
  }
  readiness.message += readiness.problems.empty() ? ": " : "; ";
  if (!problem.subject.starts_with("condition ")) readiness.message += problem.subject + ": ";
  readiness.message += problem.reason.empty() ? "(no reason)" : problem.reason;
  if (!problem.message.empty()) readiness.message += ": " + problem.message;
  readiness.problems.push_back(std::move(problem));
}

}  // namespace readiness_rules

namespace {

using namespace readiness_rules;

/// A string member of a condition: absent and null read as "", anything else is malformed.
bool read_condition_string(const nlohmann::json& condition, const char* key, std::string& out) {
  auto found = condition.find(key);
  if (found == condition.end() || found->is_null()) return true;
  if (!found->is_string()) return false;
  out = found->get<std::string>();
  return true;
}

/// `status.conditions` parsed, or the error kstatus's converter would return.
std::optional<std::string> parse_conditions(const nlohmann::json& object,
                                            std::vector<Condition>& out) {
  const nlohmann::json& status = field(object, {"status"});
  if (status.is_null()) return std::nullopt;
  if (!status.is_object()) return "status is not an object";
  const nlohmann::json& conditions = field(status, {"conditions"});
  if (conditions.is_null()) return std::nullopt;
  if (!conditions.is_array()) return "status.conditions is not a list";
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const nlohmann::json& item = conditions[i];
    Condition condition;
    bool ok = item.is_object() && read_condition_string(item, "type", condition.type) &&
              read_condition_string(item, "status", condition.status) &&
              read_condition_string(item, "reason", condition.reason) &&
              read_condition_string(item, "message", condition.message);
    if (!ok) return fmt::format("status.conditions[{}] is not a condition", i);
    out.push_back(std::move(condition));
  }
  return std::nullopt;
}

std::string kind_of(const nlohmann::json& object) { return string_field(object, {"kind"}, ""); }

/// kstatus's checkGeneration: the controller has not yet seen the latest spec.
std::optional<Readiness> check_generation(const nlohmann::json& object) {
  const nlohmann::json& generation = field(object, {"metadata", "generation"});
  if (generation.is_null()) return std::nullopt;
  if (!generation.is_number_integer()) return unknown("metadata.generation is not an integer");
  const nlohmann::json& observed = field(object, {"status", "observedGeneration"});
  if (observed.is_null()) return std::nullopt;
  if (!observed.is_number_integer()) return unknown("status.observedGeneration is not an integer");
  if (observed.get<std::int64_t>() == generation.get<std::int64_t>()) return std::nullopt;
  return in_progress(
      "LatestGenerationNotObserved",
      fmt::format("{} generation is {}, but latest observed generation is {}", kind_of(object),
                  generation.get<std::int64_t>(), observed.get<std::int64_t>()));
}

/// kstatus's checkGenericProperties: deletion, generation, then the first Reconciling=True or
/// Stalled=True condition, which decide for every kind.
std::optional<Readiness> check_generic(const RuleInput& input) {
  const nlohmann::json& deletion = field(input.object, {"metadata", "deletionTimestamp"});
  if (!deletion.is_null() && !deletion.is_string()) {
    return unknown("metadata.deletionTimestamp is not a string");
  }
  if (deletion.is_string() && !deletion.get<std::string>().empty()) {
    return Readiness{ReadinessStatus::kTerminating, "", "Resource scheduled for deletion", {}};
  }
  if (auto generation = check_generation(input.object)) return generation;
  for (const Condition& condition : input.conditions) {
    if (condition.status != "True") continue;
    if (condition.type != "Reconciling" && condition.type != "Stalled") continue;
    Readiness readiness{
        condition.type == "Stalled" ? ReadinessStatus::kFailed : ReadinessStatus::kInProgress,
        condition.reason,
        condition.message,
        {},
        false};
    if (readiness.message.empty()) readiness.message = condition.type + ": " + condition.reason;
    readiness.problems.push_back(condition_problem(condition));
    return readiness;
  }
  return std::nullopt;
}

Readiness always_ready(const RuleInput&) { return current("Resource is always ready"); }

Readiness service_readiness(const RuleInput& input) {
  const nlohmann::json& object = input.object;
  if (string_field(object, {"spec", "type"}, "ClusterIP") != "LoadBalancer") {
    return current("Service is ready");
  }
  if (string_field(object, {"spec", "clusterIP"}, "").empty()) {
    return in_progress("NoIPAssigned", "ClusterIP not set. Service type: LoadBalancer");
  }
  const nlohmann::json& ingress = field(object, {"status", "loadBalancer", "ingress"});
  if (ingress.is_array() && !ingress.empty()) return current("Service is ready");
  // kstatus does not wait for a load balancer (a cluster may have none); say it is missing.
  return current("Service is ready; its load balancer has no ingress address yet");
}

Readiness pvc_readiness(const RuleInput& input) {
  std::string phase = string_field(input.object, {"status", "phase"}, "unknown");
  if (phase == "Bound") return current("PVC is Bound");
  // Why a claim is not bound (no volume matches, waiting for its first consumer) is only in
  // its events, not in the object.
  return in_progress("NotBound", "PVC is not Bound. phase: " + phase);
}

Readiness crd_readiness(const RuleInput& input) {
  for (const Condition& condition : input.conditions) {
    bool names_refused = condition.type == "NamesAccepted" && condition.status == "False";
    bool not_established = condition.type == "Established" && condition.status == "False" &&
                           condition.reason != "Installing";
    if (names_refused || not_established) {
      Readiness readiness = failed(condition.reason, condition.message);
      readiness.problems.push_back(condition_problem(condition));
      return readiness;
    }
    if (condition.type == "Established" && condition.status == "True") {
      return current("CRD is established");
    }
  }
  return in_progress("Installing", "Install in progress");
}

Readiness pdb_readiness(const RuleInput&) {
  return current("AllowedDisruptions has been computed.");
}

/// The generic rule: kstatus calls an object without Reconciling or Stalled current. A Ready
/// condition that is False does not change that, but a person wants to see it.
Readiness generic_readiness(const RuleInput& input) {
  Readiness readiness = current("Resource is current");
  if (const Condition* ready = find_condition(input.conditions, "Ready", "False")) {
    add_problem(readiness, condition_problem(*ready));
  }
  return readiness;
}

using Rule = Readiness (*)(const RuleInput&);

/// kstatus's legacyTypes: "group/Kind", or "Kind" for the core group.
const std::map<std::string, Rule, std::less<>>& rules_by_kind() {
  static const std::map<std::string, Rule, std::less<>> rules = {
      {"Service", service_readiness},
      {"Pod", pod_readiness},
      {"Secret", always_ready},
      {"ConfigMap", always_ready},
      {"PersistentVolumeClaim", pvc_readiness},
      {"apps/StatefulSet", stateful_set_readiness},
      {"apps/DaemonSet", daemon_set_readiness},
      {"extensions/DaemonSet", daemon_set_readiness},
      {"apps/Deployment", deployment_readiness},
      {"extensions/Deployment", deployment_readiness},
      {"apps/ReplicaSet", replica_set_readiness},
      {"extensions/ReplicaSet", replica_set_readiness},
      {"policy/PodDisruptionBudget", pdb_readiness},
      {"batch/CronJob", always_ready},
      {"batch/Job", job_readiness},
      {"apiextensions.k8s.io/CustomResourceDefinition", crd_readiness},
  };
  return rules;
}

std::string rule_key(const nlohmann::json& object) {
  std::string api_version = string_field(object, {"apiVersion"}, "");
  std::size_t slash = api_version.find('/');
  std::string kind = kind_of(object);
  if (slash == std::string::npos) return kind;
  return api_version.substr(0, slash) + "/" + kind;
}

}  // namespace

Readiness compute_readiness(const nlohmann::json& object,
                            std::optional<std::chrono::system_clock::time_point> now) {
  if (!object.is_object()) return unknown("the object is not a JSON object");
  RuleInput input{object, {}, now};
  if (auto error = parse_conditions(object, input.conditions)) return unknown(*error);
  if (auto generic = check_generic(input)) return *std::move(generic);
  const auto& rules = rules_by_kind();
  auto rule = rules.find(rule_key(object));
  return rule == rules.end() ? generic_readiness(input) : rule->second(input);
}

std::string_view to_string(ReadinessStatus status) {
  switch (status) {
    case ReadinessStatus::kCurrent:
      return "Current";
    case ReadinessStatus::kInProgress:
      return "InProgress";
    case ReadinessStatus::kFailed:
      return "Failed";
    case ReadinessStatus::kTerminating:
      return "Terminating";
    case ReadinessStatus::kUnknown:
      return "Unknown";
  }
  return "Unknown";
}

}  // namespace fusion
