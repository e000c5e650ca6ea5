#pragma once
// The base images generated Dockerfiles start from, pinned to exact tags: a build that worked
// once keeps working, and an upgrade is a reviewed change to this table.

#include <string>
#include <string_view>

namespace fusion {

struct BaseImages {
  std::string builder;  ///< the stage that installs and compiles; empty: single stage
  std::string runtime;  ///< the image the service runs in
  std::string note;     ///< set when the wanted version has no entry and another was used
};

/// For a scaffolding type ("python", "go", …) and the runtime version detection found.
BaseImages base_images(std::string_view type, std::string_view version);

/// busybox, pinned: the static-site server, and the source of a `wget` for health checks in
/// images that have none.
inline constexpr std::string_view kBusyboxImage = "busybox:1.36.1-musl";

}  // namespace fusion
