#include "cli/stack_session.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "generate/secrets.h"
#include "runtime/docker.h"
#include "runtime/podman.h"
#include "util/file.h"
#include "util/strings.h"

namespace fusion {

namespace fs = std::filesystem;

namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  for (std::string_view dir : split(path ? path : "", ':')) {
    fs::path candidate = fs::path(std::string(dir)) / program;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return true;
  }
  return false;
}

/// `.env` beside fusion.yaml: NAME=value lines, `#` comments, optional `export `, optional
/// matching quotes around the value.
std::map<std::string, std::string> read_dotenv(const fs::path& file) {
  std::map<std::string, std::string> vars;
  auto text = read_file(file);
  if (!text) return vars;
  for (std::string_view line : split(*text, '\n')) {
    if (line.starts_with("export ")) line.remove_prefix(7);
    size_t eq = line.find('=');
    if (line.empty() || line.front() == '#' || eq == std::string_view::npos) continue;
    std::string value(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    vars[std::string(line.substr(0, eq))] = value;
  }
  return vars;
}

}  // namespace

void RuntimeOption::add_to(CLI::App& app) {
  app.add_option("--runtime", name,
                 "Container engine: podman or docker (default: $FUSION_RUNTIME, "
                 "else podman when installed, else docker)")
      ->check(CLI::IsMember({"podman", "docker"}));
}

Result<std::unique_ptr<ContainerRuntime>> RuntimeOption::make(ProcessRunner& runner) const {
  std::string chosen = name;
  if (chosen.empty()) {
    const char* env = std::getenv("FUSION_RUNTIME");
    chosen = env && *env ? env : (on_path("podman") ? "podman" : "docker");
  }
  if (chosen == "podman") return std::unique_ptr<ContainerRuntime>(new PodmanRuntime(runner));
  if (chosen == "docker") return std::unique_ptr<ContainerRuntime>(new DockerRuntime(runner));
  return Error{fmt::format("unknown container runtime '{}' (podman or docker)", chosen)};
}

fs::path private_dir(const CheckedRegistry& checked) {
  return fs::absolute(checked.path).parent_path() / ".fusion";
}

Result<RunContext> make_run_context(const CheckedRegistry& checked, Streams& io) {
  RunContext ctx;
  ctx.registry = &checked.registry;
  ctx.registry_dir = fs::absolute(checked.path).parent_path();
  auto secrets = update_secret_store(checked.registry, private_dir(checked));
  if (!secrets) return Error{secrets.error()};
  for (const std::string& name : secrets->created) {
    io.err << fmt::format("created secret {} in {}\n", name,
                          display_path(private_dir(checked) / kSecretStoreFile));
  }
  ctx.secrets = std::move(secrets).value().store;
  auto dotenv =
      std::make_shared<std::map<std::string, std::string>>(read_dotenv(ctx.registry_dir / ".env"));
  ctx.variable = [dotenv](const std::string& var) -> std::optional<std::string> {
    if (const char* value = std::getenv(var.c_str())) return std::string(value);
    auto it = dotenv->find(var);
    return it == dotenv->end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  return ctx;
}

std::unique_ptr<StackLock> lock_stack(const CheckedRegistry& checked, const std::string& command,
                                      bool no_wait, Streams& io) {
  std::time_t now = std::time(nullptr);
  char since[16] = "";
  std::strftime(since, sizeof since, "%H:%M:%S", std::localtime(&now));
  std::string holder = fmt::format("pid {}: fusion {}, since {}", ::getpid(), command, since);
  auto lock =
      StackLock::acquire(private_dir(checked), holder, !no_wait, [&](const std::string& who) {
        io.err << fmt::format("fusion: waiting for the stack: {} (--no-wait to give up instead)\n",
                              who);
        io.err.flush();
      });
  if (!lock) {
    report_error(io, lock.error());
    return nullptr;
  }
  return std::move(lock).value();
}

std::unique_ptr<RunningStack> open_running_stack(const GlobalOptions& global,
                                                 const RuntimeOption& runtime, Streams& io,
                                                 bool list_containers) {
  auto checked = load_valid_registry(global, io);
  if (!checked) return nullptr;
  return open_running_stack(std::move(*checked), runtime, io, list_containers);
}

std::unique_ptr<RunningStack> open_running_stack(CheckedRegistry checked,
                                                 const RuntimeOption& runtime, Streams& io,
                                                 bool list_containers) {
  auto stack = std::make_unique<RunningStack>();
  stack->checked = std::move(checked);
  auto made = runtime.make(stack->processes);
  if (!made) {
    report_error(io, made.error());
    return nullptr;
  }
  stack->runtime = std::move(made).value();
  if (!list_containers) return stack;
  auto containers =
      stack->runtime->containers_labelled(kStackLabel, stack->checked.registry.name.value);
  if (!containers) {
    report_error(io, containers.error());
    return nullptr;
  }
  stack->containers = std::move(containers).value();
  return stack;
}

}  // namespace fusion
