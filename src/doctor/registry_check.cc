#include "doctor/registry_check.h"

#include <fmt/format.h>

namespace fusion {

CheckResult check_registry(const RegistryFacts& facts) {
  const char* kName = "registry";
  if (!facts.read_error.empty() && !facts.named) {
    return check_warn(kName,
                      "no fusion.yaml here or above: the stack's checks (ports, repos) are "
                      "skipped",
                      "fine outside a stack; else run doctor in the stack's folder or pass -f");
  }
  if (!facts.read_error.empty()) return check_fail(kName, facts.read_error);
  if (facts.errors > 0) {
    return check_fail(kName,
                      fmt::format("{} has {} error{}; the first: {}", facts.path, facts.errors,
                                  facts.errors == 1 ? "" : "s", facts.first_error),
                      "fusion validate lists them all");
  }
  std::string warnings = facts.warnings == 0 ? ""
                         : facts.warnings == 1
                             ? " (1 warning: fusion validate)"
                             : fmt::format(" ({} warnings: fusion validate)", facts.warnings);
  return check_ok(kName, fmt::format("{} is valid: {} service{}{}", facts.path, facts.services,
                                     facts.services == 1 ? "" : "s", warnings));
}

}  // namespace fusion
