// Cold `fusion up` makespan on real podman for stacks of N services (default 6, 20, 50) with a
// known dependency graph and known health delays, against
//   - the critical path of that graph: the health delays alone, and the delays plus the
//     per-container start cost measured in the same run (create + start + first probe);
//   - podman-compose 1.0 (Debian's) on the equivalent compose file, timed until every service
//     accepts connections (it ignores `condition: service_healthy` and starts in order);
//   - docker-compose 1.29 (Debian's) on the same file through podman's Docker-compatible socket,
//     with a ticker running every container's healthcheck each `interval` (1 s), as an engine
//     would (podman runs none without systemd), also timed until every service accepts
//     connections;
// then a no-op `up` of the running stack (goal <= 0.5 s for 50 services).
// Goal (issue 4): makespan <= critical path + 5 %; >= 2x faster than peers that start serially.
// "crit.+start cost" is the critical path where each service costs its delay plus the start cost
// measured for it in this run: the makespan a scheduler with zero latency would reach, so the
// ratio is fusion's own scheduling overhead.
//
// Every service runs the offline busybox base (scripts/busybox-image): it sleeps its delay,
// then listens on 8080; health is `tcp: 8080`. Service i of layer L depends (healthy) on one or
// two services of layer L-1, so the graph has N/width layers.
//
//   CONTAINERS_CONF=build/containers.conf build/bench/up_bench [N…]

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <thread>

#include "cli/session.h"
#include "graph/service_graph.h"
#include "runtime/podman.h"
#include "runtime/stack_down.h"
#include "runtime/stack_up.h"
#include "util/file.h"
#include "util/parallel.h"
#include "util/strings.h"

namespace fs = std::filesystem;
using namespace fusion;

namespace {

constexpr size_t kLayerWidth = 5;
SystemProcessRunner processes;

Millis delay_of(size_t i) { return Millis(200 * (1 + (i * 37) % 5)); }  // 0.2 … 1.0 s

std::vector<size_t> deps_of(size_t i) {
  if (i < kLayerWidth) return {};
  size_t prev = (i / kLayerWidth - 1) * kLayerWidth;
  std::vector<size_t> deps = {prev + i % kLayerWidth};
  if (i % 2 == 0) deps.push_back(prev + (i + 2) % kLayerWidth);
  return deps;
}

std::string name_of(size_t i) { return fmt::format("s{:02}", i); }

std::string command_of(size_t i) {
  return fmt::format(
      "sleep {:.1f}; mkdir -p /www; echo ok > /www/index.html; exec httpd -f -p 8080 -h /www",
      static_cast<double>(delay_of(i).count()) / 1000);
}

std::string registry_yaml(const std::string& stack, size_t n) {
  std::string y = fmt::format("version: 1\nname: {}\nservices:\n", stack);
  for (size_t i = 0; i < n; ++i) {
    y += fmt::format("  {}:\n    image: localhost/fusion-busybox:latest\n", name_of(i));
    y += fmt::format("    command: [sh, -c, \"{}\"]\n    ports: [\"8080\"]\n", command_of(i));
    y += "    health: { tcp: 8080, interval: 1s, retries: 30 }\n";
    std::vector<std::string> deps;
    for (size_t d : deps_of(i)) deps.push_back(name_of(d) + ": healthy");
    if (!deps.empty()) y += fmt::format("    depends_on: {{ {} }}\n", fmt::join(deps, ", "));
  }
  return y;
}

std::string compose_yaml(size_t n) {
  std::string y = "services:\n";
  for (size_t i = 0; i < n; ++i) {
    y += fmt::format("  {}:\n    image: localhost/fusion-busybox:latest\n", name_of(i));
    y += fmt::format("    command: [sh, -c, \"{}\"]\n", command_of(i));
    y += "    healthcheck: { test: [CMD-SHELL, \"wget -q -O /dev/null http://127.0.0.1:8080/\"], "
         "interval: 1s }\n";
    std::vector<size_t> deps = deps_of(i);
    if (deps.empty()) continue;
    y += "    depends_on:\n";
    for (size_t d : deps)
      y += fmt::format("      {}: {{ condition: service_healthy }}\n", name_of(d));
  }
  return y;
}

/// The longest path through the graph when service i costs its delay plus `start_cost[i]`.
Millis critical_path(size_t n, const std::vector<Millis>& start_cost) {
  std::vector<Millis> ready(n);
  Millis longest{0};
  for (size_t i = 0; i < n; ++i) {
    Millis after{0};
    for (size_t d : deps_of(i)) after = std::max(after, ready[d]);
    ready[i] = after + start_cost[i] + delay_of(i);
    longest = std::max(longest, ready[i]);
  }
  return longest;
}

double secs(Millis d) { return static_cast<double>(d.count()) / 1000; }
Millis since(TimePoint t) {
  return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - t);
}

