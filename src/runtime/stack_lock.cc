#include "runtime/stack_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fusion {
namespace {

std::string read_holder(int fd) {
  std::string text(512, '\0');
  ssize_t n = ::pread(fd, text.data(), text.size(), 0);
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
  return text.empty() ? "another fusion process" : text;
}

int lock_retrying(int fd, int operation) {
  int r;
  do {
    r = ::flock(fd, operation);
  } while (r != 0 && errno == EINTR);
  return r;
}

}  // namespace

Result<std::unique_ptr<StackLock>> StackLock::acquire(
    const std::filesystem::path& dir, const std::string& holder, bool wait,
    const std::function<void(const std::string&)>& on_wait) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::filesystem::path path = dir / "stack.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Error{fmt::format("cannot open {}: {}", path.string(), std::strerror(errno))};
  // Until the lock is ours, the file is another's: a waiter that gives up closes it untouched
  // (the holder's text stays for the next one's message).
  auto give_up = [fd](std::string message) {
    ::close(fd);
    return Error{std::move(message)};
  };
  if (lock_retrying(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      return give_up(fmt::format("cannot lock {}: {}", path.string(), std::strerror(errno)));
    }
    std::string who = read_holder(fd);
    if (!wait) {
      return give_up(
          fmt::format("the stack is busy: {} holds {}; try again when it is done "
                      "(without --no-wait, fusion waits for it)",
                      who, path.string()));
    }
    if (on_wait) on_wait(who);
    if (lock_retrying(fd, LOCK_EX) != 0) {
      return give_up(fmt::format("cannot lock {}: {}", path.string(), std::strerror(errno)));
    }
  }
  std::unique_ptr<StackLock> lock(new StackLock(fd));
  std::string text = holder + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return Error{fmt::format("cannot write {}: {}", path.string(), std::strerror(errno))};
  }
  return lock;
}

StackLock::~StackLock() {
  if (::ftruncate(fd_, 0) != 0) {
    // The holder text is only for messages; the lock itself goes with the descriptor.
  }
  ::close(fd_);
}

}  // namespace fusion
