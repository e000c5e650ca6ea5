#pragma once
// `fusion generate ci`: a GitHub Actions workflow that validates the registry, fails when the
// generated files are not current, and builds every image whose source is in the registry's
// own repository (services in other repositories build in theirs).

#include <string>
#include <string_view>
#include <vector>

#include "generate/templates.h"
#include "util/result.h"

namespace fusion {

struct CiImage {
  std::string service;
  std::string context;     ///< relative to the repository root
  std::string dockerfile;  ///< relative to the repository root
};

struct CiWorkflowInput {
  std::string stack;
  std::string registry_file;  ///< fusion.yaml relative to the repository root
  std::vector<CiImage> images;
};

/// The workflow's path in the repository.
inline constexpr const char* kCiWorkflowPath = ".github/workflows/fusion.yml";

bool ci_workflow_by_fusion(std::string_view text);

Result<std::string> render_ci_workflow(const CiWorkflowInput& input, const Templates& templates);

}  // namespace fusion
