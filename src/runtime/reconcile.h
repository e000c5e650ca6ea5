#pragma once
// What `up` does with each service, decided from what the engine reports before anything runs,
// and the reason `--explain` prints. A service is left alone when its container carries the
// config hash fusion would give it now (the hash covers the image tag, which for local source
// is the context digest) and is running, or, for a one-shot, exited 0.

#include <string>

#include "runtime/container_runtime.h"

namespace fusion {

/// kRestart: stop and start the same container (fusion restart).
enum class ContainerAction { kCreate, kRecreate, kKeep, kRestart };
const char* container_action_name(ContainerAction a);

struct ServiceDecision {
  ContainerAction action = ContainerAction::kCreate;
  bool kept_completed = false;  ///< kKeep of a one-shot that exited 0
  std::string reason;
};

/// `existing`: the service's container, if there is one; `one_shot`: others wait for it to
/// complete.
ServiceDecision decide_container(const ContainerSpec& desired, const ContainerInfo* existing,
                                 bool one_shot);

}  // namespace fusion
