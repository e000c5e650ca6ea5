#pragma once
// For tests only: load and check inline YAML the way `fusion validate` does, and render the
// diagnostics without colour, so tests can compare the full text a user would see.

#include <string>

#include "registry/diagnostic.h"
#include "registry/loader.h"
#include "registry/model.h"
#include "registry/overlay.h"
#include "registry/validator.h"

namespace fusion::testing {

struct Loaded {
  SourceSet sources;
  Registry registry;
  Diagnostics diagnostics;
  std::string text() const { return render_text(diagnostics, sources, false); }
};

/// Loads `yaml` as fusion.yaml (and `overlay` as fusion.local.yaml when given), then validates.
inline Loaded load_and_validate(const std::string& yaml, const std::string* overlay = nullptr) {
  Loaded l;
  uint32_t file = l.sources.add("fusion.yaml", yaml);
  std::optional<Registry> loaded = load_registry(l.sources, file, l.diagnostics);
  if (!loaded) return l;
  l.registry = std::move(*loaded);
  if (overlay) {
    uint32_t o = l.sources.add("fusion.local.yaml", *overlay);
    apply_overlay(load_overlay(l.sources, o, l.diagnostics), l.registry, l.diagnostics);
  } else {
    choose_local({}, l.registry, l.diagnostics);
  }
  validate(l.registry, l.diagnostics);
  l.diagnostics.sort();
  return l;
}

}  // namespace fusion::testing
