#include "generate/output_plan.h"

#include <fmt/format.h>

#include "util/strings.h"

namespace fusion {

Status check_output_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\\') != std::string_view::npos) {
    return Error{fmt::format("'{}' is not a relative path inside the output folder", path)};
  }
  for (std::string_view part : split(path, '/')) {
    if (part.empty() || part == "." || part == "..") {
      return Error{fmt::format("'{}' is not a relative path inside the output folder", path)};
    }
  }
  return ok_status();
}

OutputPlan plan_output(const FileSet& wanted, const std::set<std::string>& previous,
                       const ReadExisting& read) {
  OutputPlan plan;
  for (const auto& [path, content] : wanted) {
    if (Status safe = check_output_path(path); !safe) {
      plan.refusals.push_back(safe.error());
      continue;
    }
    plan.manifest.insert(path);
    std::optional<std::string> existing = read(path);
    if (!existing) {
      plan.changes.push_back({ChangeKind::kCreate, path, "", content});
    } else if (*existing == content) {
      continue;
    } else if (previous.contains(path) || is_generated_by_fusion(*existing)) {
      plan.changes.push_back({ChangeKind::kUpdate, path, std::move(*existing), content});
    } else {
      plan.refusals.push_back(fmt::format(
          "{} exists and fusion did not generate it; move it away or choose another output "
          "folder",
          path));
    }
  }
  for (const std::string& path : previous) {
    if (wanted.contains(path) || !check_output_path(path)) continue;
    std::optional<std::string> existing = read(path);
    if (!existing) continue;
    if (is_generated_by_fusion(*existing)) {
      plan.changes.push_back({ChangeKind::kRemove, path, std::move(*existing), ""});
    } else {
      plan.notes.push_back(fmt::format(
          "left {} in place: fusion no longer generates it, and its header is gone, so it was "
          "edited by hand",
          path));
    }
  }
  std::sort(plan.changes.begin(), plan.changes.end(),
            [](const FileChange& a, const FileChange& b) { return a.path < b.path; });
  return plan;
}

std::set<std::string> parse_manifest(std::string_view text) {
  std::set<std::string> paths;
  for (std::string_view line : split(text, '\n')) {
    if (!line.empty() && line.front() != '#') paths.emplace(line);
  }
  return paths;
}

std::string render_manifest(const std::set<std::string>& paths) {
  std::string out = "# Files fusion generated here; it removes them when it no longer does.\n";
  for (const std::string& path : paths) out += path + "\n";
  return out;
}

}  // namespace fusion
