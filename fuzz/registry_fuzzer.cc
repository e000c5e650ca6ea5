// libFuzzer target: any bytes as fusion.yaml (and, after a line "#overlay", as fusion.local.yaml)
// through loading, overlay, validation, cycle checks, diagnostics rendering and, when the
// registry is valid, the plan, every graph format and every generator, whose YAML must read
// back. No crash, hang or sanitizer report allowed.

#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/session.h"
#include "generate/generators.h"
#include "graph/plan.h"
#include "graph/render.h"
#include "graph/selection.h"
#include "registry/yaml_tree.h"

namespace {

/// Every generated YAML document must parse: a failure is a bug in the emitter.
void check_generated(const fusion::Registry& registry) {
  auto ctx = fusion::make_generate_context(registry, "/stack", "/stack/generated");
  if (!ctx) return;
  auto files = fusion::run_generators(*ctx, {});
  if (!files) return;
  for (const auto& [path, content] : *files) {
    if (!path.ends_with(".yaml")) continue;
    size_t at = 0;
    while (at <= content.size()) {
      size_t end = content.find("\n---\n", at);
      auto doc = fusion::YamlDocument::parse(std::string_view(content).substr(at, end - at));
      if (!std::holds_alternative<fusion::YamlDocument>(doc)) __builtin_trap();
      if (end == std::string::npos) break;
      at = end + 5;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string overlay;
  const std::string marker = "\n#overlay\n";
  size_t split = input.find(marker);
  if (split != std::string::npos) {
    overlay = input.substr(split + marker.size());
    input.resize(split);
  }
  fusion::CheckedRegistry checked;
  checked.path = "fusion.yaml";
  fusion::check_registry_text(checked, input, split != std::string::npos ? &overlay : nullptr, {});
  std::string text = fusion::render_text(checked.diagnostics, checked.sources, true);
  if (checked.diagnostics.has_errors()) return 0;
  auto selection = fusion::select_services(checked.registry, {}, {"dev"});
  if (!selection) return 0;
  text += fusion::render_plan(fusion::make_plan(checked.registry, *selection), true);
  for (auto format :
       {fusion::GraphFormat::kText, fusion::GraphFormat::kDot, fusion::GraphFormat::kMermaid}) {
    text += fusion::render_graph(checked.registry, *selection, format);
  }
  check_generated(checked.registry);
  return text.empty() ? 1 : 0;
}
