#include "runtime/stack_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/file.h"

namespace fusion {
namespace {

std::filesystem::path temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "fusion-lock-XXXXXX").string();
  return mkdtemp(pattern.data());
}

TEST(StackLockTest, ASecondHolderIsToldWhoHasItAndGetsItOnceReleased) {
  std::filesystem::path dir = temp_dir();
  auto acquired = StackLock::acquire(dir, "pid 1: fusion up", false, {});
  ASSERT_TRUE(acquired) << acquired.error();
  std::unique_ptr<StackLock> first = std::move(acquired).value();
  // flock locks belong to the open file description: a child process contends like another run.
  pid_t child = fork();
  if (child == 0) {
    auto busy = StackLock::acquire(dir, "pid 2: fusion down", false, {});
    bool ok = !busy && busy.error().find("pid 1: fusion up holds") != std::string::npos;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  // The one refused left the holder's text for the next one's message.
  EXPECT_EQ(*read_file(dir / "stack.lock"), "pid 1: fusion up\n");
  first.reset();
  auto second = StackLock::acquire(dir, "pid 2: fusion down", false, {});
  EXPECT_TRUE(second) << second.error();
  EXPECT_EQ(*read_file(dir / "stack.lock"), "pid 2: fusion down\n");
  std::filesystem::remove_all(dir);
}

TEST(StackLockTest, ADeadHolderLeavesNoLock) {
  std::filesystem::path dir = temp_dir();
  pid_t child = fork();
  if (child == 0) {
    auto held = StackLock::acquire(dir, "pid x: fusion up", false, {});
    _exit(held ? 0 : 1);  // dies holding it: the kernel releases it
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto next = StackLock::acquire(dir, "pid y: fusion up", false, {});
  EXPECT_TRUE(next) << next.error();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fusion
