#include "util/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <thread>

extern char** environ;

namespace fusion {

std::string ProcessResult::last_line() const {
  for (const std::string* text : {&err, &out}) {
    size_t end = text->find_last_not_of(" \n\r\t");
    if (end == std::string::npos) continue;
    size_t start = text->rfind('\n', end);
    return text->substr(start == std::string::npos ? 0 : start + 1,
                        end - (start == std::string::npos ? 0 : start + 1) + 1);
  }
  return "";
}

namespace {

/// Our environment with `overrides` applied, as "K=V" strings.
std::vector<std::string> environment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    size_t eq = entry.find('=');
    if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : overrides) vars[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : vars) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

struct Pipe {
  int read = -1, write = -1;
  bool open() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return false;  // never leak into other threads' children
    read = fds[0];
    write = fds[1];
    return true;
  }
  ~Pipe() {
    if (read >= 0) close(read);
    if (write >= 0) close(write);
  }
};

/// Reads both pipes until EOF or the deadline; returns false on timeout.
bool drain(Pipe& out, Pipe* err, ProcessResult& result, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<pollfd> fds = {{out.read, POLLIN, 0}};
  if (err) fds.push_back({err->read, POLLIN, 0});
  std::string* sinks[2] = {&result.out, &result.err};
  size_t open_fds = fds.size();
  char buffer[16384];
  while (open_fds > 0) {
    int wait_ms = -1;
    if (timeout.count() > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      wait_ms = static_cast<int>(left.count());
    }
    if (poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR) return true;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  return true;
}

/// Starts `spec` with `actions` (which set up its stdio; stdin is /dev/null) in its folder and
/// environment, and destroys `actions`. The pid, or 0 with `error` set.
pid_t spawn(const ProcessSpec& spec, posix_spawn_file_actions_t& actions, std::string& error) {
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, spec.cwd.c_str());
  std::vector<std::string> argv = spec.argv;
  std::vector<std::string> env = environment(spec.env);
  std::vector<char*> argv_ptrs = pointers(argv), env_ptrs = pointers(env);
  pid_t pid = 0;
  int spawn_error =
      posix_spawnp(&pid, argv[0].c_str(), &actions, nullptr, argv_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error == 0) return pid;
  error = spec.argv[0] + ": " + std::strerror(spawn_error);
  return 0;
}

}  // namespace

ProcessResult SystemProcessRunner::run(const ProcessSpec& spec) {
  ProcessResult result;
  Pipe out, err;
  if (spec.argv.empty() || !out.open() || (!spec.merge_stderr && !err.open())) {
    result.err = spec.argv.empty() ? "no command" : std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out.write, 1);
  posix_spawn_file_actions_adddup2(&actions, spec.merge_stderr ? out.write : err.write, 2);
  pid_t pid = spawn(spec, actions, result.err);
  close(out.write);
  out.write = -1;
  if (err.write >= 0) close(err.write), err.write = -1;
  if (pid == 0) return result;
  if (!drain(out, spec.merge_stderr ? nullptr : &err, result, spec.timeout)) {
    result.timed_out = true;
    kill(pid, SIGKILL);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

namespace {

class SystemChildProcess : public ChildProcess {
 public:
  explicit SystemChildProcess(pid_t pid) : pid_(pid) {}
  ~SystemChildProcess() override { stop(); }

  bool running() override {
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == 0) return true;
    if (r == pid_) exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    return false;
  }
  int exit_code() const override { return exit_code_; }

  void stop() override {
    if (!running()) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100 && running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!running()) return;
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exit_code_ = 128 + SIGKILL;
    pid_ = -1;
  }

 private:
  pid_t pid_;
  int exit_code_ = -1;
};

}  // namespace

std::unique_ptr<ChildProcess> SystemProcessLauncher::launch(const ProcessSpec& spec,
                                                            const std::filesystem::path& output,
                                                            std::string& error) {
  if (spec.argv.empty()) {
    error = "no command";
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = spawn(spec, actions, error);
  if (pid == 0) return nullptr;
  return std::make_unique<SystemChildProcess>(pid);
}

}  // namespace fusion
