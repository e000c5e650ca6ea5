#pragma once
// Text outputs (README-like, Dockerfile-like) come from mustache templates. fusion ships its own
// (src/generate/templates/*.mustache, built into the binary); a team's templates folder
// overrides them file by file.

#include <filesystem>
#include <kainjow/mustache.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace fusion {

using TemplateData = kainjow::mustache::data;

/// Template texts by path under the templates folder ("SERVICES.md.mustache",
/// "dockerfile/go.mustache"), a team's over fusion's own.
struct Templates {
  std::map<std::string, std::string> overrides;

  /// Renders template `name`; `escape` is applied to {{values}} ({{{values}}} are raw).
  Result<std::string> render(const std::string& name, const TemplateData& data,
                             std::string (*escape)(const std::string&)) const;

  /// The names of every template (fusion's and the team's) under `folder` ("new/go-http/").
  std::vector<std::string> names_under(std::string_view folder) const;
};

/// Every *.mustache file in `dir` and its subfolders (nothing when dir is empty).
Result<Templates> load_templates(const std::filesystem::path& dir);

/// fusion's own templates by path.
const std::map<std::string, std::string_view>& builtin_templates();

/// Escapes for {{values}}: none, or Markdown table cells ('|' and line breaks).
std::string no_escape(const std::string& text);
std::string markdown_cell_escape(const std::string& text);

}  // namespace fusion
