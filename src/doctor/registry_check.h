#pragma once
// The registry: found and valid. Doctor also runs outside a stack (to check a machine before
// cloning one), so a registry that is not there is a warning, unless -f named it.

#include <cstddef>
#include <string>

#include "doctor/check.h"

namespace fusion {

struct RegistryFacts {
  std::string path{};        ///< as the user would type it; empty when none was found
  bool named = false;        ///< -f FILE was given
  std::string read_error{};  ///< why it could not be found or read
  size_t services = 0;
  size_t errors = 0;
  size_t warnings = 0;
  std::string first_error{};  ///< "fusion.yaml:6:5: error: unknown key 'helth' …"
};

/// "registry".
CheckResult check_registry(const RegistryFacts& facts);

}  // namespace fusion