struct FusionRun {
  Millis makespan{0}, noop{0};
  std::vector<Millis> start_cost;  ///< by service: ready - started - delay, as measured
};

FusionRun run_fusion(const fs::path& dir, const std::string& stack, size_t n) {
  CheckedRegistry checked;
  checked.path = dir / "fusion.yaml";
  check_registry_text(checked, registry_yaml(stack, n), nullptr, {});
  if (checked.diagnostics.has_errors()) throw std::runtime_error("bench registry is invalid");
  RunContext ctx{&checked.registry, dir, {}, nullptr, {}, {}};
  PodmanRuntime podman(processes);
  RuntimeProber prober(podman);
  SteadyClock clock;
  ServiceGraph graph(checked.registry);
  auto up_once = [&] {
    auto prepared = prepare_up(ctx, graph, podman, dir / ".fusion/cache");
    if (!prepared) throw std::runtime_error(prepared.error());
    auto outcome = run_up(ctx, *prepared, up_tasks(checked.registry, graph, *prepared), podman,
                          prober, clock, {.max_builds = 2});
    if (!outcome || !outcome->ok()) throw std::runtime_error("fusion up failed");
    return std::move(outcome).value();
  };
  FusionRun run;
  TimePoint begin = clock.now();
  UpOutcome cold = up_once();
  run.makespan = since(begin);
  run.start_cost.resize(n);  // what podman (create, start) and the probing add to each delay
  for (size_t t = 0; t < n; ++t) {
    size_t i = std::stoul(cold.tasks[t].name.substr(1));
    run.start_cost[i] =
        std::chrono::duration_cast<Millis>(cold.ready_at[t] - cold.started_at[t]) - delay_of(i);
  }
  TimePoint noop_begin = clock.now();
  up_once();
  run.noop = since(noop_begin);
  (void)stack_down(checked.registry, podman, true);
  return run;
}

