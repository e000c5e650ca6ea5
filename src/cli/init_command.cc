// fusion init [--root DIR] [-o FILE] [--force]: detects every project under the workspace root
// (the repos in it, and the services in a monorepo's subfolders) and writes a draft fusion.yaml
// that validates, with evidence and TODO comments. An existing file is kept unless --force.

#include <fmt/format.h>

#include <regex>

#include "cli/commands.h"
#include "cli/session.h"
#include "detect/detect.h"
#include "scaffold/draft_registry.h"
#include "scaffold/gitignore.h"
#include "util/file.h"
#include "util/strings.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

/// The origin URL in a clone's .git/config, or empty.
std::string origin_url(const fs::path& repo) {
  auto config = read_file(repo / ".git" / "config");
  if (!config) return "";
  static const std::regex origin(R"re(\[remote "origin"\][^\[]*?url\s*=\s*(\S+))re");
  std::smatch m;
  return std::regex_search(*config, m, origin) ? m[1].str() : "";
}

/// The git clones directly under the root, by folder name, sorted.
std::vector<std::string> clones_under(const fs::path& root) {
  std::vector<std::string> clones;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(root, ec)) {
    if (entry.is_directory(ec) && fs::exists(entry.path() / ".git", ec)) {
      clones.push_back(entry.path().filename().string());
    }
  }
  std::sort(clones.begin(), clones.end());
  return clones;
}

/// The clones that have an origin, as `repos:` entries.
std::vector<DraftRepo> repos_of(const fs::path& root, const std::vector<std::string>& clones) {
  std::vector<DraftRepo> repos;
  for (const std::string& clone : clones) {
    std::string url = origin_url(root / clone);
    if (!url.empty()) repos.push_back({clone, url});
  }
  return repos;
}

/// Clones in which nothing was recognised are reported, not silently left out.
void add_unrecognised_clones(const std::vector<std::string>& clones, const SourceSnapshot& snapshot,
                             std::vector<Detection>& projects) {
  for (const std::string& folder : clones) {
    bool covered = std::any_of(projects.begin(), projects.end(), [&](const Detection& d) {
      return d.recognised() && (d.folder == folder || d.folder.starts_with(folder + "/"));
    });
    if (!covered) projects.push_back(detect_folder(snapshot, folder, folder));
  }
}

/// Secrets and personal overrides stay out of git: .gitignore gets what it lacks, appended.
int ignore_fusion_files(const fs::path& root, Streams& io) {
  fs::path path = root / ".gitignore";
  std::string existing;
  if (fs::exists(path)) {
    auto text = read_file(path);
    if (!text) return report_error(io, text.error());
    existing = std::move(text).value();
  }
  std::vector<std::string> added;
  std::string updated = with_ignore_entries(existing, fusion_ignore_entries(), added);
  if (added.empty()) return kExitOk;
  Status written = write_file_atomically(path, updated);
  if (!written) return report_error(io, written.error());
  io.out << fmt::format("{} {}: {}\n", existing.empty() ? "create" : "update", display_path(path),
                        join(added, ", "));
  return kExitOk;
}

class InitCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("--root", root_, "The workspace root to scan (default: the current folder)");
    app.add_option("-o,--output", output_, "The registry to write (default: ROOT/fusion.yaml)");
    app.add_flag("--force", force_, "Replace an existing registry");
  }

  int run(const GlobalOptions&, Streams& io) override {
    fs::path root = fs::absolute(root_).lexically_normal();
    if (root.filename().empty()) root = root.parent_path();
    fs::path output = output_.empty() ? root / "fusion.yaml" : fs::absolute(output_);
    if (fs::exists(output) && !force_) {
      return report_error(io, display_path(output) + " exists; replace it with --force");
    }
    auto snapshot = load_snapshot(root);
    if (!snapshot) return report_error(io, snapshot.error());
    DraftInput input{
        root.filename().string(), detect_projects(*snapshot, root.filename().string()), {}};
    std::vector<std::string> clones = clones_under(root);
    input.repos = repos_of(root, clones);
    add_unrecognised_clones(clones, *snapshot, input.projects);
    Draft draft = draft_registry(input);
    if (!check_before_writing(draft.text, output, io, "the draft does not validate")) {
      return kExitFailure;  // a bug in the draft: shown, and nothing written
    }
    Status written = write_file_atomically(output, draft.text);
    if (!written) return report_error(io, written.error());
    io.out << fmt::format("wrote {}: {} services, {} TODO{} to review\n", display_path(output),
                          draft.services, draft.todos, draft.todos == 1 ? "" : "s");
    if (int code = ignore_fusion_files(output.parent_path(), io); code != kExitOk) return code;
    if (!draft.without_dockerfile.empty()) {
      io.out << fmt::format("next: fusion generate dockerfile   # for {}\n",
                            join(draft.without_dockerfile, ", "));
    }
    io.out << "then: fusion validate && fusion up\n";
    return kExitOk;
  }

 private:
  std::string root_ = ".", output_;
  bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> make_init_command() { return std::make_unique<InitCommand>(); }

}  // namespace fusion
