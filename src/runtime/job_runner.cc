#include "runtime/job_runner.h"

#include <thread>

namespace fusion {

ThreadJobRunner::ThreadJobRunner(std::function<JobOutcome(const Job&)> work)
    : work_(std::make_shared<std::function<JobOutcome(const Job&)>>(std::move(work))),
      queue_(std::make_shared<Queue>()) {}

void ThreadJobRunner::launch(const Job& job) {
  std::thread([work = work_, queue = queue_, job] {
    JobOutcome outcome = (*work)(job);
    std::lock_guard lock(queue->mutex);
    queue->done.push_back({job, std::move(outcome)});
    queue->ready.notify_one();
  }).detach();
}

std::optional<FinishedJob> ThreadJobRunner::wait(std::optional<TimePoint> deadline) {
  std::unique_lock lock(queue_->mutex);
  auto has_job = [&] { return !queue_->done.empty(); };
  if (deadline) {
    if (!queue_->ready.wait_until(lock, *deadline, has_job)) return std::nullopt;
  } else {
    queue_->ready.wait(lock, has_job);
  }
  FinishedJob finished = std::move(queue_->done.front());
  queue_->done.pop_front();
  return finished;
}

void run_schedule(UpScheduler& scheduler, JobRunner& runner, const Clock& clock,
                  const std::atomic<bool>* interrupted) {
  constexpr Millis kInterruptCheck{100};
  bool cancelled = false;
  while (!scheduler.finished()) {
    if (interrupted && !cancelled && interrupted->load()) {
      scheduler.cancel(clock.now());
      cancelled = true;
    }
    for (const Job& job : scheduler.take_jobs(clock.now())) runner.launch(job);
    if (scheduler.finished()) break;
    std::optional<TimePoint> deadline = scheduler.next_timer();
    if (interrupted && !cancelled) {
      TimePoint check = clock.now() + kInterruptCheck;
      deadline = deadline ? std::min(*deadline, check) : check;
    }
    if (auto finished = runner.wait(deadline)) {
      scheduler.complete(finished->job, finished->outcome, clock.now());
    }
  }
}

}  // namespace fusion
