#include "generate/generators.h"

#include <algorithm>

#include "generate/compose.h"
#include "generate/env_example.h"
#include "generate/inventory.h"
#include "generate/kubernetes.h"

namespace fusion {

const std::vector<Generator>& generators() {
  static const std::vector<Generator> table = {
      {"compose", "compose files, one per group, and a way to run them together", "compose/",
       [](const GenerateContext& ctx, const GenerateOptions& o) -> Result<FileSet> {
         return generate_compose(ctx, {.single = o.single_compose});
       }},
      {"kubernetes", "a kustomize layout: base, profile components, a local overlay", "kubernetes/",
       [](const GenerateContext& ctx, const GenerateOptions&) -> Result<FileSet> {
         return generate_kubernetes(ctx);
       }},
      {"env", ".env.example: every variable the stack reads", ".env.example",
       [](const GenerateContext& ctx, const GenerateOptions& o) {
         return generate_env_example(ctx, o.templates);
       }},
      {"inventory", "SERVICES.md: a table of services and the dependency graph", "SERVICES.md",
       [](const GenerateContext& ctx, const GenerateOptions& o) {
         return generate_inventory(ctx, o.templates);
       }},
  };
  return table;
}

Result<FileSet> run_generators(const GenerateContext& ctx, const GenerateOptions& options,
                               const std::vector<std::string>& names) {
  FileSet all;
  for (const Generator& g : generators()) {
    if (!names.empty() && std::find(names.begin(), names.end(), g.name) == names.end()) continue;
    auto files = g.run(ctx, options);
    if (!files) return Error{std::string(g.name) + ": " + files.error()};
    all.merge(std::move(files).value());
  }
  return all;
}

}  // namespace fusion
