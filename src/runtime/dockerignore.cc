#include "runtime/dockerignore.h"

#include "util/strings.h"

namespace fusion {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

/// `[...]` at pattern[p] against c; advances p past the class. False on a malformed class.
bool match_class(std::string_view pattern, size_t& p, char c, bool& matched) {
  size_t i = p + 1;
  bool negate = i < pattern.size() && (pattern[i] == '^' || pattern[i] == '!');
  if (negate) ++i;
  matched = false;
  bool first = true;
  while (i < pattern.size() && (pattern[i] != ']' || first)) {
    first = false;
    char lo = pattern[i];
    if (lo == '\\' && i + 1 < pattern.size()) lo = pattern[++i];
    char hi = lo;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      hi = pattern[i + 2];
      if (hi == '\\' && i + 3 < pattern.size()) hi = pattern[++i + 2];
      i += 2;
    }
    if (c >= lo && c <= hi) matched = true;
    ++i;
  }
  if (i >= pattern.size()) return false;
  matched = matched != negate;
  p = i + 1;
  return true;
}

/// One path segment against one pattern segment (`*`, `?`, classes, escapes).
bool match_segment(std::string_view pattern, std::string_view name) {
  size_t p = 0, n = 0, star_p = std::string_view::npos, star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_n = n;
      continue;
    }
    bool ok = false;
    size_t next = p;
    if (p < pattern.size()) {
      if (pattern[p] == '?') {
        ok = true;
        next = p + 1;
      } else if (pattern[p] == '[') {
        bool matched = false;
        ok = match_class(pattern, next, name[n], matched) && matched;
      } else {
        char want = pattern[p];
        next = p + 1;
        if (want == '\\' && p + 1 < pattern.size()) want = pattern[++next - 1];
        ok = want == name[n];
      }
    }
    if (ok) {
      p = next;
      ++n;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      n = ++star_n;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

/// Pattern segments against path segments; a pattern that matches a leading part of the path
/// matches the path too (the rule names a folder the path is in).
bool match_segments(const std::vector<std::string>& pattern, size_t pi,
                    const std::vector<std::string_view>& path, size_t si) {
  if (pi == pattern.size()) return si > 0 || path.empty();
  if (pattern[pi] == "**") {
    for (size_t k = si; k <= path.size(); ++k) {
      if (match_segments(pattern, pi + 1, path, k)) return true;
    }
    return false;
  }
  if (si == path.size()) return false;
  return match_segment(pattern[pi], path[si]) && match_segments(pattern, pi + 1, path, si + 1);
}

}  // namespace

DockerIgnore DockerIgnore::parse(std::string_view text) {
  DockerIgnore ignore;
  for (std::string_view line : split(text, '\n')) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    Rule rule;
    if (line.front() == '!') {
      rule.exception = true;
      line = trim(line.substr(1));
    }
    for (std::string_view part : split(line, '/')) {
      if (part.empty() || part == ".") continue;
      if (part == ".." && !rule.segments.empty()) {
        rule.segments.pop_back();
        continue;
      }
      rule.segments.emplace_back(part);
    }
    if (rule.segments.empty()) continue;
    ignore.has_exceptions_ = ignore.has_exceptions_ || rule.exception;
    ignore.rules_.push_back(std::move(rule));
  }
  return ignore;
}

bool DockerIgnore::excluded(std::string_view path) const {
  std::vector<std::string_view> segments = split(path, '/');
  bool out = false;
  for (const Rule& rule : rules_) {
    if (rule.exception == !out) continue;  // cannot change the answer
    if (match_segments(rule.segments, 0, segments, 0)) out = !rule.exception;
  }
  return out;
}

}  // namespace fusion
