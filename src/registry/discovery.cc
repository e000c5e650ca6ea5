#include "registry/discovery.h"

#include <fmt/format.h>

#include "util/strings.h"

namespace fusion {

Result<std::filesystem::path> find_registry(const std::filesystem::path& start,
                                            const std::filesystem::path& ceiling) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(start, ec).lexically_normal();
  std::filesystem::path top = ceiling.empty()
                                  ? std::filesystem::path()
                                  : std::filesystem::absolute(ceiling, ec).lexically_normal();
  std::vector<std::string> looked;
  while (true) {
    std::filesystem::path candidate = dir / kRegistryFileName;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    looked.push_back(dir.string());
    if (dir == top || !dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  std::string where = looked.size() <= 4 ? join(looked, ", ")
                                         : fmt::format("{} and its {} parent folders",
                                                       looked.front(), looked.size() - 1);
  return Error{fmt::format("no {} found in {}; create one with 'fusion init' or name one with -f",
                           kRegistryFileName, where)};
}

std::optional<std::filesystem::path> find_overlay(const std::filesystem::path& registry) {
  std::filesystem::path overlay = registry.parent_path() / kOverlayFileName;
  std::error_code ec;
  if (std::filesystem::is_regular_file(overlay, ec)) return overlay;
  return std::nullopt;
}

}  // namespace fusion
