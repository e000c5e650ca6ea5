// libFuzzer target: any bytes as one or two compose files (split at a line "#override") through
// merging and import. The registry text an import writes must always read back as YAML, and
// whenever it validates, the compose generated from it must too. No crash, hang or sanitizer
// report allowed.

#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/session.h"
#include "generate/generators.h"
#include "importer/compose_import.h"
#include "registry/yaml_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<fusion::ComposeFileText> files;
  const std::string marker = "\n#override\n";
  size_t split = input.find(marker);
  files.push_back({"compose.yaml", input.substr(0, split)});
  if (split != std::string::npos)
    files.push_back({"override.yaml", input.substr(split + marker.size())});
  auto merged = fusion::merge_compose_files(files);
  if (!merged) return 0;
  fusion::ImportOptions options;
  options.compose_dir = "/work/app";
  options.registry_dir = "/work/app";
  fusion::ImportResult result = fusion::import_compose(*merged, options);
  auto reread = fusion::YamlDocument::parse(result.registry_text);
  if (!std::holds_alternative<fusion::YamlDocument>(reread)) __builtin_trap();
  fusion::CheckedRegistry checked;
  checked.path = "/work/app/fusion.yaml";
  fusion::check_registry_text(checked, result.registry_text, nullptr, {});
  if (checked.diagnostics.has_errors()) return 0;
  auto ctx = fusion::make_generate_context(checked.registry, "/work/app", "/work/app/generated");
  if (!ctx) return 0;
  auto generated = fusion::run_generators(*ctx, {}, {"compose"});
  if (!generated) return 0;
  for (const auto& [path, content] : *generated) {
    if (!path.ends_with(".yaml")) continue;
    if (!std::holds_alternative<fusion::YamlDocument>(fusion::YamlDocument::parse(content))) {
      __builtin_trap();
    }
  }
  return 0;
}
