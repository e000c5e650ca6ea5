#include "gitops/controller.h"

#include <fmt/format.h>

#include <set>

#include "gitops/cluster_sync.h"
#include "gitops/ownership.h"
#include "util/base64.h"

namespace fusion {
namespace gitops {
namespace {

using Json = nlohmann::json;

std::string key_of(const std::string& namespace_, const std::string& name) {
  return namespace_ + "/" + name;
}

std::string requested_at(const Json& resource) {
  const Json& annotations = resource["metadata"].value("annotations", Json::object());
  return annotations.value(std::string(kRequestedAtAnnotation), "");
}

std::string secret_value(const Json& secret, const char* key) {
  const Json& data = secret.value("data", Json::object());
  if (!data.contains(key)) return "";
  auto decoded = base64_decode(data[key].get<std::string>());
  return decoded ? *decoded : "";
}

}  // namespace

struct Controller::Entry {
  std::unique_ptr<SyncWorker> worker;
  bool busy = false;
  bool removed = false;
  TimePoint due{};
  std::string requested_at;
  AppliedState applied;  ///< what this controller applied, to skip what is unchanged
};

/// A fixed number of threads taking tasks from one queue.
class Controller::Pool {
 public:
  explicit Pool(size_t threads) {
    for (size_t i = 0; i < std::max<size_t>(threads, 1); ++i) {
      threads_.emplace_back([this] { work(); });
    }
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
  }
  void submit(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::jthread> threads_;  ///< last: joined first, while the rest still exists
};

Controller::Controller(KubeClient& client, GitSource& git, ProcessRunner& runner,
                       ControllerOptions options, std::ostream& log)
    : client_(client),
      git_(git),
      runner_(runner),
      options_(std::move(options)),
      log_(log),
      pool_(std::make_unique<Pool>(options_.threads)) {}

Controller::~Controller() { pool_.reset(); }

void Controller::say(const std::string& key, const std::string& message) {
  std::lock_guard lock(log_mutex_);
  log_ << fmt::format("{} {}\n", key, message) << std::flush;
}

void Controller::run(const std::atomic<bool>& stop) {
  SteadyClock clock;
  TimePoint next_list = clock.now();
  while (!stop.load()) {
    TimePoint now = clock.now();
    if (now >= next_list) {
      refresh(now);
      next_list = now + options_.resync;
    }
    TimePoint wake = next_list;
    dispatch(now, wake);
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, std::min(wake, clock.now() + std::chrono::milliseconds(500)));
  }
  pool_.reset();  // waits for the actions in flight
}

void Controller::refresh(TimePoint now) {
  auto listed = client_.list(std::string(kGitRepositoryApiVersion), std::string(kGitRepositoryKind),
                             options_.namespace_.empty() ? "*" : options_.namespace_);
  if (!listed) {
    say("controller", "cannot list GitRepositories: " + listed.error().describe());
    return;  // keep the workers as they are: the API server may be back soon
  }
  std::set<std::string> seen;
  for (const Json& resource : listed->items) {
    const Json& m = resource["metadata"];
    seen.insert(key_of(m.value("namespace", ""), m.value("name", "")));
    adopt(resource, now);
  }
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (seen.contains(it->first)) {
      ++it;
      continue;
    }
    say(it->first, "deleted: its worker stops (the objects it applied stay)");
    it->second->removed = true;
    it = entries_.erase(it);
  }
}

void Controller::adopt(const Json& resource, TimePoint now) {
  GitRepositoryParse parsed = parse_git_repository(resource);
  std::string key = key_of(parsed.spec.namespace_, parsed.spec.name);
  if (!parsed.ok()) {
    GitRepositoryStatus status;
    auto read = status_from_json(resource.value("status", Json::object()));
    if (read) status = *read;
    std::string message = fmt::format("{}", fmt::join(parsed.errors, "; "));
    if (status.last_error == message) return;
    status.phase = SyncPhase::kFailed;
    status.last_error = message;
    std::string time = format_rfc3339(std::chrono::system_clock::now());
    status.set_condition(kReadyCondition, "False", "InvalidSpec", message, time);
    status.set_condition(kStalledCondition, "True", "InvalidSpec", message, time);
    if (Status w = write_status(client_, parsed.spec, status); !w) say(key, w.error());
    say(key, "invalid: " + message);
    return;
  }
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) {
    GitRepositoryStatus status;
    if (auto read = status_from_json(resource.value("status", Json::object()))) status = *read;
    auto entry = std::make_shared<Entry>();
    SyncWorkerOptions options;
    options.random = [] { return static_cast<double>(std::rand()) / RAND_MAX * 0.999; };
    options.dependency_synced = [this](const GitRepositoryDependency& d) {
      return dependency_synced(d);
    };
    entry->worker = std::make_unique<SyncWorker>(parsed.spec, status, std::move(options));
    entry->requested_at = requested_at(resource);
    entry->due = now;
    entries_.emplace(key, entry);
    say(key, fmt::format("watching {} {} (path {}, every {})", parsed.spec.url,
                         parsed.spec.ref.describe(), parsed.spec.path,
                         format_duration(parsed.spec.interval)));
    return;
  }
  Entry& entry = *found->second;
  entry.worker->update_spec(parsed.spec);
  if (std::string requested = requested_at(resource); requested != entry.requested_at) {
    entry.requested_at = requested;
    entry.worker->request_sync();
    say(key, "sync requested");
  }
  entry.due = std::min(entry.due, now);
}

