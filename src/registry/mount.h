#pragma once
// Compose's short volume syntax: [SOURCE:]TARGET[:OPTIONS], OPTIONS a comma-separated list of
// ro, rw, z, Z, nocopy and the propagation modes. A `:` inside `${…}` ("${DATA:-./data}") is
// part of the source, never a separator.

#include <string>
#include <string_view>
#include <vector>

#include "registry/model.h"
#include "util/result.h"

namespace fusion {

/// `text` split at `sep`, except inside `${…}`.
std::vector<std::string> split_outside_braces(std::string_view text, char sep);

/// Whether `option` is a flag compose accepts after a mount ("ro", "z", "rshared", …).
bool is_mount_option(std::string_view option);

/// A source is a named volume unless it is a path: starts with '.', '/', '~' or '$'.
bool is_named_volume(std::string_view source);

Result<VolumeMount> parse_mount(std::string_view text);

/// "name:/path:ro,z": the short syntax of `mount`, as fusion.yaml and compose write it.
std::string format_mount(const VolumeMount& mount);

}  // namespace fusion
