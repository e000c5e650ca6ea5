// fusion workspace sync|status|exec: every repository of the stack, in parallel, safely.
// Exit codes of sync: 0 everything synced, 1 a repo failed, 3 some repos were left alone
// (dirty, diverged, detached, another branch) and are listed with what to do.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/line_printer.h"
#include "cli/session.h"
#include "util/parallel.h"
#include "util/subprocess.h"
#include "util/terminal.h"
#include "workspace/exec.h"
#include "workspace/git_cli.h"
#include "workspace/status.h"
#include "workspace/sync.h"

namespace fusion {
namespace {

constexpr int kExitLeftAlone = 3;

/// Sync progress: finished repos as lines, the ones still running on the status line.
class SyncPrinter : public SyncObserver {
 public:
  SyncPrinter(LinePrinter& printer, size_t total, size_t width)
      : printer_(printer), total_(total), width_(width) {}

  void started(const RepoTarget& repo) override {
    std::lock_guard lock(mutex_);
    running_.push_back(repo.name);
    show_status();
  }

  void finished(const RepoTarget& repo, const SyncOutcome& outcome) override {
    std::string text = fmt::format("{:<{}}  {}", repo.name, width_, outcome.message);
    if (!outcome.hint.empty()) text += fmt::format("  (left alone; {})", outcome.hint);
    if (outcome.result == SyncResult::kLeftAlone && outcome.hint.empty()) text += "  (left alone)";
    printer_.line(text);
    std::lock_guard lock(mutex_);
    std::erase(running_, repo.name);
    ++done_;
    show_status();
  }

 private:
  void show_status() {
    printer_.status(fmt::format("[{}/{}] syncing {}", done_, total_, fmt::join(running_, ", ")));
  }

  std::mutex mutex_;
  LinePrinter& printer_;
  size_t total_, width_, done_ = 0;
  std::vector<std::string> running_;
};

struct Loaded {
  CheckedRegistry registry;
  Workspace workspace;
  std::vector<RepoTarget> repos;
};

std::optional<Loaded> load_workspace(const GlobalOptions& global, Streams& io,
                                     const std::vector<std::string>& names,
                                     std::optional<WorkspaceLayout> layout = std::nullopt) {
  auto checked = load_valid_registry(global, io);
  if (!checked) return std::nullopt;
  auto ws = make_workspace(checked->registry, checked->path.parent_path(), layout);
  if (!ws) {
    io.err << "fusion: error: " << ws.error() << "\n";
    return std::nullopt;
  }
  auto repos = select_repos(*ws, names);
  if (!repos) {
    io.err << "fusion: error: " << repos.error() << "\n";
    return std::nullopt;
  }
  return Loaded{std::move(*checked), std::move(*ws), std::move(*repos)};
}

size_t name_width(const std::vector<RepoTarget>& repos) {
  size_t width = 0;
  for (const RepoTarget& r : repos) width = std::max(width, r.name.size());
  return width;
}

std::string summary(const std::vector<SyncOutcome>& outcomes) {
  std::map<SyncResult, size_t> counts;
  for (const SyncOutcome& o : outcomes) ++counts[o.result];
  std::vector<std::string> parts;
  for (auto r : {SyncResult::kCloned, SyncResult::kUpdated, SyncResult::kUpToDate,
                 SyncResult::kLeftAlone, SyncResult::kFailed}) {
    if (counts[r]) parts.push_back(fmt::format("{} {}", counts[r], sync_result_name(r)));
  }
  return fmt::format("{} repos: {}", outcomes.size(), fmt::join(parts, ", "));
}

class WorkspaceCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.require_subcommand(1);
    sync_ = app.add_subcommand("sync", "Clone missing repos, fetch all, fast-forward clean ones");
    sync_->add_option("repos", names_, "Only these repos");
    sync_->add_option("-j,--jobs", jobs_, "Repos at once")->check(CLI::PositiveNumber);
    sync_->add_option("--layout", layout_, "flat or gopath (overrides workspace.layout)")
        ->check(CLI::IsMember({"flat", "gopath"}));
    status_ = app.add_subcommand("status", "Branch, ahead/behind, changes and services per repo");
    status_->add_option("repos", names_, "Only these repos");
    status_->add_flag("--json", json_, "Print JSON");
    exec_ =
        app.add_subcommand("exec", "Run a command in every repo: fusion workspace exec -- CMD…");
    exec_->add_option("-j,--jobs", jobs_, "Repos at once")->check(CLI::PositiveNumber);
    exec_->add_option("-r,--repo", names_, "Only this repo (repeatable)");
    exec_->add_option("command", command_, "The command and its arguments")->required();
  }

