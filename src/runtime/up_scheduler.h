#pragma once
// The scheduler of `fusion up`: which service to build, start or probe next, as a pure state
// machine. It runs no process and reads no clock: the driver (run_schedule) asks it for jobs,
// hands them to a JobRunner (threads for real, a simulation in tests and benchmarks) and feeds
// the outcomes back with the time they arrived.
//
// Each task is a service or a phase barrier. A service's image build starts at once (at most
// `max_builds` at a time); it starts as soon as its image is ready and every task it waits for
// meets its condition: `started` (created and started), `healthy` (its probe passed; a service
// without a health check counts once started), `completed` (exited 0), and for barriers
// `ready`: completed for a one-shot service (one that another waits on to complete), healthy
// for one with a health check, started otherwise. A barrier passes when all it waits for is
// ready.
//
// Probing: a started service with a health check is probed at once, then every
// min(interval, start_probe_interval(check)) until it passes, so readiness is seen within
// 50 ms (http, tcp: a connection) or 100 ms (exec, container: a process in the container) of
// becoming true. It fails when it has not passed within start_period + retries ×
// interval of its start, or within its phase's timeout, whichever comes first, or at once when
// its container stops. A failed task blocks every task that waits for it; independent tasks go
// on.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "registry/model.h"
#include "util/clock.h"

namespace fusion {

/// How often a starting service is probed until it first passes: cheap network probes more
/// often than those that run a process in the container.
Millis start_probe_interval(const HealthCheck& check);

enum class WaitCondition { kStarted, kHealthy, kCompleted, kReady };

struct UpTask {
  std::string name;  ///< the service, or "phase 'infra'"
  bool barrier = false;
  bool build = false;      ///< its image must be built first
  bool start = true;       ///< false: kept as it is (already running with this config)
  bool completed = false;  ///< with start = false: a one-shot that already exited 0
  bool one_shot = false;   ///< another task waits for it to complete
  std::optional<HealthCheck> health;
  Duration timeout{0};  ///< its phase's: from its start to ready; 0: none
  /// How often it is probed until it passes; 0: min(health interval, start_probe_interval).
  /// A cluster's probes read the API, so the Kubernetes target probes less often.
  Millis probe_every{0};
  struct Wait {
    size_t task;
    WaitCondition condition;
  };
  std::vector<Wait> waits;
};

enum class TaskState {
  kWaiting,       ///< for its image or for what it waits for
  kBuilding,      ///< image build in flight
  kStarting,      ///< create + start in flight
  kProbing,       ///< started, health not yet passed
  kAwaitingExit,  ///< a started one-shot
  kRunning,       ///< started; no health check
  kHealthy,
  kCompleted,
  kPassed,  ///< a barrier whose waits are all ready
  kFailed,
  kBlocked,    ///< something it waits for failed
  kCancelled,  ///< interrupted before it started
};
const char* task_state_name(TaskState s);
bool is_terminal(TaskState s);

enum class JobKind { kBuild, kStart, kProbe, kWaitExit };
const char* job_kind_name(JobKind k);

struct Job {
  JobKind kind;
  size_t task;
};

struct JobOutcome {
  enum Verdict { kDone, kNotYet, kFailed };
  Verdict verdict = kDone;
  std::string detail;  ///< the probe's answer, the build's output, the exit code
};

/// Told of every change of a service's state (not of barriers).
class UpObserver {
 public:
  virtual ~UpObserver() = default;
  virtual void on_state(size_t task, TaskState state, const std::string& detail,
                        TimePoint when) = 0;
};

class UpScheduler {
 public:
  UpScheduler(std::vector<UpTask> tasks, size_t max_builds, UpObserver* observer = nullptr);

  /// Jobs to launch now: builds, starts, due probes. Call after every outcome.
  std::vector<Job> take_jobs(TimePoint now);
  void complete(const Job& job, const JobOutcome& outcome, TimePoint now);
  /// When the next probe is due; nothing when no timer is pending.
  std::optional<TimePoint> next_timer() const;
  /// Stops launching: waiting tasks are cancelled, probing stops; jobs in flight finish.
  void cancel(TimePoint now);
  bool finished() const { return in_flight_ == 0 && settled_ == tasks_.size(); }

  const std::vector<UpTask>& tasks() const { return tasks_; }
  TaskState state(size_t task) const { return states_[task].state; }
  const std::string& detail(size_t task) const { return states_[task].detail; }
  /// When the task started (its start job was launched) and became ready; epoch when not.
  TimePoint started_at(size_t task) const { return states_[task].started_at; }
  TimePoint ready_at(size_t task) const { return states_[task].ready_at; }

 private:
  struct Progress {
    TaskState state = TaskState::kWaiting;
    bool image_ready = false;
    std::string detail;
    TimePoint started_at{}, ready_at{}, deadline{};
  };

  bool satisfied(const UpTask::Wait& wait) const;
  bool is_ready(size_t task) const;
  bool is_broken(size_t task) const;
  void set_state(size_t task, TaskState state, std::string detail, TimePoint now);
  void on_started(size_t task, TimePoint now);
  void on_probed(size_t task, const JobOutcome& outcome, TimePoint now);
  void settle_waiting(TimePoint now);
  std::optional<std::string> broken_wait(size_t task) const;

  std::vector<UpTask> tasks_;
  std::vector<Progress> states_;
  size_t max_builds_;
  size_t builds_in_flight_ = 0;
  size_t in_flight_ = 0;
  size_t settled_ = 0;  ///< tasks in a terminal state
  bool cancelled_ = false;
  std::set<std::pair<TimePoint, size_t>> timers_;  ///< probes due
  std::vector<Job> pending_;                       ///< decided, not yet handed out
  UpObserver* observer_;
};

}  // namespace fusion
