#pragma once
// Detections as a reader sees them: text with the evidence beside each fact, or JSON for tools.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "detect/detection.h"

namespace fusion {

/// One block per project: a headline, then each fact with where it was read (or which
/// convention gave it, or why it is unknown), and which type won over which. `explain` adds
/// every candidate type's score with each piece of evidence that counted.
std::string render_detections(const std::vector<Detection>& detections, bool explain = false);

nlohmann::ordered_json detections_to_json(const std::vector<Detection>& detections);

}  // namespace fusion
