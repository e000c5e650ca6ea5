#include "generate/templates.h"

#include <fmt/format.h>

#include <set>

#include "util/file.h"

namespace fusion {

namespace fs = std::filesystem;

Result<std::string> Templates::render(const std::string& name, const TemplateData& data,
                                      std::string (*escape)(const std::string&)) const {
  std::string text;
  if (auto it = overrides.find(name); it != overrides.end()) {
    text = it->second;
  } else if (auto builtin = builtin_templates().find(name); builtin != builtin_templates().end()) {
    text = std::string(builtin->second);
  } else {
    return Error{fmt::format("no template named {}", name)};
  }
  kainjow::mustache::mustache tmpl(text);
  if (!tmpl.is_valid()) return Error{fmt::format("template {}: {}", name, tmpl.error_message())};
  tmpl.set_custom_escape(escape);
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) return Error{fmt::format("template {}: {}", name, tmpl.error_message())};
  return out;
}

std::vector<std::string> Templates::names_under(std::string_view folder) const {
  std::set<std::string> names;
  for (const auto& [name, text] : builtin_templates()) {
    if (name.starts_with(folder)) names.insert(name);
  }
  for (const auto& [name, text] : overrides) {
    if (name.starts_with(folder)) names.insert(name);
  }
  return {names.begin(), names.end()};
}

Result<Templates> load_templates(const fs::path& dir) {
  Templates templates;
  if (dir.empty()) return templates;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error{dir.string() + ": not a folder of templates"};
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".mustache" || !entry.is_regular_file()) continue;
    auto text = read_file(entry.path());
    if (!text) return Error{text.error()};
    templates.overrides[entry.path().lexically_relative(dir).generic_string()] =
        std::move(text).value();
  }
  if (ec) return Error{fmt::format("{}: {}", dir.string(), ec.message())};
  return templates;
}

std::string no_escape(const std::string& text) { return text; }

std::string markdown_cell_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace fusion
