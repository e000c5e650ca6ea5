// fusion workspace sync of 50 repos with nothing new, against a plain sequential `git fetch`
// loop over the same clones, in the same run; remotes served by `git daemon` on 127.0.0.1.
// Goal (issue 6): sync <= 2 s and faster than the loop by about the parallelism.
// fusion does more per repo than the loop (fetch, then status and log to decide), so the ratio
// is conservative.
//
//   build/bench/workspace_sync_bench [repos] [runs]

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "util/file.h"
#include "util/parallel.h"
#include "util/subprocess.h"
#include "workspace/git_cli.h"
#include "workspace/sync.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

fusion::SystemProcessRunner runner;

void git(const fs::path& cwd, std::vector<std::string> args) {
  args.insert(args.begin(), "git");
  fusion::ProcessResult r = runner.run({.argv = args, .cwd = cwd});
  if (!r.ok()) throw std::runtime_error(fmt::format("{}: {}", fmt::join(args, " "), r.err));
}

struct Quiet : fusion::SyncObserver {
  void started(const fusion::RepoTarget&) override {}
  void finished(const fusion::RepoTarget&, const fusion::SyncOutcome& o) override {
    if (o.result == fusion::SyncResult::kFailed) throw std::runtime_error(o.message);
  }
};

double median_ms(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <class F>
std::vector<double> time_runs(int runs, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  const int repos = argc > 1 ? std::atoi(argv[1]) : 50;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  fs::path root = fs::temp_directory_path() / ("fusion-sync-bench-" + std::to_string(getpid()));
  fs::create_directories(root / "remotes");
  std::ofstream(root / "gitconfig")
      << "[user]\n\tname = Bench\n\temail = b@example.invalid\n[init]\n\tdefaultBranch = main\n";
  setenv("GIT_CONFIG_GLOBAL", (root / "gitconfig").c_str(), 1);
  setenv("GIT_CONFIG_NOSYSTEM", "1", 1);

  int port = 19000 + getpid() % 20000;
  git(root, {"daemon", "--reuseaddr", "--export-all", "--detach", "--listen=127.0.0.1",
             "--port=" + std::to_string(port), "--base-path=" + (root / "remotes").string(),
             "--pid-file=" + (root / "daemon.pid").string(), (root / "remotes").string()});
  std::vector<fusion::RepoTarget> targets;
  fusion::parallel_for_each(static_cast<size_t>(repos), 8, [&](size_t i) {
    std::string name = fmt::format("repo-{:02}", i);
    fs::path bare = root / "remotes" / (name + ".git"), seed = root / ("seed-" + name);
    git(root, {"init", "-q", "--bare", bare.string()});
    git(root, {"init", "-q", seed.string()});
    std::ofstream(seed / "README") << name << "\n";
    git(seed, {"add", "README"});
    git(seed, {"commit", "-qm", "first"});
    git(seed, {"push", "-q", bare.string(), "main"});
  });
  for (int i = 0; i < repos; ++i) {
    std::string name = fmt::format("repo-{:02}", i);
    targets.push_back({name,
                       fmt::format("git://127.0.0.1:{}/{}.git", port, name),
                       "main",
                       root / "ws" / name,
                       {}});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the daemon is listening
  fusion::GitCli git_cli(runner);
  Quiet quiet;
  fusion::sync_all(git_cli, targets, fusion::default_jobs(), quiet);  // clone everything once

  const size_t jobs = fusion::default_jobs();
  auto sync_ms = time_runs(runs, [&] { fusion::sync_all(git_cli, targets, jobs, quiet); });
  auto sync1_ms = time_runs(runs, [&] { fusion::sync_all(git_cli, targets, 1, quiet); });
  auto loop_ms = time_runs(runs, [&] {
    for (const auto& t : targets) git(t.path, {"fetch", "--quiet", "--prune"});
  });

  fmt::print(
      "workspace sync of {} repos with nothing new (git daemon on 127.0.0.1), median of {} runs\n",
      repos, runs);
  fmt::print("  fusion sync, -j {:<3}            {:7.0f} ms\n", jobs, median_ms(sync_ms));
  fmt::print("  fusion sync, -j 1               {:7.0f} ms\n", median_ms(sync1_ms));
  fmt::print("  sequential `git fetch` loop     {:7.0f} ms\n", median_ms(loop_ms));
  fmt::print("  fusion -j {} vs the loop: {:.1f}x faster on {} cores (goal: <= 2000 ms)\n", jobs,
             median_ms(loop_ms) / median_ms(sync_ms), std::thread::hardware_concurrency());

  if (auto pid = fusion::read_file(root / "daemon.pid")) kill(std::stoi(*pid), SIGTERM);
  fs::remove_all(root);
  return median_ms(sync_ms) <= 2000 ? 0 : 1;
}
