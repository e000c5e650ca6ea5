// Load + validate + plan of synthetic registries of 50, 1,000 and 10,000 services.
// Targets (issue 2): 50 services <= 5 ms, 10,000 <= 1 s, growing linearly (BigO line below).
// The YAML parse alone (yaml-cpp) is measured too, to show how the time splits.
//
//   build/bench/registry_bench [--benchmark_filter=...]

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "cli/session.h"
#include "graph/plan.h"
#include "graph/selection.h"
#include "registry/yaml_tree.h"

namespace {

/// A registry shaped like a real one: phases, dependencies on earlier services (so the graph is
/// a DAG with long paths), health checks, env with secrets and interpolation, networks, profiles.
std::string synthetic_registry(int services) {
  std::string y = "version: 1\nname: bench\ndomain: bench.localhost\n";
  y += "phases:\n  infra: { order: 1, timeout: 90s }\n  data: { order: 2 }\n"
       "  apps: { order: 3, timeout: 300s }\n  edge: { order: 4 }\n";
  y += "networks: { backend: {}, frontend: {} }\nvolumes: { data: {} }\nservices:\n";
  const char* phases[] = {"infra", "data", "apps", "edge"};
  for (int i = 0; i < services; ++i) {
    y += fmt::format("  svc-{}:\n    phase: {}\n    image: registry.example/svc-{}:1.{}.0\n", i,
                     phases[i * 4 / services], i, i % 10);
    y += fmt::format("    ports: [\"{}\"{}]\n", 8000 + i % 1000,
                     i < 40000 ? fmt::format(", \"127.0.0.1:{}:9090\"", 20000 + i) : "");
    y += fmt::format(
        "    env:\n      LOG_LEVEL: ${{LOG_LEVEL:-info}}\n      PEER: http://svc-{}:8080\n"
        "      TOKEN: {{ secret: token-{} }}\n",
        i / 2, i % 7);
    y +=
        fmt::format("    health: {{ http: /healthz, port: {}, interval: 2s, start_period: {}s }}\n",
                    8000 + i % 1000, i % 5);
    y += "    resources: { memory: 256Mi, cpus: 0.5 }\n    networks: [backend, frontend]\n";
    // Depend on earlier services that always run (every tenth one is profile-only).
    auto always_on = [](int j) { return j % 10 == 9 ? j - 1 : j; };
    if (i > 0 && i % 10 != 9) {
      y += fmt::format("    depends_on: {{ svc-{}: healthy{} }}\n", always_on(i - 1),
                       i > 3 && always_on(i / 3) != always_on(i - 1)
                           ? fmt::format(", svc-{}: started", always_on(i / 3))
                           : "");
    }
    if (i % 10 == 9) y += "    profiles: [extra]\n";
  }
  return y;
}

/// The YAML parse alone: fusion's libyaml-backed tree, and the peer it replaced, yaml-cpp.
template <auto parse>
void BM_Parse(benchmark::State& state) {
  std::string text = synthetic_registry(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(parse(text));
  state.SetComplexityN(state.range(0));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
auto parse_yaml_tree(const std::string& text) { return fusion::YamlDocument::parse(text); }
auto parse_yaml_cpp_peer(const std::string& text) { return YAML::Load(text); }

void BM_LoadValidatePlan(benchmark::State& state) {
  std::string text = synthetic_registry(static_cast<int>(state.range(0)));
  size_t planned = 0;
  for (auto _ : state) {
    fusion::CheckedRegistry checked;
    checked.path = "fusion.yaml";
    fusion::check_registry_text(checked, text, nullptr, {});
    if (checked.diagnostics.has_errors()) {
      fmt::print(stderr, "{}",
                 fusion::render_text(checked.diagnostics.items().front(), checked.sources, false));
      state.SkipWithError("the synthetic registry does not validate");
      return;
    }
    auto selection = fusion::select_services(checked.registry, {}, {"extra"});
    planned = fusion::make_plan(checked.registry, *selection).services.size();
    benchmark::DoNotOptimize(planned);
  }
  state.SetComplexityN(state.range(0));
  state.counters["services"] = static_cast<double>(planned);
  state.counters["per_service"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_Parse<parse_yaml_tree>)
    ->Name("BM_ParseYamlTree")
    ->Arg(50)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_Parse<parse_yaml_cpp_peer>)
    ->Name("BM_ParseYamlCppPeer")
    ->Arg(50)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_LoadValidatePlan)
    ->Arg(50)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

}  // namespace

BENCHMARK_MAIN();
