#include "generate/generators.h"

#include "generate/compose.h"
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
  };
  return table;
}

}  // namespace fusion
