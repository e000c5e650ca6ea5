#include "util/subprocess.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "util/parallel.h"

namespace fusion {
namespace {

TEST(SystemProcessRunner, CapturesOutputAndExitCode) {
  SystemProcessRunner runner;
  ProcessResult r = runner.run({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.last_line(), "err");
}

TEST(SystemProcessRunner, CwdEnvAndMergedStreams) {
  SystemProcessRunner runner;
  ProcessSpec spec{.argv = {"sh", "-c", "pwd; echo $FUSION_T >&2"},
                   .cwd = "/",
                   .env = {{"FUSION_T", "x y"}},
                   .merge_stderr = true};
  ProcessResult r = runner.run(spec);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.out, "/\nx y\n");
}

TEST(SystemProcessRunner, StdinIsEmptyNotTheTerminal) {
  SystemProcessRunner runner;
  EXPECT_EQ(runner.run({.argv = {"cat"}}).out, "");
}

TEST(SystemProcessRunner, TimeoutKills) {
  SystemProcessRunner runner;
  ProcessSpec spec{.argv = {"sleep", "5"}, .timeout = std::chrono::milliseconds(50)};
  ProcessResult r = runner.run(spec);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, 128 + 9);
}

TEST(SystemProcessRunner, MissingProgramIsAnError) {
  SystemProcessRunner runner;
  ProcessResult r = runner.run({.argv = {"fusion-no-such-program"}});
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.err, "fusion-no-such-program: No such file or directory");
}

TEST(SystemProcessLauncher, ChildRunsUntilStoppedWithItsOutputInAFile) {
  auto output = std::filesystem::temp_directory_path() /
                ("fusion-child-" + std::to_string(::getpid()) + ".log");
  std::filesystem::remove(output);
  SystemProcessLauncher launcher;
  std::string error;
  auto child = launcher.launch({.argv = {"sh", "-c", "echo started; echo oops >&2; exec sleep 30"}},
                               output, error);
  ASSERT_TRUE(child) << error;
  std::string text;
  for (int i = 0; i < 500 && text != "started\noops\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::ifstream in(output);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(text, "started\noops\n");
  EXPECT_TRUE(child->running());
  child->stop();
  EXPECT_FALSE(child->running());
  EXPECT_EQ(child->exit_code(), 128 + SIGTERM);
  std::filesystem::remove(output);
}

TEST(SystemProcessLauncher, ChildThatEndsKeepsItsExitCode) {
  SystemProcessLauncher launcher;
  std::string error;
  auto child = launcher.launch({.argv = {"sh", "-c", "exit 7"}}, "/dev/null", error);
  ASSERT_TRUE(child) << error;
  for (int i = 0; i < 500 && child->running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_FALSE(child->running());
  EXPECT_EQ(child->exit_code(), 7);
  EXPECT_FALSE(launcher.launch({.argv = {"fusion-no-such-program"}}, "/dev/null", error));
  EXPECT_EQ(error, "fusion-no-such-program: No such file or directory");
}

TEST(ParallelForEach, RunsEveryItemOnceOnBoundedThreads) {
  std::vector<std::atomic<int>> seen(100);
  std::atomic<int> running{0}, most{0};
  parallel_for_each(seen.size(), 4, [&](size_t i) {
    int now = ++running;
    int prev = most.load();
    while (now > prev && !most.compare_exchange_weak(prev, now)) {
    }
    ++seen[i];
    --running;
  });
  for (auto& s : seen) EXPECT_EQ(s.load(), 1);
  EXPECT_LE(most.load(), 4);
}

}  // namespace
}  // namespace fusion
