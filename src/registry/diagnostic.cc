#include "registry/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace fusion {

void Diagnostics::error(SourcePos pos, std::string message) {
  items_.push_back({Severity::kError, pos, std::move(message)});
}

void Diagnostics::warning(SourcePos pos, std::string message) {
  items_.push_back({Severity::kWarning, pos, std::move(message)});
}

void Diagnostics::sort() {
  auto key = [](const Diagnostic& d) { return std::tie(d.pos.file, d.pos.line, d.pos.column); };
  std::stable_sort(items_.begin(), items_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return a.pos == b.pos && a.message == b.message;
  };
  items_.erase(std::unique(items_.begin(), items_.end(), same), items_.end());
}

size_t Diagnostics::error_count() const {
  return static_cast<size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::kError;
  }));
}

namespace {

const char* severity_name(Severity s) { return s == Severity::kError ? "error" : "warning"; }

std::string location(const SourcePos& pos, const SourceSet& sources) {
  if (pos.file == SourcePos::kNoFile) return "fusion";
  if (!pos.known()) return sources.path(pos.file);
  return fmt::format("{}:{}:{}", sources.path(pos.file), pos.line, pos.column);
}

}  // namespace

std::string render_text(const Diagnostic& d, const SourceSet& sources, bool color) {
  const char* bold = color ? "\033[1m" : "";
  const char* red = color ? "\033[1;31m" : "";
  const char* magenta = color ? "\033[1;35m" : "";
  const char* green = color ? "\033[1;32m" : "";
  const char* reset = color ? "\033[0m" : "";
  std::string out = fmt::format("{}{}:{} {}{}:{} {}\n", bold, location(d.pos, sources), reset,
                                d.severity == Severity::kError ? red : magenta,
                                severity_name(d.severity), reset, d.message);
  if (!d.pos.known()) return out;
  std::string_view line = sources.line(d.pos.file, d.pos.line);
  if (line.empty()) return out;
  std::string gutter = fmt::format("{:>5}", d.pos.line);
  size_t indent = std::min<size_t>(d.pos.column - 1, line.size());
  size_t underline = std::max<size_t>(1, std::min<size_t>(d.pos.length, line.size() - indent));
  out += fmt::format("{} | {}\n", gutter, line);
  out += fmt::format("{:>5} | {}{}{}{}{}\n", "", std::string(indent, ' '), green, "^",
                     std::string(underline - 1, '~'), reset);
  return out;
}

std::string render_text(const Diagnostics& ds, const SourceSet& sources, bool color) {
  std::string out;
  for (const Diagnostic& d : ds.items()) out += render_text(d, sources, color);
  return out;
}

nlohmann::json to_json(const Diagnostics& ds, const SourceSet& sources) {
  nlohmann::json list = nlohmann::json::array();
  for (const Diagnostic& d : ds.items()) {
    nlohmann::json item = {{"severity", severity_name(d.severity)}, {"message", d.message}};
    if (d.pos.file != SourcePos::kNoFile) item["file"] = sources.path(d.pos.file);
    if (d.pos.known()) {
      item["line"] = d.pos.line;
      item["column"] = d.pos.column;
    }
    list.push_back(std::move(item));
  }
  size_t errors = ds.error_count();
  return {{"diagnostics", list}, {"errors", errors}, {"warnings", ds.items().size() - errors}};
}

}  // namespace fusion
