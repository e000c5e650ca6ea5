#include "runtime/up_scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <queue>

#include "runtime/job_runner.h"

namespace fusion {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

/// How a simulated service behaves, in milliseconds from the start of its step.
struct Behaviour {
  Millis build{0};
  Millis start{100};
  std::optional<Millis> healthy_after{};  ///< after its start; nullopt: never
  Millis exits_after{0};                  ///< one-shots
  int exit_code = 0;
  bool build_fails = false;
  bool crashes = false;  ///< the container is gone at the first probe
};

/// Runs jobs in simulated time: each finishes after its behaviour's duration; probes take 5 ms.
class SimulatedRunner : public JobRunner {
 public:
  SimulatedRunner(FakeClock& clock, const std::vector<UpTask>& tasks,
                  std::map<std::string, Behaviour> behaviours)
      : clock_(clock), tasks_(tasks), behaviours_(std::move(behaviours)) {}

  void launch(const Job& job) override {
    const std::string& name = tasks_[job.task].name;
    const Behaviour& b = behaviours_[name];
    launched.push_back(std::string(job_kind_name(job.kind)) + " " + name);
    TimePoint now = clock_.now();
    JobOutcome outcome;
    Millis took{5};
    switch (job.kind) {
      case JobKind::kBuild:
        took = b.build;
        if (b.build_fails) outcome = {JobOutcome::kFailed, "COPY failed: no such file"};
        ++builds_running;
        max_builds_running = std::max(max_builds_running, builds_running);
        break;
      case JobKind::kStart:
        took = b.start;
        started_at[name] = now + b.start;
        break;
      case JobKind::kProbe: {
        bool healthy = b.healthy_after && now >= started_at[name] + *b.healthy_after;
        if (b.crashes)
          outcome = {JobOutcome::kFailed, "the container exited (exit code 2)"};
        else
          outcome = {healthy ? JobOutcome::kDone : JobOutcome::kNotYet,
                     healthy ? "GET /healthz: 200" : "GET /healthz: 503"};
        break;
      }
      case JobKind::kWaitExit:
        took = b.exits_after;
        if (b.exit_code != 0) {
          outcome = {JobOutcome::kFailed, "exited with code " + std::to_string(b.exit_code)};
        }
        break;
    }
    queue_.push({now + took, sequence_++, {job, outcome}});
  }

  std::optional<FinishedJob> wait(std::optional<TimePoint> deadline) override {
    if (queue_.empty() || (deadline && queue_.top().at > *deadline)) {
      if (deadline) clock_.advance_to(*deadline);
      return std::nullopt;
    }
    Entry e = queue_.top();
    queue_.pop();
    clock_.advance_to(e.at);
    if (e.finished.job.kind == JobKind::kBuild) --builds_running;
    return e.finished;
  }

  std::vector<std::string> launched;
  std::map<std::string, TimePoint> started_at;
  int builds_running = 0, max_builds_running = 0;