  int run(const GlobalOptions& global, Streams& io) override {
    std::optional<WorkspaceLayout> layout;
    if (!layout_.empty()) layout = *parse_layout(layout_);
    auto loaded = load_workspace(global, io, names_, layout);
    if (!loaded) return kExitFailure;
    if (sync_->parsed()) return sync(*loaded, io);
    if (status_->parsed()) return status(*loaded, io);
    return exec(*loaded, io);
  }

 private:
  int sync(const Loaded& w, Streams& io) {
    SystemProcessRunner runner;
    GitCli git(runner);
    LinePrinter printer(io.out, io.smart_terminal);
    SyncPrinter observer(printer, w.repos.size(), name_width(w.repos));
    std::vector<SyncOutcome> outcomes = sync_all(git, w.repos, jobs_, observer);
    printer.finish();
    io.out << summary(outcomes) << "\n";
    auto has = [&](SyncResult r) {
      return std::any_of(outcomes.begin(), outcomes.end(),
                         [&](const SyncOutcome& o) { return o.result == r; });
    };
    if (has(SyncResult::kFailed)) return kExitFailure;
    return has(SyncResult::kLeftAlone) ? kExitLeftAlone : kExitOk;
  }

  int status(const Loaded& w, Streams& io) {
    SystemProcessRunner runner;
    GitCli git(runner);
    std::vector<RepoStatus> statuses = collect_status(git, w.repos, jobs_);
    io.out << (json_ ? status_to_json(statuses).dump(2) + "\n" : render_status(statuses));
    return kExitOk;
  }

  int exec(const Loaded& w, Streams& io) {
    SystemProcessRunner runner;
    size_t width = name_width(w.repos);
    // Output streams in completion order; the summary lists repos in registry order.
    std::vector<ExecResult> results =
        exec_all(runner, w.repos, command_, jobs_, [&](const ExecResult& r) {
          if (r.skipped) return;
          io.out << prefix_lines(r.repo->name, width, r.result.out) << std::flush;
          if (!r.result.ok()) {
            io.out << fmt::format("{:<{}} | exit {}\n", r.repo->name, width, r.result.exit_code);
          }
        });
    std::vector<std::string> failed, skipped;
    for (const ExecResult& r : results) {
      if (r.skipped) {
        skipped.push_back(r.repo->name);
      } else if (!r.result.ok()) {
        failed.push_back(r.repo->name);
      }
    }
    size_t ran = w.repos.size() - skipped.size();
    io.out << fmt::format("{} repos: {} ok, {} failed{}{}\n", w.repos.size(), ran - failed.size(),
                          failed.size(),
                          failed.empty() ? "" : fmt::format(" ({})", fmt::join(failed, ", ")),
                          skipped.empty() ? "" : fmt::format(", {} not cloned", skipped.size()));
    return failed.empty() ? kExitOk : kExitFailure;
  }

  CLI::App* sync_ = nullptr;
  CLI::App* status_ = nullptr;
  CLI::App* exec_ = nullptr;
  std::vector<std::string> names_, command_;
  std::string layout_;
  size_t jobs_ = default_jobs();
  bool json_ = false;
};

/// fusion dir REPO: the repo's folder, for `cd $(fusion dir core-api)`.
class DirCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("repo", repo_, "A repo of the registry")->required();
  }
  int run(const GlobalOptions& global, Streams& io) override {
    auto loaded = load_workspace(global, io, {repo_});
    if (!loaded) return kExitFailure;
    io.out << std::filesystem::absolute(loaded->repos.front().path).lexically_normal().string()
           << "\n";
    return kExitOk;
  }

 private:
  std::string repo_;
};

}  // namespace

std::unique_ptr<Command> make_workspace_command() { return std::make_unique<WorkspaceCommand>(); }
std::unique_ptr<Command> make_dir_command() { return std::make_unique<DirCommand>(); }

}  // namespace fusion
