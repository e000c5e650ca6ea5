#pragma once
// The base images generated Dockerfiles start from, pinned to exact tags: a build that worked
// once keeps working, and an upgrade is a reviewed change to this table.

#include <string>
#include <string_view>

#include "util/result.h"

namespace fusion {

struct BaseImages {
  std::string builder;  ///< the stage that installs and compiles; empty: single stage
  std::string runtime;  ///< the image the service runs in
  std::string version;  ///< the table's version the images are pinned for
  std::string note;     ///< set when a newer version than the one asked for was chosen
};

/// For a scaffolding type ("python", "go", …) and the runtime version detection found. An exact
/// version must be in the table; a minimum (`at_least`: ">=3.11", go.mod's `go 1.22`) takes
/// fusion's default when that satisfies it, else the oldest pinned version that does. Never an
/// older version than asked for: an error names the versions fusion has instead. An unknown
/// type gives empty images.
Result<BaseImages> base_images(std::string_view type, std::string_view version,
                               bool at_least = false);

/// busybox, pinned: the static-site server, and the source of a `wget` for health checks in
/// images that have none.
inline constexpr std::string_view kBusyboxImage = "busybox:1.36.1-musl";

}  // namespace fusion