/// Called with mutex_ held (from a worker's step).
bool Controller::dependency_synced(const GitRepositoryDependency& dependency) {
  auto found = entries_.find(key_of(dependency.namespace_, dependency.name));
  if (found == entries_.end()) return false;
  const GitRepositoryStatus& s = found->second->worker->status();
  return s.phase == SyncPhase::kSynced && !s.last_synced_commit.empty();
}

void Controller::dispatch(TimePoint now, TimePoint& wake) {
  std::lock_guard lock(mutex_);
  for (auto& item : entries_) {
    std::shared_ptr<Entry> entry = item.second;  // the task keeps it alive if it is dropped
    while (!entry->busy && entry->due <= now) {
      Action action = entry->worker->step(now);
      if (const auto* wait = std::get_if<WaitUntil>(&action)) {
        entry->due = wait->time;
        break;
      }
      entry->busy = true;
      pool_->submit([this, entry, action] {
        perform(*entry, action);
        std::lock_guard done(mutex_);
        entry->busy = false;
        entry->due = TimePoint::min();
        changed_.notify_all();
      });
    }
    if (!entry->busy) wake = std::min(wake, entry->due);
  }
}

Result<GitAuth> Controller::auth_of(const GitRepositorySpec& spec) {
  GitAuth auth;
  if (spec.secret_name.empty()) return auth;
  auto secret = client_.get({"v1", "Secret", spec.namespace_, spec.secret_name});
  if (!secret) {
    return Error{fmt::format("reading Secret {}/{} (spec.secretRef): {}", spec.namespace_,
                             spec.secret_name, secret.error().describe())};
  }
  auth.username = secret_value(*secret, "username");
  auth.password = secret_value(*secret, "password");
  auth.ssh_private_key = secret_value(*secret, "identity");
  auth.known_hosts = secret_value(*secret, "known_hosts");
  return auth;
}

Result<std::vector<Json>> Controller::render(const GitRepositorySpec& spec,
                                             const std::string& commit) {
  auto files = git_.read_tree(spec.url, commit, spec.path);
  if (!files) return Error{files.error()};
  RenderOptions options;
  options.target_namespace = spec.target_namespace;
  options.runner = &runner_;
  options.scratch_dir = options_.scratch_dir;
  options.namespaced = [this](const std::string& api_version, const std::string& kind) {
    auto path = client_.path_of({api_version, kind, "x", ""});
    // A kind the server does not know yet (a CRD of the same commit) counts as namespaced.
    return !path || path->find("/namespaces/") != std::string::npos;
  };
  auto rendered = render_path(*files, options);
  if (!rendered) return Error{rendered.error()};
  return std::move(rendered->objects);
}

