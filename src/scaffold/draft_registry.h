#pragma once
// `fusion init`: a first fusion.yaml for a workspace, written as text so it can carry comments:
// each fact's evidence beside it, and a TODO wherever fusion could not decide (a health path,
// the variable a service reads a database URL from). Backing services the projects' client
// libraries point to are suggested with released, pinned images and health checks.

#include <string>
#include <vector>

#include "detect/detection.h"

namespace fusion {

struct DraftRepo {
  std::string name;  ///< the folder under the workspace root
  std::string url;   ///< its origin
};

struct DraftInput {
  std::string stack_name;
  std::vector<Detection> projects;  ///< recognised and not
  std::vector<DraftRepo> repos;
};

struct Draft {
  std::string text;
  size_t services = 0;
  size_t todos = 0;
  std::vector<std::string> without_dockerfile;  ///< services `generate dockerfile` can scaffold
};

Draft draft_registry(const DraftInput& input);

}  // namespace fusion
