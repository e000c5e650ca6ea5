#pragma once
// .dockerignore rules, as docker and podman read them: one pattern a line, `#` comments, `!`
// re-includes, patterns anchored at the context root (`*.log` is top-level only, `**/*.log` is
// any depth), `*` and `?` within one path segment, `[a-z]` classes, `\` escapes, and `**` for
// any number of segments. The last matching rule wins, and a rule that matches a folder applies
// to everything below it.

#include <string>
#include <string_view>
#include <vector>

namespace fusion {

class DockerIgnore {
 public:
  static DockerIgnore parse(std::string_view text);

  /// Whether the file or folder at `path` (relative to the context, '/'-separated) is left out.
  bool excluded(std::string_view path) const;

  /// True when some rule re-includes (`!`): an excluded folder may then hold included files.
  bool has_exceptions() const { return has_exceptions_; }

 private:
  struct Rule {
    std::vector<std::string> segments;
    bool exception = false;
  };
  std::vector<Rule> rules_;
  bool has_exceptions_ = false;
};

}  // namespace fusion
