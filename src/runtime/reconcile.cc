#include "runtime/reconcile.h"

#include <fmt/format.h>

namespace fusion {

const char* container_action_name(ContainerAction a) {
  switch (a) {
    case ContainerAction::kCreate:
      return "create";
    case ContainerAction::kRecreate:
      return "recreate";
    case ContainerAction::kKeep:
      return "keep";
    case ContainerAction::kRestart:
      return "restart";
  }
  return "?";
}

namespace {

std::string label(const std::map<std::string, std::string>& labels, const char* key) {
  auto it = labels.find(key);
  return it == labels.end() ? "" : it->second;
}

}  // namespace

ServiceDecision decide_container(const ContainerSpec& desired, const ContainerInfo* existing,
                                 bool one_shot) {
  if (!existing) return {ContainerAction::kCreate, false, "no container yet"};
  std::string had = label(existing->labels, kConfigHashLabel);
  std::string wants = label(desired.labels, kConfigHashLabel);
  if (had != wants) {
    std::string why =
        existing->image != desired.image
            ? fmt::format("image changed: {} -> {}", existing->image, desired.image)
            : fmt::format("config changed: {} -> {}", had.substr(0, 12), wants.substr(0, 12));
    return {ContainerAction::kRecreate, false, why};
  }
  if (existing->state == ContainerState::kRunning) {
    return {ContainerAction::kKeep, false, "unchanged and running"};
  }
  if (one_shot && existing->state == ContainerState::kExited && existing->exit_code == 0) {
    return {ContainerAction::kKeep, true, "unchanged; completed before"};
  }
  std::string state = existing->state == ContainerState::kExited
                          ? fmt::format("exited with code {}", existing->exit_code)
                          : existing->status;
  return {ContainerAction::kRecreate, false, "unchanged but not running (" + state + ")"};
}

}  // namespace fusion