/// Carries out one action of `entry`'s worker, without the lock, and reports back under it.
void Controller::perform(Entry& entry, const Action& action) {
  GitRepositorySpec spec;
  {
    std::lock_guard lock(mutex_);
    spec = entry.worker->spec();
  }
  std::string key = key_of(spec.namespace_, spec.name);
  auto report = [&](auto&& deliver) {
    std::lock_guard lock(mutex_);
    deliver(*entry.worker, SteadyClock().now());
  };
  auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(spec.timeout);
  std::visit(
      [&](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, LsRemote>) {
          auto auth = auth_of(spec);
          auto commit =
              auth ? git_.resolve(a.url, a.ref, *auth) : Result<std::string>{Error{auth.error()}};
          report([&](SyncWorker& w, TimePoint t) { w.on_ls_remote(commit, t); });
        } else if constexpr (std::is_same_v<A, Fetch>) {
          auto auth = auth_of(spec);
          std::string ref = spec.ref.kind == GitRef::Kind::kCommit ? "" : spec.ref.remote_ref();
          Status fetched =
              auth ? git_.fetch(a.url, ref, a.commit, *auth) : Status{Error{auth.error()}};
          report([&](SyncWorker& w, TimePoint t) { w.on_fetched(fetched, t); });
        } else if constexpr (std::is_same_v<A, Render>) {
          auto objects = render(spec, a.commit);
          report([&](SyncWorker& w, TimePoint t) { w.on_rendered(std::move(objects), t); });
        } else if constexpr (std::is_same_v<A, Apply>) {
          Status applied = apply_staged(client_, a.objects, timeout, &entry.applied);
          if (applied) say(key, fmt::format("applied {} objects", a.objects.size()));
          report([&](SyncWorker& w, TimePoint t) { w.on_applied(applied, t); });
        } else if constexpr (std::is_same_v<A, ReadOwners>) {
          auto owners = read_owners(client_, a.objects);
          report([&](SyncWorker& w, TimePoint t) { w.on_owners_read(std::move(owners), t); });
        } else if constexpr (std::is_same_v<A, Prune>) {
          Status pruned = delete_objects(client_, a.objects);
          for (const ObjectRef& ref : a.objects) say(key, "pruned " + ref.describe());
          report([&](SyncWorker& w, TimePoint t) { w.on_pruned(pruned, t); });
        } else if constexpr (std::is_same_v<A, CheckDrift>) {
          Result<DriftReport> drift = Error{""};
          auto auth = auth_of(spec);
          std::string ref = spec.ref.kind == GitRef::Kind::kCommit ? "" : spec.ref.remote_ref();
          Status fetched =
              auth ? git_.fetch(spec.url, ref, a.commit, *auth) : Status{Error{auth.error()}};
          auto objects =
              fetched ? render(spec, a.commit) : Result<std::vector<Json>>{Error{fetched.error()}};
          if (objects) {
            for (Json& o : objects.value()) add_owner_labels(o, spec.namespace_, spec.name);
            drift = check_drift(client_, objects.value(), a.mode);
          } else {
            drift = Error{objects.error()};
          }
          if (drift) {
            for (const std::string& line : drift->drifted) {
              say(key, (a.mode == DriftMode::kCorrect ? "drift corrected: " : "drift: ") + line);
            }
          }
          report([&](SyncWorker& w, TimePoint t) { w.on_drift_checked(std::move(drift), t); });
        } else if constexpr (std::is_same_v<A, WriteStatus>) {
          Status written = write_status(client_, spec, a.status);
          if (written) {
            say(key, fmt::format("{}{}", to_string(a.status.phase),
                                 a.status.last_error.empty() ? "" : ": " + a.status.last_error));
          }
          report([&](SyncWorker& w, TimePoint t) { w.on_status_written(written, t); });
        }
      },
      action);
}

}  // namespace gitops
}  // namespace fusion