 private:
  struct Entry {
    TimePoint at;
    uint64_t sequence;
    FinishedJob finished;
    bool operator>(const Entry& o) const {
      return std::tie(at, sequence) > std::tie(o.at, o.sequence);
    }
  };
  FakeClock& clock_;
  const std::vector<UpTask>& tasks_;
  std::map<std::string, Behaviour> behaviours_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  uint64_t sequence_ = 0;
};

HealthCheck http_check(Millis interval = 2s, uint32_t retries = 3) {
  HealthCheck h;
  h.interval = interval;
  h.retries = retries;
  return h;
}

UpTask service(std::string name, std::vector<UpTask::Wait> waits = {},
               std::optional<HealthCheck> health = http_check()) {
  UpTask t;
  t.name = std::move(name);
  t.waits = std::move(waits);
  t.health = std::move(health);
  return t;
}

struct Outcome {
  std::vector<std::string> states;  ///< "name state" in task order
  Millis makespan{0};
  std::vector<std::string> launched;
  int max_builds = 0;
  std::map<std::string, Millis> ready;
};

Outcome run(std::vector<UpTask> tasks, std::map<std::string, Behaviour> behaviours,
            size_t max_builds = 4) {
  FakeClock clock;
  TimePoint begin = clock.now();
  UpScheduler scheduler(tasks, max_builds);
  SimulatedRunner runner(clock, scheduler.tasks(), std::move(behaviours));
  run_schedule(scheduler, runner, clock);
  Outcome out;
  for (size_t t = 0; t < tasks.size(); ++t) {
    out.states.push_back(tasks[t].name + " " + task_state_name(scheduler.state(t)));
    if (scheduler.ready_at(t) != TimePoint{}) {
      out.ready[tasks[t].name] = std::chrono::duration_cast<Millis>(scheduler.ready_at(t) - begin);
    }
  }
  out.makespan = std::chrono::duration_cast<Millis>(clock.now() - begin);
  out.launched = runner.launched;
  out.max_builds = runner.max_builds_running;
  return out;
}

TEST(UpSchedulerTest, StartsEachServiceTheMomentItsDependenciesAreHealthy) {
  // db healthy 3 s after its start; api built in 5 s (in parallel), waits for db healthy.
  std::vector<UpTask> tasks = {service("db"), service("api", {{0, WaitCondition::kHealthy}}),
                               service("web", {{1, WaitCondition::kHealthy}})};
  tasks[1].build = true;
  Outcome out = run(tasks, {{"db", {.healthy_after = 3000ms}},
                            {"api", {.build = 5000ms, .healthy_after = 1000ms}},
                            {"web", {.healthy_after = 500ms}}});
  EXPECT_THAT(out.states, ElementsAre("db healthy", "api healthy", "web healthy"));
  // db: start 100 ms + 3 s; api: its build (5 s) is the longer wait, then 100 ms + 1 s;
  // web: 100 ms + 0.5 s. Probing every 50 ms (each probe taking 5 ms here) costs at most one
  // probe cycle per level.
  constexpr Millis kProbeCycle = 55ms;
  EXPECT_GE(out.ready["db"], 3100ms);
  EXPECT_LE(out.ready["db"], 3100ms + kProbeCycle);
  EXPECT_GE(out.ready["api"], 6100ms);
  EXPECT_LE(out.ready["api"], 6100ms + kProbeCycle);
  EXPECT_GE(out.ready["web"], out.ready["api"] + 600ms);
  EXPECT_LE(out.ready["web"], out.ready["api"] + 600ms + kProbeCycle);
  EXPECT_EQ(out.makespan, out.ready["web"]);
  EXPECT_EQ(out.launched[0], "build api");
  EXPECT_EQ(out.launched[1], "start db");
}

TEST(UpSchedulerTest, AFailedHealthCheckBlocksDependentsAndIndependentServicesCarryOn) {
  std::vector<UpTask> tasks = {service("cache"), service("db"),
                               service("api", {{1, WaitCondition::kHealthy}}),
                               service("web", {{2, WaitCondition::kStarted}})};
  Outcome out = run(tasks, {{"cache", {.healthy_after = 200ms}}, {"db", {}}});
  EXPECT_THAT(out.states, ElementsAre("cache healthy", "db failed", "api blocked", "web blocked"));
  // db: start_period 0 + 3 retries × 2 s after its start, then it fails.
  EXPECT_GE(out.makespan, 6100ms);
  EXPECT_LE(out.makespan, 6300ms);
}

TEST(UpSchedulerTest, FailureDetailsSayWhatWasProbedAndWhy) {
  FakeClock clock;
  std::vector<UpTask> tasks = {service("db"), service("api", {{0, WaitCondition::kHealthy}})};
  UpScheduler scheduler(tasks, 2);
  SimulatedRunner runner(clock, scheduler.tasks(), {{"db", {}}});
  run_schedule(scheduler, runner, clock);
  // 100 ms to start, 3 retries × 2 s, and the probe that found the deadline passed.
  EXPECT_EQ(scheduler.detail(0), "not healthy after 6.1s; last probe: GET /healthz: 503");
  EXPECT_EQ(scheduler.detail(1), "waits for db failed");
}

TEST(UpSchedulerTest, ACrashedContainerFailsAtOnceWithoutWaitingOutItsRetries) {
  Outcome out = run({service("db")}, {{"db", {.crashes = true}}});
  EXPECT_THAT(out.states, ElementsAre("db failed"));
  EXPECT_LT(out.makespan, 200ms);
}

TEST(UpSchedulerTest, ACompletedDependencyMustExitZero) {
  std::vector<UpTask> ok = {service("migrate", {}, std::nullopt),
                            service("api", {{0, WaitCondition::kCompleted}})};
  ok[0].one_shot = true;
  Outcome good = run(ok, {{"migrate", {.exits_after = 700ms}}, {"api", {.healthy_after = 0ms}}});
  EXPECT_THAT(good.states, ElementsAre("migrate completed", "api healthy"));
  EXPECT_EQ(good.ready["migrate"], 800ms);

  Outcome bad = run(ok, {{"migrate", {.exits_after = 700ms, .exit_code = 3}}});
  EXPECT_THAT(bad.states, ElementsAre("migrate failed", "api blocked"));
}

TEST(UpSchedulerTest, PhaseBarriersWaitForEveryServiceOfTheEarlierPhase) {
  // Task 2 is the barrier of phase 1 {db, broker}; app waits for it.
  std::vector<UpTask> tasks = {service("broker"), service("db"), UpTask{},
                               service("app", {{2, WaitCondition::kReady}}, std::nullopt)};
  tasks[2].name = "phase 'infra'";
  tasks[2].barrier = true;
  tasks[2].waits = {{0, WaitCondition::kReady}, {1, WaitCondition::kReady}};
  Outcome out =
      run(tasks, {{"broker", {.healthy_after = 4000ms}}, {"db", {.healthy_after = 1000ms}}});
  EXPECT_THAT(out.states,
              ElementsAre("broker healthy", "db healthy", "phase 'infra' passed", "app running"));
  EXPECT_GE(out.ready["app"], out.ready["broker"] + 100ms);
}

TEST(UpSchedulerTest, BuildsRunInParallelUpToTheLimit) {
  std::vector<UpTask> tasks;
  std::map<std::string, Behaviour> behaviours;
  for (std::string name : {"a", "b", "c", "d", "e"}) {
    tasks.push_back(service(name, {}, std::nullopt));
    tasks.back().build = true;
    behaviours[name] = {.build = 1000ms};
  }
  Outcome out = run(tasks, behaviours, 2);
  EXPECT_EQ(out.max_builds, 2);
  EXPECT_GE(out.makespan, 3000ms);  // 5 builds of 1 s, two at a time
  EXPECT_LE(out.makespan, 3100ms);
}

TEST(UpSchedulerTest, ABrokenBuildFailsOnlyItsService) {
  std::vector<UpTask> tasks = {service("api", {}, std::nullopt), service("web", {}, std::nullopt)};
  tasks[0].build = tasks[1].build = true;
  Outcome out = run(tasks, {{"api", {.build_fails = true}}, {"web", {}}});
  EXPECT_THAT(out.states, ElementsAre("api failed", "web running"));
}

TEST(UpSchedulerTest, KeptServicesAreNotStartedButStillProbedForTheirDependents) {
  std::vector<UpTask> tasks = {
      service("db"), service("migrate", {}, std::nullopt),
      service("api", {{0, WaitCondition::kHealthy}, {1, WaitCondition::kCompleted}})};
  tasks[0].start = false;
  tasks[1].start = false;
  tasks[1].one_shot = tasks[1].completed = true;
  Outcome out = run(tasks, {{"db", {.healthy_after = 0ms}}, {"api", {.healthy_after = 0ms}}});
  EXPECT_THAT(out.states, ElementsAre("db healthy", "migrate completed", "api healthy"));
  EXPECT_THAT(out.launched, ElementsAre("probe db", "start api", "probe api"));
}

TEST(UpSchedulerTest, AOneShotThatOutlivesItsPhaseTimeoutFails) {
  std::vector<UpTask> tasks = {service("migrate", {}, std::nullopt),
                               service("api", {{0, WaitCondition::kCompleted}})};
  tasks[0].one_shot = true;
  tasks[0].timeout = 2s;
  Outcome out = run(tasks, {{"migrate", {.exits_after = 60000ms}}});
  EXPECT_THAT(out.states, ElementsAre("migrate failed", "api blocked"));
  EXPECT_LE(out.makespan, 2200ms);
}

TEST(UpSchedulerTest, CancelStopsLaunchingAndLetsJobsInFlightFinish) {
  FakeClock clock;
  std::vector<UpTask> tasks = {service("db"), service("api", {{0, WaitCondition::kHealthy}})};
  tasks[0].build = true;
  UpScheduler scheduler(tasks, 2);
  SimulatedRunner runner(clock, scheduler.tasks(), {{"db", {.build = 1000ms}}});
  for (const Job& job : scheduler.take_jobs(clock.now())) runner.launch(job);
  scheduler.cancel(clock.now());
  EXPECT_FALSE(scheduler.finished());  // the build is in flight
  auto done = runner.wait(std::nullopt);
  scheduler.complete(done->job, done->outcome, clock.now());
  EXPECT_TRUE(scheduler.finished());
  EXPECT_TRUE(scheduler.take_jobs(clock.now()).empty());
  EXPECT_EQ(scheduler.state(0), TaskState::kCancelled);
  EXPECT_EQ(scheduler.state(1), TaskState::kCancelled);
}

}  // namespace
}  // namespace fusion
