#include "generate/unified_diff.h"

#include <dtl/dtl.hpp>
#include <sstream>
#include <vector>

#include "util/strings.h"

namespace fusion {
namespace {

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  for (std::string_view line : split(text, '\n')) lines.emplace_back(line);
  if (!lines.empty() && lines.back().empty()) lines.pop_back();  // the final newline
  return lines;
}

/// A whole file added or removed: one hunk, which dtl numbers from 1 rather than 0.
void whole_file_hunk(std::ostringstream& out, const std::vector<std::string>& lines, char mark) {
  if (lines.empty()) return;
  if (mark == '+') {
    out << "@@ -0,0 +1," << lines.size() << " @@\n";
  } else {
    out << "@@ -1," << lines.size() << " +0,0 @@\n";
  }
  for (const std::string& line : lines) out << mark << line << "\n";
}

}  // namespace

std::string unified_diff(std::string_view path, std::string_view before, std::string_view after) {
  std::ostringstream out;
  out << "--- " << (before.empty() ? "/dev/null" : "a/" + std::string(path)) << "\n";
  out << "+++ " << (after.empty() ? "/dev/null" : "b/" + std::string(path)) << "\n";
  if (before.empty() || after.empty()) {
    whole_file_hunk(out, lines_of(before.empty() ? after : before), before.empty() ? '+' : '-');
    return out.str();
  }
  dtl::Diff<std::string> diff(lines_of(before), lines_of(after));
  diff.onHuge();
  diff.compose();
  diff.composeUnifiedHunks();
  diff.printUnifiedFormat(out);
  return out.str();
}

}  // namespace fusion
