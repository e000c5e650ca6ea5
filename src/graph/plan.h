#pragma once
// The start plan: in which order `up` starts a selection, as waves (a wave starts once every
// service it waits for is ready), with the critical path and why each service takes part.
//
// Estimates (used for the critical path, not for running): a service is ready
// kStartCost after its start when it has no health check, and kStartCost + start_period +
// interval when it has one (the first probe that can pass). Phases and `completed`
// dependencies count like any other wait.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "graph/selection.h"
#include "registry/model.h"

namespace fusion {

inline constexpr Duration kStartCost{1'000};

Duration estimate_ready(const Service& service);

struct PlannedService {
  const Service* service = nullptr;
  size_t wave = 0;                     ///< 1-based
  Duration ready_at{0};                ///< estimated, from the start of `up`
  std::vector<std::string> waits_for;  ///< "postgres (healthy)", "phase 'infra'"
  std::string reason;                  ///< why it is in the selection
  bool critical = false;               ///< on the critical path
};

struct StartPlan {
  std::vector<PlannedService> services;  ///< in start order
  size_t waves = 0;
  std::vector<std::string> critical_path;  ///< services and the phase barriers between them
  Duration critical_length{0};
};

/// Requires a registry without dependency cycles (validate first).
StartPlan make_plan(const Registry& registry, const Selection& selection);

std::string render_plan(const StartPlan& plan, bool explain);
nlohmann::json plan_to_json(const StartPlan& plan);

}  // namespace fusion
