#pragma once
// `fusion gitops run`: every GitRepository the controller can see, each synced by its own
// SyncWorker (pure), whose actions a few threads carry out (git through GitSource, rendering,
// the cluster through KubeClient) — not a thread per repository. The controller keeps nothing
// but what the cluster holds: the resources and their status, read back at start.
//
// The loop: list the GitRepositories every `resync` (new ones get a worker started from their
// status; a changed spec, annotation or sync request is passed on; deleted ones are dropped),
// step every idle worker that is due, hand its action to the pool, and sleep until the soonest
// due time or a finished action, whichever comes first.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "gitops/git_source.h"
#include "gitops/render.h"
#include "gitops/sync_worker.h"
#include "kube/kube_client.h"
#include "util/subprocess.h"

namespace fusion {
namespace gitops {

/// Set (to a time) by `fusion gitops sync NAME`: a changed value asks for a sync now.
inline constexpr std::string_view kRequestedAtAnnotation = "gitops.fusion.dev/requested-at";

struct ControllerOptions {
  std::string namespace_;                  ///< the namespace to watch; empty: all
  size_t threads = 4;                      ///< actions carried out at once
  std::chrono::milliseconds resync{2000};  ///< how often the resources are listed
  std::filesystem::path scratch_dir;       ///< for rendering kustomizations
};

class Controller {
 public:
  Controller(KubeClient& client, GitSource& git, ProcessRunner& runner, ControllerOptions options,
             std::ostream& log);
  ~Controller();

  /// Runs until `stop` becomes true.
  void run(const std::atomic<bool>& stop);

 private:
  struct Entry;
  class Pool;

  void refresh(TimePoint now);
  void adopt(const nlohmann::json& resource, TimePoint now);
  void dispatch(TimePoint now, TimePoint& wake);
  void perform(Entry& entry, const Action& action);
  Result<std::vector<nlohmann::json>> render(const GitRepositorySpec& spec,
                                             const std::string& commit);
  Result<GitAuth> auth_of(const GitRepositorySpec& spec);
  bool dependency_synced(const GitRepositoryDependency& dependency);
  void say(const std::string& key, const std::string& message);

  KubeClient& client_;
  GitSource& git_;
  ProcessRunner& runner_;
  ControllerOptions options_;
  std::ostream& log_;
  std::mutex log_mutex_;
  std::unique_ptr<Pool> pool_;
  std::mutex mutex_;  ///< guards entries_ and every worker in it
  std::condition_variable changed_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;  ///< by "namespace/name"
};

}  // namespace gitops
}  // namespace fusion