/// Until the `n` containers carrying `label=project` all accept connections on 8080.
void wait_until_serving(const std::string& label, const std::string& project, size_t n,
                        TimePoint begin) {
  PodmanRuntime podman(processes);
  for (;;) {
    auto all = podman.containers_labelled(label, project);
    size_t ready = 0;
    for (const ContainerInfo& c : all ? *all : std::vector<ContainerInfo>{}) {
      if (c.ip_addresses.empty()) continue;
      auto r = probe_tcp(c.ip_addresses.begin()->second, 8080, Millis{200});
      ready += r.verdict == ProbeResult::kPass;
    }
    if (ready == n) return;
    if (since(begin) > Millis{300'000}) throw std::runtime_error(project + ": timed out");
  }
}

/// podman-compose up -d, then until every service's port accepts connections.
Millis run_podman_compose(const fs::path& dir, const std::string& project, size_t n) {
  if (!write_file_atomically(dir / "compose.yaml", compose_yaml(n)).ok()) return Millis{0};
  TimePoint begin = std::chrono::steady_clock::now();
  ProcessResult up = processes.run(
      {.argv = {"podman-compose", "-p", project, "-f", "compose.yaml", "up", "-d"}, .cwd = dir});
  if (!up.ok()) throw std::runtime_error("podman-compose up failed: " + up.last_line());
  wait_until_serving("io.podman.compose.project", project, n, begin);
  Millis took = since(begin);
  processes.run({.argv = {"podman-compose", "-p", project, "-f", "compose.yaml", "down", "-t", "1"},
                 .cwd = dir});
  processes.run({.argv = {"podman", "network", "rm", project + "_default"}});  // 1.0 leaves it
  return took;
}

/// Runs every running container's healthcheck of `project` each second, as an engine would.
std::jthread health_ticker(const std::string& project) {
  return std::jthread([project](std::stop_token stop) {
    while (!stop.stop_requested()) {
      TimePoint tick = std::chrono::steady_clock::now();
      std::string ids = processes
                            .run({.argv = {"podman", "ps", "-q", "--filter",
                                           "label=com.docker.compose.project=" + project}})
                            .out;
      std::vector<std::string> list;
      for (std::string_view id : split(ids, '\n')) {
        if (!id.empty()) list.emplace_back(id);
      }
      parallel_for_each(list.size(), 8, [&](size_t i) {
        processes.run({.argv = {"podman", "healthcheck", "run", list[i]}});
      });
      std::this_thread::sleep_until(tick + std::chrono::seconds(1));
    }
  });
}

/// docker-compose up -d through podman's Docker socket, then until every service serves.
Millis run_docker_compose(const fs::path& dir, const std::string& project, size_t n,
                          const std::string& socket) {
  std::vector<std::pair<std::string, std::string>> env = {{"DOCKER_HOST", "unix://" + socket}};
  std::jthread ticker = health_ticker(project);
  TimePoint begin = std::chrono::steady_clock::now();
  ProcessResult up =
      processes.run({.argv = {"docker-compose", "-p", project, "-f", "compose.yaml", "up", "-d"},
                     .cwd = dir,
                     .env = env,
                     .merge_stderr = true});
  if (!up.ok()) throw std::runtime_error("docker-compose up failed: " + up.last_line());
  wait_until_serving("com.docker.compose.project", project, n, begin);
  Millis took = since(begin);
  ticker.request_stop();
  processes.run({.argv = {"docker-compose", "-p", project, "-f", "compose.yaml", "down", "-t", "1"},
                 .cwd = dir,
                 .env = env});
  return took;
}

/// `podman system service` on a socket of its own for as long as it lives.
class DockerSocket {
 public:
  DockerSocket() : path_(fmt::format("/tmp/fusion-up-bench-{}.sock", getpid())) {
    pid_ = processes
               .run({.argv = {"sh", "-c",
                              fmt::format("podman system service --time=0 unix://{} >/dev/null "
                                          "2>&1 & echo $!",
                                          path_)}})
               .out;
    for (int i = 0; i < 100 && !fs::exists(path_); ++i) {
      std::this_thread::sleep_for(Millis{50});
    }
  }
  ~DockerSocket() {
    processes.run({.argv = {"kill", pid_.substr(0, pid_.find('\n'))}});
    fs::remove(path_);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_, pid_;
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<size_t> sizes = {6, 20, 50};
  if (argc > 1) sizes.clear();
  for (int a = 1; a < argc; ++a) sizes.push_back(std::stoul(argv[a]));
  ProcessResult base = processes.run({.argv = {"scripts/busybox-image"}, .merge_stderr = true});
  if (!base.ok()) {
    fmt::print(stderr, "run from the repository root: {}\n", base.out);
    return 1;
  }
  DockerSocket socket;
  fmt::print("{:>4}  {:>8}  {:>11}  {:>16}  {:>6}  {:>14}  {:>9}  {:>14}  {:>9}  {:>6}\n", "N",
             "fusion", "crit.delays", "crit.+start cost", "ratio", "podman-compose", "vs fusion",
             "docker-compose", "vs fusion", "no-op");
  for (size_t n : sizes) {
    fs::path dir = fs::temp_directory_path() / fmt::format("fusion-up-bench-{}-{}", getpid(), n);
    fs::create_directories(dir);
    std::string stack = fmt::format("upbench{}", n);
    FusionRun f = run_fusion(dir, stack, n);
    Millis crit = critical_path(n, std::vector<Millis>(n));
    Millis crit_with_start = critical_path(n, f.start_cost);
    std::vector<Millis> costs = f.start_cost;
    std::sort(costs.begin(), costs.end());
    Millis podman_compose = run_podman_compose(dir, stack + "pc", n);
    Millis docker_compose = run_docker_compose(dir, stack + "dc", n, socket.path());
    fmt::print(
        "{:>4}  {:>7.2f}s  {:>10.2f}s  {:>15.2f}s  {:>5.3f}x  {:>13.2f}s  {:>8.2f}x  {:>13.2f}s  "
        "{:>8.2f}x  {:>5.2f}s\n",
        n, secs(f.makespan), secs(crit), secs(crit_with_start),
        secs(f.makespan) / secs(crit_with_start), secs(podman_compose),
        secs(podman_compose) / secs(f.makespan), secs(docker_compose),
        secs(docker_compose) / secs(f.makespan), secs(f.noop));
    fmt::print(
        "      start cost per service (podman create + start, probing): median {} ms, "
        "max {} ms\n",
        costs[n / 2].count(), costs.back().count());
    fs::remove_all(dir);
  }
}
