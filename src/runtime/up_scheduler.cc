#include "runtime/up_scheduler.h"

#include <fmt/format.h>

#include <algorithm>

namespace fusion {

const char* task_state_name(TaskState s) {
  switch (s) {
    case TaskState::kWaiting:
      return "waiting";
    case TaskState::kBuilding:
      return "building";
    case TaskState::kStarting:
      return "starting";
    case TaskState::kProbing:
      return "probing";
    case TaskState::kAwaitingExit:
      return "running once";
    case TaskState::kRunning:
      return "running";
    case TaskState::kHealthy:
      return "healthy";
    case TaskState::kCompleted:
      return "completed";
    case TaskState::kPassed:
      return "passed";
    case TaskState::kFailed:
      return "failed";
    case TaskState::kBlocked:
      return "blocked";
    case TaskState::kCancelled:
      return "cancelled";
  }
  return "?";
}

bool is_terminal(TaskState s) {
  switch (s) {
    case TaskState::kRunning:
    case TaskState::kHealthy:
    case TaskState::kCompleted:
    case TaskState::kPassed:
    case TaskState::kFailed:
    case TaskState::kBlocked:
    case TaskState::kCancelled:
      return true;
    default:
      return false;
  }
}

Millis start_probe_interval(const HealthCheck& check) {
  bool network = check.kind == HealthKind::kHttp || check.kind == HealthKind::kTcp;
  return Millis(network ? 50 : 100);
}

const char* job_kind_name(JobKind k) {
  switch (k) {
    case JobKind::kBuild:
      return "build";
    case JobKind::kStart:
      return "start";
    case JobKind::kProbe:
      return "probe";
    case JobKind::kWaitExit:
      return "wait";
  }
  return "?";
}

UpScheduler::UpScheduler(std::vector<UpTask> tasks, size_t max_builds, UpObserver* observer)
    : tasks_(std::move(tasks)),
      states_(tasks_.size()),
      max_builds_(std::max<size_t>(1, max_builds)),
      observer_(observer) {
  for (size_t t = 0; t < tasks_.size(); ++t) {
    states_[t].image_ready = !tasks_[t].build;
  }
}

bool UpScheduler::is_ready(size_t task) const {
  const UpTask& t = tasks_[task];
  TaskState s = states_[task].state;
  if (t.barrier) return s == TaskState::kPassed;
  if (t.one_shot) return s == TaskState::kCompleted;
  if (t.health) return s == TaskState::kHealthy;
  return s == TaskState::kRunning || s == TaskState::kHealthy;
}

bool UpScheduler::is_broken(size_t task) const {
  TaskState s = states_[task].state;
  return s == TaskState::kFailed || s == TaskState::kBlocked || s == TaskState::kCancelled;
}

bool UpScheduler::satisfied(const UpTask::Wait& wait) const {
  TaskState s = states_[wait.task].state;
  bool started = s == TaskState::kProbing || s == TaskState::kAwaitingExit ||
                 s == TaskState::kRunning || s == TaskState::kHealthy || s == TaskState::kCompleted;
  switch (wait.condition) {
    case WaitCondition::kStarted:
      return started;
    case WaitCondition::kHealthy:
      return tasks_[wait.task].health ? s == TaskState::kHealthy : started;
    case WaitCondition::kCompleted:
      return s == TaskState::kCompleted;
    case WaitCondition::kReady:
      return is_ready(wait.task);
  }
  return false;
}

std::optional<std::string> UpScheduler::broken_wait(size_t task) const {
  for (const UpTask::Wait& w : tasks_[task].waits) {
    if (is_broken(w.task)) {
      return fmt::format("{} {}", tasks_[w.task].name, task_state_name(states_[w.task].state));
    }
    // A one-shot that ran to completion will never be healthy or started again.
    if (w.condition == WaitCondition::kHealthy && tasks_[w.task].health &&
        states_[w.task].state == TaskState::kCompleted) {
      return tasks_[w.task].name + " exited";
    }
  }
  return std::nullopt;
}

void UpScheduler::set_state(size_t task, TaskState state, std::string detail, TimePoint now) {
  Progress& p = states_[task];
  if (!is_terminal(p.state) && is_terminal(state)) ++settled_;
  p.state = state;
  p.detail = std::move(detail);
  if (state == TaskState::kHealthy || state == TaskState::kRunning ||
      state == TaskState::kCompleted || state == TaskState::kPassed) {
    p.ready_at = now;
  }
  if (observer_ && !tasks_[task].barrier) observer_->on_state(task, state, p.detail, now);
}

/// Moves waiting tasks on as far as they can go: blocked, passed, started or kept.
void UpScheduler::settle_waiting(TimePoint now) {
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t t = 0; t < tasks_.size(); ++t) {
      if (states_[t].state != TaskState::kWaiting) continue;
      if (auto why = broken_wait(t)) {
        set_state(t, TaskState::kBlocked, "waits for " + *why, now);
        changed = true;
        continue;
      }
      if (!states_[t].image_ready) continue;
      const UpTask& task = tasks_[t];
      if (!std::all_of(task.waits.begin(), task.waits.end(),
                       [&](const UpTask::Wait& w) { return satisfied(w); })) {
        continue;
      }
      changed = true;
      if (task.barrier) {
        set_state(t, TaskState::kPassed, "", now);
      } else if (task.start) {
        states_[t].started_at = now;
        set_state(t, TaskState::kStarting, "", now);
        pending_.push_back({JobKind::kStart, t});
      } else if (task.completed) {
        set_state(t, TaskState::kCompleted, "unchanged; completed before", now);
      } else {
        states_[t].started_at = now;  // kept running: health is confirmed from here
        on_started(t, now);
      }
    }
  }
}

