#pragma once
// Where the scheduler's jobs run. ThreadJobRunner runs each on a thread of its own and hands
// outcomes back in the order they finish; tests and benchmarks use a simulation with a fake
// clock instead. run_schedule is the loop that joins a scheduler to a runner.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "runtime/up_scheduler.h"
#include "util/clock.h"

namespace fusion {

struct FinishedJob {
  Job job;
  JobOutcome outcome;
};

class JobRunner {
 public:
  virtual ~JobRunner() = default;
  virtual void launch(const Job& job) = 0;
  /// The next finished job; nothing when `deadline` passes first (no deadline: wait for one).
  virtual std::optional<FinishedJob> wait(std::optional<TimePoint> deadline) = 0;
};

/// Runs `work` for each job on a detached thread. Threads share the outcome queue, so one still
/// blocked when the runner goes (a `wait` on a container that never exits) harms nothing.
class ThreadJobRunner : public JobRunner {
 public:
  explicit ThreadJobRunner(std::function<JobOutcome(const Job&)> work);
  void launch(const Job& job) override;
  std::optional<FinishedJob> wait(std::optional<TimePoint> deadline) override;

 private:
  struct Queue {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<FinishedJob> done;
  };
  std::shared_ptr<std::function<JobOutcome(const Job&)>> work_;
  std::shared_ptr<Queue> queue_;
};

/// Drives `scheduler` to the end: launches its jobs, waits for outcomes or the next probe, and
/// when `interrupted` becomes true cancels it and lets what is in flight finish.
void run_schedule(UpScheduler& scheduler, JobRunner& runner, const Clock& clock,
                  const std::atomic<bool>* interrupted = nullptr);

}  // namespace fusion
