// kstatus's rule for a Pod, with what the kubelet says of its containers: kstatus calls an
// image that cannot be pulled "Pending", fusion also says which container and why.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cstdio>
#include <ctime>

#include "kube/readiness_rules.h"

namespace fusion::readiness_rules {
namespace {

/// How long a Pod may stay unschedulable before kstatus reports it Failed.
constexpr std::chrono::seconds kScheduleWindow{15};

/// Waiting reasons that do not pass by themselves: a person has to fix an image, a config or
/// the program.
bool is_failure_reason(std::string_view reason) {
  static constexpr std::array<std::string_view, 10> kReasons = {
      "CrashLoopBackOff",     "ImagePullBackOff",  "ErrImagePull",
      "ErrImageNeverPull",    "InvalidImageName",  "CreateContainerConfigError",
      "CreateContainerError", "RunContainerError", "PreStartHookError",
      "PostStartHookError"};
  for (std::string_view known : kReasons) {
    if (reason == known) return true;
  }
  return false;
}

/// "(last exit code 1: Error)" of a container's lastState, or "".
std::string last_exit(const nlohmann::json& status) {
  const nlohmann::json& terminated = field(status, {"lastState", "terminated"});
  if (!terminated.is_object()) return "";
  return fmt::format("(last exit code {}: {})", int_field(terminated, {"exitCode"}, 0),
                     string_field(terminated, {"reason"}, "no reason"));
}

/// The problem of one container status: waiting for a failure reason, or (for a Pod that has
/// finished) terminated with a non-zero exit code.
std::optional<ReadinessProblem> container_problem(const nlohmann::json& status,
                                                  const std::string& subject) {
  const nlohmann::json& waiting = field(status, {"state", "waiting"});
  std::string reason = string_field(waiting, {"reason"}, "");
  if (is_failure_reason(reason)) {
    std::string message = string_field(waiting, {"message"}, "");
    std::string exit = last_exit(status);
    if (!exit.empty()) message += message.empty() ? exit : " " + exit;
    return ReadinessProblem{subject, reason, message};
  }
  const nlohmann::json& terminated = field(status, {"state", "terminated"});
  std::int64_t exit_code = int_field(terminated, {"exitCode"}, 0);
  if (exit_code == 0) return std::nullopt;
  std::string message = fmt::format("exit code {}", exit_code);
  std::string detail = string_field(terminated, {"message"}, "");
  if (!detail.empty()) message += ": " + detail;
  return ReadinessProblem{subject, string_field(terminated, {"reason"}, "Error"), message};
}

void add_container_problems(Readiness& readiness, const nlohmann::json& object) {
  struct Group {
    const char* key;
    const char* subject;
  };
  for (Group group : {Group{"initContainerStatuses", "init container "},
                      Group{"containerStatuses", "container "}}) {
    const nlohmann::json& statuses = field(object, {"status", group.key});
    if (!statuses.is_array()) continue;
    for (const nlohmann::json& status : statuses) {
      std::string subject = group.subject + string_field(status, {"name"}, "?");
      if (auto problem = container_problem(status, subject)) {
        add_problem(readiness, *std::move(problem));
      }
    }
  }
}

/// kstatus's crash-looping containers: waiting with reason CrashLoopBackOff.
std::vector<std::string> crash_looping_containers(const nlohmann::json& object) {
  std::vector<std::string> names;
  const nlohmann::json& statuses = field(object, {"status", "containerStatuses"});
  if (!statuses.is_array()) return names;
  for (const nlohmann::json& status : statuses) {
    if (string_field(status, {"state", "waiting", "reason"}, "") == "CrashLoopBackOff") {
      names.push_back(string_field(status, {"name"}, ""));
    }
  }
  return names;
}

/// metadata.creationTimestamp ("2024-05-14T09:12:31Z"), or nullopt when it is not one.
std::optional<std::chrono::system_clock::time_point> creation_time(const nlohmann::json& object) {
  std::string text = string_field(object, {"metadata", "creationTimestamp"}, "");
  std::tm tm{};
  char zone = 0;
  int fields = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
                           &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &zone);
  if (fields != 7 || zone != 'Z') return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Readiness pending_pod(const RuleInput& input) {
  const Condition* scheduled = find_condition(input.conditions, "PodScheduled", "False");
  if (scheduled == nullptr || scheduled->reason != "Unschedulable") {
    return in_progress("PodPending", "Pod is in the Pending phase");
  }
  auto created = creation_time(input.object);
  bool in_window = input.now && created && *input.now - kScheduleWindow < *created;
  Readiness readiness = in_window ? in_progress("PodNotScheduled", "Pod has not been scheduled")
                                  : failed("PodUnschedulable", "Pod could not be scheduled");
  add_problem(readiness, condition_problem(*scheduled));
  return readiness;
}

Readiness running_pod(const RuleInput& input) {
  if (find_condition(input.conditions, "Ready", "True")) return current("Pod is Ready");
  std::vector<std::string> crash_looping = crash_looping_containers(input.object);
  if (!crash_looping.empty()) {
    return failed("ContainerCrashLooping",
                  fmt::format("Containers in CrashLoop state: {}", fmt::join(crash_looping, ",")));
  }
  return in_progress("PodRunningNotReady", "Pod is running but is not Ready");
}

}  // namespace

Readiness pod_readiness(const RuleInput& input) {
  std::string phase = string_field(input.object, {"status", "phase"}, "");
  if (phase == "Succeeded") {
    Readiness readiness = current("Pod has completed successfully");
    readiness.completed = true;
    return readiness;
  }
  Readiness readiness;
  if (phase == "Failed") {
    readiness = current("Pod has completed, but not successfully");
    std::string reason = string_field(input.object, {"status", "reason"}, "");
    if (!reason.empty()) {
      add_problem(readiness,
                  {"pod", reason, string_field(input.object, {"status", "message"}, "")});
    }
  } else if (phase == "Running") {
    readiness = running_pod(input);
    if (readiness.status == ReadinessStatus::kCurrent) return readiness;
  } else if (phase == "Pending") {
    readiness = pending_pod(input);
  } else if (phase.empty()) {
    return in_progress("PodNotObserved", "Pod phase not available");
  } else {
    return unknown("unknown phase " + phase);
  }
  add_container_problems(readiness, input.object);
  return readiness;
}

}  // namespace fusion::readiness_rules
