#include "workspace/layout.h"

#include <fmt/format.h>

#include "util/strings.h"

namespace fusion {

Result<WorkspaceLayout> parse_layout(std::string_view text) {
  if (text == "flat") return WorkspaceLayout::kFlat;
  if (text == "gopath") return WorkspaceLayout::kGopath;
  return Error{fmt::format("unknown workspace layout '{}'; use flat or gopath", text)};
}

namespace {

std::string strip_git_suffix(std::string_view path) {
  while (path.ends_with('/')) path.remove_suffix(1);
  if (path.ends_with(".git")) path.remove_suffix(4);
  while (path.starts_with('/')) path.remove_prefix(1);
  return std::string(path);
}

}  // namespace

Result<RemoteLocation> parse_remote(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    std::string_view rest = url.substr(scheme + 3);
    if (url.starts_with("file://")) return RemoteLocation{"local", strip_git_suffix(rest)};
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos)
      return Error{fmt::format("no repository path in URL '{}'", url)};
    std::string_view host = rest.substr(0, slash);
    if (size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    if (size_t colon = host.find(':'); colon != std::string_view::npos)
      host = host.substr(0, colon);
    return RemoteLocation{std::string(host), strip_git_suffix(rest.substr(slash + 1))};
  }
  size_t colon = url.find(':');
  size_t slash = url.find('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
    std::string_view host = url.substr(0, colon);  // scp-like: [user@]host:path
    if (size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
    return RemoteLocation{std::string(host), strip_git_suffix(url.substr(colon + 1))};
  }
  if (url.empty()) return Error{"empty repository URL"};
  return RemoteLocation{"local", strip_git_suffix(url)};
}

Result<std::filesystem::path> repo_path(const std::filesystem::path& root, WorkspaceLayout layout,
                                        std::string_view name, std::string_view url) {
  std::filesystem::path relative = std::string(name);
  if (layout == WorkspaceLayout::kGopath) {
    auto remote = parse_remote(url);
    if (!remote) return Error{remote.error()};
    relative = std::filesystem::path("src") / remote->host / remote->path;
  }
  // Never outside the root, whatever the URL says ("..", absolute parts).
  for (const auto& part : relative) {
    if (part == ".." || part == "." || part.empty() || part.has_root_directory()) {
      return Error{fmt::format("repo '{}' would be placed outside the workspace ({})", name,
                               relative.string())};
    }
  }
  return root / relative;
}

}  // namespace fusion
