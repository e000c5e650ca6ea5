#pragma once
// The per-kind rules behind compute_readiness (readiness.h) and what they share: kstatus's
// lenient field readers, the parsed `status.conditions`, and the result constructors.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/readiness.h"

namespace fusion::readiness_rules {

struct Condition {
  std::string type;
  std::string status;  ///< "True", "False", "Unknown"
  std::string reason;
  std::string message;
};

/// What every rule reads: the object, its conditions already checked and parsed, and the time.
struct RuleInput {
  const nlohmann::json& object;
  std::vector<Condition> conditions;
  std::optional<std::chrono::system_clock::time_point> now;
};

using FieldPath = std::initializer_list<std::string_view>;

/// The value at `path`, or null when a step is missing or not an object.
const nlohmann::json& field(const nlohmann::json& object, FieldPath path);
/// kstatus's GetIntField: the integer at `path`, or `fallback` when missing or not an integer.
std::int64_t int_field(const nlohmann::json& object, FieldPath path, std::int64_t fallback);
/// kstatus's GetStringField: the string at `path`, or `fallback` when missing or not a string.
std::string string_field(const nlohmann::json& object, FieldPath path, std::string fallback);

/// The first condition of `type` (and of `status`, when given), or nullptr.
const Condition* find_condition(const std::vector<Condition>& conditions, std::string_view type,
                                std::string_view status = {});
/// The condition as a problem: subject "condition Type", its reason and message.
ReadinessProblem condition_problem(const Condition& condition);

Readiness current(std::string message);
Readiness in_progress(std::string reason, std::string message);
Readiness failed(std::string reason, std::string message);
Readiness unknown(std::string message);
/// Appends `problem` to `readiness` and to its message, after ": " for the first and "; " for
/// the next: "Pod is in the Pending phase: container api: ImagePullBackOff: Back-off pulling
/// image "api:1.4"". A condition's subject is left out of the message ("Job Failed. failed: 3/1:
/// BackoffLimitExceeded: Job has reached the specified backoff limit").
void add_problem(Readiness& readiness, ReadinessProblem problem);

Readiness deployment_readiness(const RuleInput& input);
Readiness replica_set_readiness(const RuleInput& input);
Readiness stateful_set_readiness(const RuleInput& input);
Readiness daemon_set_readiness(const RuleInput& input);
Readiness job_readiness(const RuleInput& input);
Readiness pod_readiness(const RuleInput& input);

}  // namespace fusion::readiness_rules
