#pragma once
// Diagnostics: what validation reports. Every check appends to one Diagnostics list so the user
// sees every problem at once, sorted by position, rendered like a compiler's.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "registry/source.h"

namespace fusion {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  SourcePos pos;
  std::string message;
};

class Diagnostics {
 public:
  void error(SourcePos pos, std::string message);
  void warning(SourcePos pos, std::string message);

  /// Stable sort by file, line, column; identical reports at one position are dropped.
  void sort();
  const std::vector<Diagnostic>& items() const { return items_; }
  size_t error_count() const;
  bool has_errors() const { return error_count() > 0; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
};

/// `file:line:col: error: message`, then the source line and a caret under the position.
std::string render_text(const Diagnostic& d, const SourceSet& sources, bool color);
std::string render_text(const Diagnostics& ds, const SourceSet& sources, bool color);

/// {"diagnostics":[{"file","line","column","severity","message"}],"errors":N,"warnings":N}
nlohmann::json to_json(const Diagnostics& ds, const SourceSet& sources);

}  // namespace fusion
