#include "importer/import_repair.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "graph/cycle_check.h"
#include "registry/loader.h"
#include "registry/overlay.h"
#include "registry/validator.h"
#include "registry/yaml_tree.h"

namespace fusion {
namespace {

/// Each service's first and last line in `text`, by name.
std::map<std::string, std::pair<uint32_t, uint32_t>> service_lines(const std::string& text) {
  std::map<std::string, std::pair<uint32_t, uint32_t>> out;
  auto parsed = YamlDocument::parse(text);
  if (!std::holds_alternative<YamlDocument>(parsed)) return out;
  const YamlNode& root = std::get<YamlDocument>(parsed).root();
  if (!root.IsMap()) return out;
  for (size_t i = 0; i < root.entries().size(); ++i) {
    const YamlNode::Entry& top = root.entries()[i];
    if (top.key->Scalar() != "services" || !top.value->IsMap()) continue;
    uint32_t end = i + 1 < root.entries().size() ? root.entries()[i + 1].key->line() : UINT32_MAX;
    const auto& services = top.value->entries();
    for (size_t j = 0; j < services.size(); ++j) {
      uint32_t last = j + 1 < services.size() ? services[j + 1].key->line() - 1 : end - 1;
      out[services[j].key->Scalar()] = {services[j].key->line(), last};
    }
  }
  return out;
}

/// The first error of each service whose lines hold one.
std::map<std::string, std::string> failing_services(const std::string& text) {
  SourceSet sources;
  uint32_t file = sources.add("fusion.yaml", text);
  Diagnostics diagnostics;
  std::optional<Registry> registry = load_checked(sources, file, diagnostics);
  std::map<std::string, std::string> out;
  auto lines = service_lines(text);
  for (const Diagnostic& d : diagnostics.items()) {
    if (d.severity != Severity::kError) continue;
    for (const auto& [name, range] : lines) {
      if (d.pos.line >= range.first && d.pos.line <= range.second) out.try_emplace(name, d.message);
    }
  }
  return out;
}

}  // namespace

void leave_out_invalid_services(YamlData& registry,
                                const std::function<std::string(const std::string&)>& origin,
                                std::vector<ImportNote>& notes) {
  for (int round = 0; round < 8 && registry.contains("services"); ++round) {
    std::map<std::string, std::string> failing = failing_services(emit_yaml(registry));
    if (failing.empty()) return;
    for (const auto& [name, message] : failing) {
      notes.push_back({origin(name), fmt::format("service '{}' is left out: in fusion.yaml it "
                                                 "would not validate ({})",
                                                 name, message)});
      registry["services"].erase(name);
    }
    for (auto& [name, service] : registry["services"].items()) {
      if (!service.contains("depends_on")) continue;
      for (const auto& [gone, message] : failing) {
        if (!service["depends_on"].contains(gone)) continue;
        service["depends_on"].erase(gone);
        notes.push_back({origin(name), fmt::format("service '{}' no longer waits for '{}', which "
                                                   "was left out",
                                                   name, gone)});
      }
      if (service["depends_on"].empty()) service.erase("depends_on");
    }
  }
}

}  // namespace fusion
