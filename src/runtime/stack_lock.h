#pragma once
// One writer per stack: `up`, `down` and `restart` hold an exclusive flock(2) on
// `.fusion/stack.lock` beside fusion.yaml for as long as they change the stack. The kernel drops
// the lock when its holder exits or dies, so a crash never leaves the stack locked. The file
// holds who has it ("pid 4242: fusion up, since 12:03:07"), for the message the next one prints.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "util/result.h"

namespace fusion {

class StackLock {
 public:
  /// Takes the lock on `dir`/stack.lock (creating `dir`), recording `holder`. When another
  /// process holds it: with `wait`, calls `on_wait(who holds it)` once and blocks until it is
  /// free; without, fails saying who holds it.
  static Result<std::unique_ptr<StackLock>> acquire(
      const std::filesystem::path& dir, const std::string& holder, bool wait,
      const std::function<void(const std::string&)>& on_wait);
  ~StackLock();
  StackLock(const StackLock&) = delete;
  StackLock& operator=(const StackLock&) = delete;

 private:
  explicit StackLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace fusion
