// Server-side apply and list against the real API server of scripts/kube-cluster, fusion's client
// against `kubectl apply --server-side` on the same objects, in one run:
//   1,000 ConfigMaps and 100 Deployments, cold (created) and warm (unchanged);
//   a list of 5,000 objects; the client's memory.
// Usage: eval $(scripts/kube-cluster env); build/bench/kube_apply_bench
// Goals (issue 13): faster than kubectl; a warm no-change apply of 1,000 objects <= 1 s.

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "kube/apply_batch.h"
#include "kube/kube_session.h"
#include "util/subprocess.h"

namespace fusion {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long rss_kib(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  return -1;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

nlohmann::json config_map(const std::string& ns, int i) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata",
           {{"name", fmt::format("cm-{:04}", i)},
            {"namespace", ns},
            {"labels", {{"bench", "fusion"}}}}},
          {"data", {{"index", std::to_string(i)}, {"payload", std::string(200, 'x')}}}};
}

nlohmann::json deployment(const std::string& ns, int i) {
  std::string name = fmt::format("web-{:03}", i);
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", name}, {"namespace", ns}, {"labels", {{"bench", "fusion"}}}}},
          {"spec",
           {{"replicas", 0},  // real objects, no pods: 100 pods would measure the kubelet
            {"selector", {{"matchLabels", {{"app", name}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", name}}}}},
              {"spec",
               {{"containers",
                 {{{"name", "web"},
                   {"image", "fusion.local/busybox:1.35"},
                   {"ports", {{{"containerPort", 8080}, {"protocol", "TCP"}}}},
                   {"env", {{{"name", "INDEX"}, {"value", std::to_string(i)}}}}}}}}}}}}}};
}

struct Peer {
  ProcessRunner& runner;
  double apply(const std::vector<nlohmann::json>& objects, const std::string& file) {
    {
      std::ofstream out(file);
      for (const nlohmann::json& object : objects) out << "---\n" << object.dump() << "\n";
    }
    auto start = Clock::now();
    ProcessResult result = runner.run({.argv = {"kubectl", "apply", "--server-side",
                                                "--field-manager=kubectl-bench", "-f", file}});
    double elapsed = seconds_since(start);
    if (!result.ok()) fmt::print(stderr, "kubectl apply failed: {}\n", result.last_line());
    return elapsed;
  }
};

void recreate_namespace(KubeClient& client, const std::string& ns) {
  client.remove({"v1", "Namespace", "", ns});
  for (int i = 0; i < 600 && client.get({"v1", "Namespace", "", ns}).ok(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  client.apply({{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}});
}

void report(const char* what, double fusion_s, double kubectl_s) {
  fmt::print("{:<44} fusion {:7.3f} s   kubectl {:7.3f} s   kubectl/fusion {:5.1f}x\n", what,
             fusion_s, kubectl_s, kubectl_s / fusion_s);
}

void bench_kind(KubeClient& client, Peer& peer, const char* label, int count,
                nlohmann::json (*make)(const std::string&, int)) {
  std::string ours = "fusion-bench", theirs = "fusion-bench-kubectl";
  recreate_namespace(client, ours);
  recreate_namespace(client, theirs);
  std::vector<nlohmann::json> mine, peers;
  for (int i = 0; i < count; ++i) {
    mine.push_back(make(ours, i));
    peers.push_back(make(theirs, i));
  }
  AppliedState state;
  auto start = Clock::now();
  BatchApplyResult cold = apply_all(client, mine, {}, 8, &state);
  double fusion_cold = seconds_since(start);
  double kubectl_cold = peer.apply(peers, "/tmp/fusion-bench-objects.yaml");
  report(fmt::format("{} {} cold (created)", count, label).c_str(), fusion_cold, kubectl_cold);
  if (!cold.errors.empty())
    fmt::print("  {} errors, first: {}\n", cold.errors.size(), cold.errors[0].second.describe());

  start = Clock::now();
  BatchApplyResult sent = apply_all(client, mine, {}, 8);
  double fusion_sent = seconds_since(start);
  start = Clock::now();
  BatchApplyResult warm = apply_all(client, mine, {}, 8, &state);
  double fusion_warm = seconds_since(start);
  double kubectl_warm = peer.apply(peers, "/tmp/fusion-bench-objects.yaml");
  report(fmt::format("{} {} warm, every object sent", count, label).c_str(), fusion_sent,
         kubectl_warm);
  report(fmt::format("{} {} warm, unchanged skipped", count, label).c_str(), fusion_warm,
         kubectl_warm);
  fmt::print("  warm: {} sent ({} errors); with the applied state {} skipped, {} sent\n",
             sent.applied + sent.unchanged, sent.errors.size(), warm.skipped,
             warm.applied + warm.unchanged);
}

int run() {
  SystemProcessRunner runner;
  Result<std::unique_ptr<KubeSession>> session = open_kube_session({}, runner);
  if (!session.ok()) {
    fmt::print(stderr,
               "kube_apply_bench: {} (start the test cluster: scripts/kube-cluster start)\n",
               session.error());
    return 1;
  }
  KubeClient& client = *session.value()->client;
  KubeResult<nlohmann::json> version = client.get_path("/version");
  if (!version.ok()) {
    fmt::print(stderr, "kube_apply_bench: {}\n", version.error().describe());
    return 1;
  }
  long rss_start = rss_kib("VmRSS:");
  fmt::print("API server {} at {}; 8 requests in flight; kubectl {}\n",
             version.value()["gitVersion"].get<std::string>(), session.value()->connection.server,
             first_line(runner.run({.argv = {"kubectl", "version", "--client"}}).out));
  Peer peer{runner};
  bench_kind(client, peer, "ConfigMaps", 1000, config_map);
  bench_kind(client, peer, "Deployments", 100, deployment);

  // A list of 5,000 objects.
  std::vector<nlohmann::json> many;
  for (int i = 0; i < 5000; ++i) many.push_back(config_map("fusion-bench", i));
  apply_all(client, many, {}, 8);
  auto start = Clock::now();
  KubeResult<ObjectList> list =
      client.list("v1", "ConfigMap", "fusion-bench", {.label_selector = "bench=fusion"});
  double fusion_list = seconds_since(start);
  start = Clock::now();
  ProcessResult kubectl_list =
      runner.run({.argv = {"kubectl", "get", "configmaps", "-n", "fusion-bench", "-l",
                           "bench=fusion", "-o", "json"}});
  double kubectl_list_s = seconds_since(start);
  report(fmt::format("list of {} ConfigMaps ({} pages)", list.ok() ? list->items.size() : 0,
                     list.ok() ? list->pages : 0)
             .c_str(),
         fusion_list, kubectl_list_s);
  fmt::print("client memory: {} MiB RSS at start, {} MiB now, {} MiB peak (5,000 objects held)\n",
             rss_start / 1024, rss_kib("VmRSS:") / 1024, rss_kib("VmHWM:") / 1024);
  client.remove({"v1", "Namespace", "", "fusion-bench"});
  client.remove({"v1", "Namespace", "", "fusion-bench-kubectl"});
  return 0;
}

}  // namespace
}  // namespace fusion

int main() { return fusion::run(); }