std::vector<Job> UpScheduler::take_jobs(TimePoint now) {
  if (!cancelled_) {
    while (!timers_.empty() && timers_.begin()->first <= now) {
      size_t t = timers_.begin()->second;
      timers_.erase(timers_.begin());
      if (states_[t].state == TaskState::kProbing) {
        pending_.push_back({JobKind::kProbe, t});
      } else if (states_[t].state == TaskState::kAwaitingExit) {
        set_state(t, TaskState::kFailed,
                  fmt::format("did not complete within its phase's {}s timeout",
                              tasks_[t].timeout.count() / 1000),
                  now);
        --in_flight_;  // its wait job is abandoned
      }
    }
    for (size_t t = 0; t < tasks_.size() && builds_in_flight_ < max_builds_; ++t) {
      if (states_[t].state != TaskState::kWaiting || states_[t].image_ready) continue;
      if (broken_wait(t)) continue;
      ++builds_in_flight_;
      set_state(t, TaskState::kBuilding, "", now);
      pending_.push_back({JobKind::kBuild, t});
    }
    settle_waiting(now);
  }
  std::vector<Job> jobs;
  jobs.swap(pending_);
  in_flight_ += jobs.size();
  return jobs;
}

void UpScheduler::on_started(size_t task, TimePoint now) {
  const UpTask& t = tasks_[task];
  Progress& p = states_[task];
  if (cancelled_) {
    set_state(task, TaskState::kCancelled, "started; interrupted before it was waited for", now);
  } else if (t.one_shot) {
    set_state(task, TaskState::kAwaitingExit, "", now);
    pending_.push_back({JobKind::kWaitExit, task});
    if (t.timeout.count() > 0) timers_.insert({now + t.timeout, task});
  } else if (t.health) {
    const HealthCheck& h = *t.health;
    p.deadline = now + h.start_period + h.interval * h.retries;
    if (t.timeout.count() > 0) p.deadline = std::min(p.deadline, now + t.timeout);
    set_state(task, TaskState::kProbing, "", now);
    timers_.insert({now, task});
  } else {
    set_state(task, TaskState::kRunning, "", now);
  }
}

void UpScheduler::on_probed(size_t task, const JobOutcome& outcome, TimePoint now) {
  if (states_[task].state != TaskState::kProbing) return;  // cancelled meanwhile
  if (outcome.verdict == JobOutcome::kDone) {
    set_state(task, TaskState::kHealthy, outcome.detail, now);
  } else if (outcome.verdict == JobOutcome::kFailed) {
    set_state(task, TaskState::kFailed, outcome.detail, now);
  } else if (now >= states_[task].deadline) {
    auto waited = std::chrono::duration_cast<Millis>(now - states_[task].started_at);
    set_state(task, TaskState::kFailed,
              fmt::format("not healthy after {:.1f}s; last probe: {}",
                          static_cast<double>(waited.count()) / 1000.0, outcome.detail),
              now);
  } else {
    states_[task].detail = outcome.detail;
    const UpTask& t = tasks_[task];
    Millis every = t.probe_every.count() > 0
                       ? t.probe_every
                       : std::min<Millis>(t.health->interval, start_probe_interval(*t.health));
    timers_.insert({now + every, task});
  }
}

void UpScheduler::complete(const Job& job, const JobOutcome& outcome, TimePoint now) {
  size_t t = job.task;
  if (job.kind == JobKind::kWaitExit && states_[t].state != TaskState::kAwaitingExit) return;
  --in_flight_;
  bool failed = outcome.verdict == JobOutcome::kFailed;
  switch (job.kind) {
    case JobKind::kBuild:
      --builds_in_flight_;
      states_[t].image_ready = !failed;
      if (failed) {
        set_state(t, TaskState::kFailed, outcome.detail, now);
      } else {
        set_state(t, cancelled_ ? TaskState::kCancelled : TaskState::kWaiting, "image built", now);
      }
      break;
    case JobKind::kStart:
      failed ? set_state(t, TaskState::kFailed, outcome.detail, now) : on_started(t, now);
      break;
    case JobKind::kProbe:
      on_probed(t, outcome, now);
      break;
    case JobKind::kWaitExit:
      set_state(t, failed ? TaskState::kFailed : TaskState::kCompleted, outcome.detail, now);
      break;
  }
}

std::optional<TimePoint> UpScheduler::next_timer() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

void UpScheduler::cancel(TimePoint now) {
  cancelled_ = true;
  timers_.clear();
  for (size_t t = 0; t < tasks_.size(); ++t) {
    TaskState s = states_[t].state;
    if (s == TaskState::kWaiting) set_state(t, TaskState::kCancelled, "interrupted", now);
    if (s == TaskState::kProbing) {
      set_state(t, TaskState::kCancelled, "interrupted before it was healthy", now);
    }
    if (s == TaskState::kAwaitingExit) {
      set_state(t, TaskState::kCancelled, "interrupted before it completed", now);
      --in_flight_;  // its wait job is abandoned
    }
  }
}

}  // namespace fusion
