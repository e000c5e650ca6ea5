#pragma once
// The synthetic registries the benchmarks share.

#include <fmt/format.h>

#include <string>

namespace fusion::bench {

/// A registry shaped like a real one: phases, dependencies on earlier services (so the graph is
/// a DAG with long paths), health checks, env with secrets and interpolation, networks, profiles.
inline std::string synthetic_registry(int services) {
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

}  // namespace fusion::bench
