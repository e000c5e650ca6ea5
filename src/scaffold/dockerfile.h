#pragma once
// A Dockerfile and .dockerignore for a detected project: per type, multi-stage where a build
// produces something smaller than its toolchain, pinned base images, a non-root user, and a
// HEALTHCHECK that runs the registry's health check. Both files carry a marker on their first
// line; fusion rewrites only files that still have it, so a hand-written or taken-over file is
// never touched.

#include <string>
#include <string_view>
#include <vector>

#include "detect/detection.h"
#include "generate/templates.h"
#include "registry/model.h"
#include "util/result.h"

namespace fusion {

/// True when `text` starts with the marker of a file fusion scaffolded.
bool scaffolded_by_fusion(std::string_view text);

struct DockerfileScaffold {
  std::string dockerfile;
  std::string dockerignore;
  std::vector<std::string> notes;  ///< choices the user should know about
};

/// Fails for a type fusion has no template for (the error says which types it has).
Result<DockerfileScaffold> scaffold_dockerfile(const Detection& detection, const Service& service,
                                               const Templates& templates);

/// The HEALTHCHECK instruction for the registry's check (a comment when there is none).
std::string healthcheck_instruction(const Service& service, uint16_t port);

}  // namespace fusion
