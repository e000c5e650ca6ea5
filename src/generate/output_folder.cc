#include "generate/output_folder.h"

#include <fmt/format.h>

#include "util/file.h"

namespace fusion {

namespace fs = std::filesystem;

std::set<std::string> OutputFolder::manifest() const {
  auto text = read_file(root_ / kManifestName);
  return text ? parse_manifest(*text) : std::set<std::string>{};
}

std::optional<std::string> OutputFolder::read(const std::string& path) const {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(root_ / path, ec))) return std::nullopt;
  auto text = read_file(root_ / path);
  if (!text) return std::nullopt;
  return std::move(text).value();
}

Status OutputFolder::check_no_symlink(const std::string& path) const {
  fs::path at = root_;
  for (const fs::path& part : fs::path(path)) {
    at /= part;
    std::error_code ec;
    fs::file_status st = fs::symlink_status(at, ec);
    if (fs::is_symlink(st)) {
      return Error{
          fmt::format("{} is a symbolic link; fusion writes only real files and folders "
                      "inside the output folder",
                      at.string())};
    }
    if (!fs::exists(st)) break;
  }
  return ok_status();
}

OutputPlan OutputFolder::plan(const FileSet& wanted,
                              const std::function<bool(const std::string&)>& owned) const {
  std::set<std::string> previous = manifest(), others;
  if (owned) {
    std::erase_if(previous, [&](const std::string& path) {
      return !owned(path) && others.insert(path).second;
    });
  }
  OutputPlan plan =
      plan_output(wanted, previous, [this](const std::string& path) { return read(path); });
  plan.manifest.insert(others.begin(), others.end());
  for (const auto& [path, content] : wanted) {
    if (check_output_path(path)) {
      if (Status ok = check_no_symlink(path); !ok) plan.refusals.push_back(ok.error());
    }
  }
  return plan;
}

Status OutputFolder::apply(const OutputPlan& plan) const {
  std::error_code ec;
  for (const FileChange& change : plan.changes) {
    fs::path path = root_ / change.path;
    if (change.kind == ChangeKind::kRemove) {
      if (!fs::remove(path, ec) && ec) {
        return Error{fmt::format("{}: cannot remove: {}", path.string(), ec.message())};
      }
      continue;
    }
    fs::create_directories(path.parent_path(), ec);
    if (ec) return Error{fmt::format("{}: {}", path.parent_path().string(), ec.message())};
    if (Status written = write_file_atomically(path, change.after); !written) return written;
  }
  fs::create_directories(root_, ec);
  return write_file_atomically(root_ / kManifestName, render_manifest(plan.manifest));
}

}  // namespace fusion
