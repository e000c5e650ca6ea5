// `fusion up --target kubernetes` against the real cluster of scripts/kube-cluster, in one run:
//   a cold up of a layered stack (5 layers of 10 services, each waiting for one of the layer
//   before to be healthy): its makespan, and the stack's critical path (the longest chain of
//   each service's own start-to-ready time, from fusion's --json events);
//   the peer a user would script: `kubectl apply -k` of the generated base, then `kubectl
//   rollout status` per service in dependency order;
//   a no-op up of the 50 services (goal <= 1 s).
// Usage: eval $(scripts/kube-cluster env); build/bench/kube_up_bench [SERVICES]
// Needs podman's localhost/fusion-busybox (scripts/busybox-image).

#include <fmt/format.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/file.h"
#include "util/strings.h"
#include "util/subprocess.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kLayers = 5;
constexpr const char* kImage = "localhost/fusion-busybox:bench";

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int layer_of(int i, int count) { return i * kLayers / count; }

/// svc-i waits for the first service of the layer before to be healthy.
std::string stack_yaml(const std::string& name, int count) {
  std::string out = fmt::format("version: 1\nname: {}\nservices:\n", name);
  for (int i = 0; i < count; ++i) {
    out += fmt::format(
        "  svc-{}:\n    image: {}\n    command: [sh, -c, \"mkdir -p /tmp/w && echo ok > "
        "/tmp/w/index.html && exec httpd -f -p 80 -h /tmp/w\"]\n    ports: [\"80\"]\n"
        "    stop_grace_period: 1s\n    health: {{ http: /, port: 80, interval: 1s, retries: 120 "
        "}}\n",
        i, kImage);
    if (int layer = layer_of(i, count); layer > 0) {
      int before = 0;
      while (layer_of(before, count) < layer - 1) ++before;
      out += fmt::format("    depends_on: {{ svc-{}: healthy }}\n", before);
    }
  }
  return out;
}

struct Run {
  ProcessResult result;
  double seconds = 0;
};

Run run(ProcessRunner& runner, std::vector<std::string> argv, const fs::path& cwd) {
  auto start = Clock::now();
  ProcessResult r = runner.run({.argv = std::move(argv), .cwd = cwd, .merge_stderr = true});
  return {r, seconds_since(start)};
}

void must(const Run& r, const std::string& what) {
  if (r.result.ok()) return;
  fmt::print(stderr, "{} failed ({}):\n{}\n", what, r.result.exit_code, r.result.out);
  std::exit(1);
}

/// The longest chain of each service's own start-to-ready time, from --json events.
double critical_path(const std::string& events, int count) {
  std::map<std::string, double> started, ready;
  for (std::string_view line : split(events, '\n')) {
    auto e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.is_object()) continue;
    std::string state = e.value("state", "");
    if (state == "starting") started[e.value("service", "")] = e.value("time", 0.0);
    if (state == "healthy") ready[e.value("service", "")] = e.value("time", 0.0);
  }
  std::vector<double> finish(static_cast<size_t>(count), 0);
  double longest = 0;
  for (int i = 0; i < count; ++i) {
    std::string name = fmt::format("svc-{}", i);
    double own = ready[name] - started[name];
    double before = 0;
    if (int layer = layer_of(i, count); layer > 0) {
      int dep = 0;
      while (layer_of(dep, count) < layer - 1) ++dep;
      before = finish[static_cast<size_t>(dep)];
    }
    finish[static_cast<size_t>(i)] = before + own;
    longest = std::max(longest, finish[static_cast<size_t>(i)]);
  }
  return longest;
}

int bench(int count) {
  const char* kubeconfig = std::getenv("KUBECONFIG");
  if (!kubeconfig || !std::getenv("FUSION_CONTAINERD_ADDRESS")) {
    fmt::print(stderr, "run `eval $(scripts/kube-cluster env)` first\n");
    return 2;
  }
  SystemProcessRunner runner;
  fs::path fusion = fs::canonical("/proc/self/exe").parent_path().parent_path() / "fusion";
  std::string pattern = (fs::temp_directory_path() / "fusion-kube-up-bench-XXXXXX").string();
  fs::path dir = mkdtemp(pattern.data());
  std::string name = fmt::format("fzbench{}", ::getpid());
  (void)write_file_atomically(dir / "fusion.yaml", stack_yaml(name, count));
  must(run(runner, {"podman", "tag", "localhost/fusion-busybox:latest", kImage}, dir),
       "podman tag");
  must(run(runner, {"podman", "tag", "localhost/fusion-busybox:latest", "busybox:1.36"}, dir),
       "podman tag");

  Run cold = run(runner, {fusion.string(), "up", "--target", "kubernetes", "--json"}, dir);
  must(cold, "cold fusion up");
  double path = critical_path(cold.result.out, count);
  Run noop = run(runner, {fusion.string(), "up", "--target", "kubernetes"}, dir);
  must(noop, "no-op fusion up");
  must(run(runner, {fusion.string(), "down", "--target", "kubernetes"}, dir), "fusion down");

  // The peer, in a namespace of its own, from the files `fusion generate kubernetes` writes.
  must(run(runner, {fusion.string(), "generate", "kubernetes"}, dir), "fusion generate");
  std::string peer_ns = name + "-kubectl";
  must(run(runner, {"kubectl", "create", "namespace", peer_ns}, dir), "kubectl create namespace");
  auto start = Clock::now();
  must(run(runner, {"kubectl", "-n", peer_ns, "apply", "-k", "generated/kubernetes/base"}, dir),
       "kubectl apply -k");
  for (int i = 0; i < count; ++i) {
    must(run(runner,
             {"kubectl", "-n", peer_ns, "rollout", "status", fmt::format("deployment/svc-{}", i),
              "--timeout=600s"},
             dir),
         "kubectl rollout status");
  }
  double peer = seconds_since(start);
  (void)run(runner, {"kubectl", "delete", "namespace", peer_ns, "--wait=false"}, dir);
  (void)run(runner, {"kubectl", "delete", "namespace", name, "--wait=false"}, dir);
  fs::remove_all(dir);

  fmt::print("{} services in {} layers, each waiting for one of the layer before:\n", count,
             kLayers);
  fmt::print("  fusion up --target kubernetes, cold            {:7.2f} s\n", cold.seconds);
  fmt::print("  its critical path (own start-to-ready chains)  {:7.2f} s\n", path);
  fmt::print("  kubectl apply -k + rollout status in order     {:7.2f} s\n", peer);
  fmt::print("  ratio (kubectl / fusion)                       {:7.2f}x\n", peer / cold.seconds);
  fmt::print("  fusion up, no-op                               {:7.2f} s  (goal <= 1 s)\n",
             noop.seconds);
  return 0;
}

}  // namespace
}  // namespace fusion

int main(int argc, char** argv) { return fusion::bench(argc > 1 ? std::atoi(argv[1]) : 50); }
