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
#include "synthetic_registry.h"

namespace {

/// The YAML parse alone: fusion's libyaml-backed tree, and the peer it replaced, yaml-cpp.
template <auto parse>
void BM_Parse(benchmark::State& state) {
  std::string text = fusion::bench::synthetic_registry(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(parse(text));
  state.SetComplexityN(state.range(0));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
auto parse_yaml_tree(const std::string& text) { return fusion::YamlDocument::parse(text); }
auto parse_yaml_cpp_peer(const std::string& text) { return YAML::Load(text); }

void BM_LoadValidatePlan(benchmark::State& state) {
  std::string text = fusion::bench::synthetic_registry(static_cast<int>(state.range(0)));
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
