// Generation of every output (compose files, the kustomize layout, .env.example, SERVICES.md)
// for synthetic registries of 50, 1,000 and 10,000 services, and, in the same run, the time
// Debian's docker-compose 1.29 takes just to read back the generated single file of 50
// services (`config -q`): the ratio is the figure.
// Targets (issue 3): all outputs for 50 services <= 20 ms; 10,000 <= 2 s, growing linearly.
//
//   build/bench/generate_bench [--benchmark_filter=...]   (a filter skips the peer)

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "cli/session.h"
#include "generate/generators.h"
#include "generate/output_folder.h"
#include "generate/secrets.h"
#include "synthetic_registry.h"
#include "util/file.h"
#include "util/subprocess.h"

namespace {

namespace fs = std::filesystem;

struct Loaded {
  fusion::CheckedRegistry checked;
  fusion::GenerateContext ctx;
};

std::unique_ptr<Loaded> load(int services, const fs::path& output) {
  auto loaded = std::make_unique<Loaded>();
  loaded->checked.path = fs::temp_directory_path() / "fusion.yaml";
  fusion::check_registry_text(loaded->checked, fusion::bench::synthetic_registry(services), nullptr,
                              {});
  if (loaded->checked.diagnostics.has_errors()) return nullptr;
  loaded->ctx =
      *fusion::make_generate_context(loaded->checked.registry, fs::temp_directory_path(), output);
  return loaded;
}

fusion::FileSet generate_all(const fusion::GenerateContext& ctx, bool single) {
  fusion::GenerateOptions options;
  options.single_compose = single;
  return *fusion::run_generators(ctx, options);
}

void BM_GenerateAll(benchmark::State& state) {
  auto loaded = load(static_cast<int>(state.range(0)), "/tmp/out");
  if (!loaded) return state.SkipWithError("the synthetic registry does not validate");
  size_t bytes = 0, files = 0;
  for (auto _ : state) {
    fusion::FileSet all = generate_all(loaded->ctx, false);
    files = all.size();
    bytes = 0;
    for (const auto& [path, content] : all) bytes += content.size();
    benchmark::DoNotOptimize(all);
  }
  state.SetComplexityN(state.range(0));
  state.counters["files"] = static_cast<double>(files);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}

/// Each generator alone, to see where the time goes.
void BM_Generator(benchmark::State& state) {
  const fusion::Generator& g = fusion::generators()[static_cast<size_t>(state.range(0))];
  state.SetLabel(std::string(g.name));
  auto loaded = load(static_cast<int>(state.range(1)), "/tmp/out");
  if (!loaded) return state.SkipWithError("the synthetic registry does not validate");
  fusion::GenerateOptions options;
  for (auto _ : state) benchmark::DoNotOptimize(g.run(loaded->ctx, options));
}

/// `fusion generate` when nothing changed: generate, then compare with every file on disk.
void BM_RegenerateUnchanged(benchmark::State& state) {
  fs::path out = fs::temp_directory_path() / fmt::format("fusion-bench-{}", ::getpid());
  fs::remove_all(out);
  auto loaded = load(static_cast<int>(state.range(0)), out);
  if (!loaded) return state.SkipWithError("the synthetic registry does not validate");
  fusion::OutputFolder folder(out);
  (void)folder.apply(folder.plan(generate_all(loaded->ctx, false)));
  for (auto _ : state) {
    fusion::OutputPlan plan = folder.plan(generate_all(loaded->ctx, false));
    if (!plan.changes.empty()) state.SkipWithError("a second run changed files");
  }
  state.SetComplexityN(state.range(0));
  fs::remove_all(out);
}

BENCHMARK(BM_GenerateAll)
    ->Arg(50)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);
BENCHMARK(BM_Generator)->ArgsProduct({{0, 1, 2, 3}, {1000}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RegenerateUnchanged)->Arg(50)->Arg(1000)->Unit(benchmark::kMillisecond);

double median_ms(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

/// fusion's generation of 50 services against docker-compose reading back its result.
void compare_with_docker_compose() {
  fs::path out = fs::temp_directory_path() / fmt::format("fusion-bench-peer-{}", ::getpid());
  fs::remove_all(out);
  auto loaded = load(50, out);
  std::vector<double> fusion_ms, peer_ms;
  for (int i = 0; i < 21; ++i) {
    auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(generate_all(loaded->ctx, true));
    fusion_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  fusion::OutputFolder folder(out);
  (void)folder.apply(folder.plan(generate_all(loaded->ctx, true)));
  fusion::SecretStore secrets;
  for (const std::string& name : fusion::secrets_used(loaded->checked.registry)) {
    secrets[name] = "x";
  }
  fs::create_directories(out / "compose/secrets");
  for (const fusion::Service& s : loaded->checked.registry.services) {
    std::string env = fusion::render_service_secrets(s, secrets);
    if (!env.empty())
      (void)fusion::write_file_atomically(out / "compose/secrets" / (s.name.value + ".env"), env);
  }
  fusion::SystemProcessRunner runner;
  for (int i = 0; i < 5; ++i) {
    auto start = std::chrono::steady_clock::now();
    fusion::ProcessResult r = runner.run(
        {.argv = {"docker-compose", "-f", "compose.yaml", "config", "-q"}, .cwd = out / "compose"});
    if (!r.ok()) {
      fmt::print("docker-compose config failed: {}{}\n", r.out, r.err);
      return;
    }
    peer_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  double ours = median_ms(fusion_ms), peer = median_ms(peer_ms);
  fmt::print(
      "\n50 services, single compose file (median):\n"
      "  fusion: generate every output          {:8.2f} ms\n"
      "  docker-compose 1.29: config -q on it   {:8.2f} ms\n"
      "  ratio (docker-compose / fusion)        {:8.1f}x\n",
      ours, peer, peer / ours);
  fs::remove_all(out);
}

}  // namespace

int main(int argc, char** argv) {
  bool filtered = std::any_of(argv, argv + argc, [](const char* arg) {
    return std::string_view(arg).starts_with("--benchmark_filter");
  });
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (!filtered) compare_with_docker_compose();  // the peer runs with the full set only
  return 0;
}
