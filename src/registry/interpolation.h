#pragma once
// References inside string values: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message},
// $VAR, ${secret:name}; "$$" is a literal dollar. Variables come from the environment and .env
// when the stack runs; secrets from .fusion/secrets.env.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace fusion {

struct Reference {
  enum class Kind { kVariable, kSecret };
  Kind kind = Kind::kVariable;
  std::string name;
  std::string default_value;  ///< after ":-" or "-"
  bool has_default = false;
  size_t offset = 0;  ///< of the '$' in the scanned text
  size_t length = 0;  ///< from the '$' to the end of the reference
};

/// Every reference in `text`, in order; an error names the offset of the malformed one.
struct InterpolationError {
  size_t offset;
  std::string message;
};
struct ScanResult {
  std::vector<Reference> references;
  std::vector<InterpolationError> errors;
};
ScanResult scan_references(std::string_view text);

/// The text with every reference replaced by `value(ref)` (kept as written when that is
/// nullopt) and "$$" by "$": the value a program finally sees.
std::string substitute(std::string_view text,
                       const std::function<std::optional<std::string>(const Reference&)>& value);

}  // namespace fusion
