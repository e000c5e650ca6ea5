#include "generate/env_example.h"

#include <fmt/format.h>

#include <set>

#include "registry/interpolation.h"
#include "util/strings.h"

namespace fusion {
namespace {

struct Variable {
  std::string value;        ///< the default, if any
  std::string description;  ///< from ${VAR:?message}, or how the default works
  std::set<std::string> used_by;
};

void collect(std::string_view text, const std::string& service,
             std::map<std::string, Variable>& variables,
             std::map<std::string, std::set<std::string>>& secrets) {
  for (const Reference& ref : scan_references(text).references) {
    if (ref.kind == Reference::Kind::kSecret) {
      secrets[ref.name].insert(service);
      continue;
    }
    Variable& v = variables[ref.name];
    v.used_by.insert(service);
    if (ref.has_default && v.description.empty()) {
      v.value = ref.default_value;
      v.description = "Optional: defaults to '" + ref.default_value + "'.";
    } else if (!ref.has_default && !ref.default_value.empty()) {
      v.description = "Required: " + ref.default_value;
    }
  }
}

}  // namespace

Result<FileSet> generate_env_example(const GenerateContext& ctx, const Templates& templates) {
  std::map<std::string, Variable> variables;
  std::map<std::string, std::set<std::string>> secrets;
  for (const Service& s : ctx.registry->services) {
    const std::string& name = s.name.value;
    collect(s.image.value, name, variables, secrets);
    for (const std::string& arg : s.command) collect(arg, name, variables, secrets);
    for (const EnvVar& var : s.env) {
      if (var.secret) secrets[var.secret->value].insert(name);
      collect(var.value, name, variables, secrets);
    }
  }
  TemplateData vars{TemplateData::type::list};
  for (const auto& [name, v] : variables) {
    TemplateData item;
    item.set("name", name);
    item.set("value", v.value);
    item.set("description",
             v.description.empty() ? "No default: empty when unset." : v.description);
    item.set("used_by", join({v.used_by.begin(), v.used_by.end()}, ", "));
    vars.push_back(item);
  }
  TemplateData secret_list{TemplateData::type::list};
  for (const auto& [name, users] : secrets) {
    TemplateData item;
    item.set("name", name);
    item.set("used_by", join({users.begin(), users.end()}, ", "));
    secret_list.push_back(item);
  }
  TemplateData data;
  data.set("header", generated_header("#").substr(0, generated_header("#").size() - 1));
  data.set("stack", ctx.registry->name.value);
  data.set("variables", vars);
  data.set("secrets", secret_list);
  data.set("has_secrets",
           secrets.empty() ? TemplateData::type::bool_false : TemplateData::type::bool_true);
  auto text = templates.render("env.example.mustache", data, no_escape);
  if (!text) return Error{text.error()};
  return FileSet{{".env.example", std::move(text).value()}};
}

}  // namespace fusion
