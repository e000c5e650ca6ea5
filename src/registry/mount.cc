#include "registry/mount.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "util/strings.h"

namespace fusion {

std::vector<std::string> split_outside_braces(std::string_view text, char sep) {
  std::vector<std::string> out(1);
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      ++depth;
      out.back() += "${";
      ++i;
      continue;
    }
    if (c == '}' && depth > 0) --depth;
    if (c == sep && depth == 0) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

bool is_mount_option(std::string_view option) {
  static constexpr std::array<std::string_view, 12> kOptions = {
      "ro",    "rw",      "z",       "Z",      "nocopy",   "shared",
      "slave", "private", "rshared", "rslave", "rprivate", "delegated"};
  return std::find(kOptions.begin(), kOptions.end(), option) != kOptions.end() ||
         option == "cached" || option == "consistent";
}

bool is_named_volume(std::string_view source) {
  return !source.empty() && source[0] != '.' && source[0] != '/' && source[0] != '~' &&
         source[0] != '$';
}

Result<VolumeMount> parse_mount(std::string_view text) {
  std::vector<std::string> parts = split_outside_braces(text, ':');
  auto bad = [&](std::string_view why) {
    return Error{fmt::format("invalid volume '{}': {}", text, why)};
  };
  VolumeMount mount;
  if (parts.size() > 3) return bad("expected [SOURCE:]/container/path[:OPTIONS]");
  std::string options;
  if (parts.size() == 1) {
    mount.target = parts[0];
  } else if (parts.size() == 2 && !parts[1].starts_with('/')) {
    mount.target = parts[0];  // "/data:ro": an anonymous volume with options
    options = parts[1];
  } else {
    mount.source = parts[0];
    mount.target = parts[1];
    if (parts.size() == 3) options = parts[2];
  }
  if (mount.target.empty() || mount.target[0] != '/') {
    return bad("the container path must be absolute");
  }
  if (parts.size() > 1 && mount.source.empty() && !mount.target.empty() && options.empty()) {
    return bad("the source is empty");
  }
  for (std::string_view option : split(options, ',')) {
    if (option.empty()) continue;
    if (!is_mount_option(option)) {
      return bad(
          fmt::format("unknown option '{}' (ro, rw, z, Z, nocopy, or a propagation mode "
                      "such as rshared)",
                      option));
    }
    if (option == "ro") {
      mount.read_only = true;
    } else if (option != "rw") {
      mount.options.emplace_back(option);
    }
  }
  mount.named = is_named_volume(mount.source);
  return mount;
}

std::string format_mount(const VolumeMount& mount) {
  std::string out = mount.source.empty() ? mount.target : mount.source + ":" + mount.target;
  std::vector<std::string> flags = mount.options;
  if (mount.read_only) flags.insert(flags.begin(), "ro");
  if (!flags.empty()) out += ":" + join(flags, ",");
  return out;
}

}  // namespace fusion
