#include "importer/compose_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "registry/yaml_tree.h"

namespace fusion {
namespace {

ComposeValue to_value(const YamlNode& node);

}  // namespace

ComposeValue compose_value(const YamlNode& node) { return to_value(node); }

namespace {

ComposeValue to_value(const YamlNode& node) {
  switch (node.kind()) {
    case YamlNode::Kind::kNull:
      return nullptr;
    case YamlNode::Kind::kScalar:
      return node.Scalar();
    case YamlNode::Kind::kSequence: {
      ComposeValue out = ComposeValue::array();
      for (const YamlNode* item : node.items()) out.push_back(to_value(*item));
      return out;
    }
    case YamlNode::Kind::kMap: {
      ComposeValue out = ComposeValue::object();
      for (const YamlNode::Entry& e : node.entries()) out[e.key->Scalar()] = to_value(*e.value);
      return out;
    }
  }
  return nullptr;
}

/// The container path of a volume entry: "./a:/b:ro" → "/b"; long form → its target.
std::string volume_target(const ComposeValue& volume) {
  if (volume.is_object()) return text_at(volume, "target");
  if (!volume.is_string()) return "";
  std::string spec = volume.get<std::string>();
  size_t first = spec.find(':');
  if (first == std::string::npos) return spec;
  size_t second = spec.find(':', first + 1);
  return spec.substr(first + 1,
                     second == std::string::npos ? std::string::npos : second - first - 1);
}

/// `over` merged into `base` key by key; anything but two maps: `over` replaces `base`.
void merge_maps(ComposeValue& base, const ComposeValue& over) {
  if (!base.is_object() || !over.is_object()) {
    base = over;
    return;
  }
  for (const auto& [key, value] : over.items()) {
    if (base.contains(key) && base[key].is_object() && value.is_object()) {
      merge_maps(base[key], value);
    } else {
      base[key] = value;
    }
  }
}

ComposeValue merged_by_target(const ComposeValue& base, const ComposeValue& over) {
  ComposeValue out = ComposeValue::array();
  std::set<std::string> replaced;
  for (const auto& v : over) replaced.insert(volume_target(v));
  for (const auto& v : base) {
    if (!replaced.contains(volume_target(v))) out.push_back(v);
  }
  for (const auto& v : over) out.push_back(v);
  return out;
}

ComposeValue appended(const ComposeValue& base, const ComposeValue& over) {
  ComposeValue out = base.is_array() ? base : ComposeValue::array();
  for (const auto& v : over) {
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

ComposeValue normalized_build(const ComposeValue& build) {
  return build.is_string() ? ComposeValue{{"context", build}} : build;
}

void merge_service(ComposeValue& base, const ComposeValue& over) {
  static const std::set<std::string> keyed = {"environment", "labels", "depends_on", "networks",
                                              "extra_hosts"};
  static const std::set<std::string> appended_lists = {"ports", "expose",     "external_links",
                                                       "dns",   "dns_search", "tmpfs"};
  for (const auto& [key, value] : over.items()) {
    if (!base.contains(key)) {
      base[key] = value;
    } else if (keyed.contains(key)) {
      ComposeValue merged = as_key_map(base[key]);
      merge_maps(merged, as_key_map(value));
      base[key] = merged;
    } else if (appended_lists.contains(key) && value.is_array()) {
      base[key] = appended(base[key], value);
    } else if ((key == "volumes" || key == "devices") && value.is_array()) {
      base[key] = merged_by_target(base[key], value);
    } else if (key == "build") {
      ComposeValue merged = normalized_build(base[key]);
      merge_maps(merged, normalized_build(value));
      base[key] = merged;
    } else if (base[key].is_object() && value.is_object()) {
      merge_maps(base[key], value);
    } else {
      base[key] = value;
    }
  }
}

void record_origins(const YamlNode& root, const std::string& file, MergedCompose& merged) {
  for (const YamlNode::Entry& top : root.entries()) {
    if (top.key->Scalar() != "services" || !top.value->IsMap()) continue;
    for (const YamlNode::Entry& service : top.value->entries()) {
      if (!service.value->IsMap()) continue;
      for (const YamlNode::Entry& key : service.value->entries()) {
        merged.origins[fmt::format("services/{}/{}", service.key->Scalar(), key.key->Scalar())] =
            fmt::format("{}:{}:{}", file, key.key->line(), key.key->column());
      }
      merged.origins["services/" + service.key->Scalar()] =
          fmt::format("{}:{}:{}", file, service.key->line(), service.key->column());
    }
  }
}

}  // namespace

const ComposeValue& at(const ComposeValue& map, const std::string& key) {
  static const ComposeValue null_value;
  if (!map.is_object()) return null_value;
  auto it = map.find(key);
  return it == map.end() ? null_value : *it;
}

std::string text_of(const ComposeValue& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.is_null() ? "" : value.dump();
}

std::string text_at(const ComposeValue& map, const std::string& key, const std::string& fallback) {
  std::string text = text_of(at(map, key));
  return text.empty() ? fallback : text;
}

std::string MergedCompose::origin(const std::string& service, const std::string& key) const {
  auto it = origins.find(key.empty() ? "services/" + service : "services/" + service + "/" + key);
  return it == origins.end() ? "" : it->second;
}

ComposeValue as_key_map(const ComposeValue& value) {
  if (!value.is_array()) return value;
  ComposeValue out = ComposeValue::object();
  for (const auto& item : value) {
    if (!item.is_string()) continue;
    std::string text = item.get<std::string>();
    size_t eq = text.find('=');
    if (eq == std::string::npos) {
      out[text] = nullptr;
    } else {
      out[text.substr(0, eq)] = text.substr(eq + 1);
    }
  }
  return out;
}

namespace {

std::string folder_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

Result<ComposeValue> parse_file(const ComposeFileText& file, const YamlDocument** keep,
                                std::vector<YamlDocument>& docs) {
  auto parsed = YamlDocument::parse(file.text);
  if (auto* error = std::get_if<YamlSyntaxError>(&parsed)) {
    return Error{
        fmt::format("{}:{}:{}: {}", file.path, error->line, error->column, error->message)};
  }
  docs.push_back(std::move(std::get<YamlDocument>(parsed)));
  if (!docs.back().root().IsMap())
    return Error{file.path + ": the top level of a compose file is a map"};
  *keep = &docs.back();
  return to_value(docs.back().root());
}

void merge_document(const ComposeValue& value, MergedCompose& merged) {
  for (const auto& [key, section] : value.items()) {
    if (key == "include") continue;
    ComposeValue& target = merged.document[key];
    if (key == "services" && section.is_object()) {
      if (!target.is_object()) target = ComposeValue::object();
      for (const auto& [name, service] : section.items()) {
        if (target.contains(name) && target[name].is_object() && service.is_object()) {
          merge_service(target[name], service);
        } else {
          target[name] = service;
        }
      }
    } else if (target.is_object() && section.is_object()) {
      merge_maps(target, section);
    } else {
      target = section;
    }
  }
}

struct Merger {
  const ComposeFileReader& read;
  MergedCompose merged;
  std::vector<std::string> stack;  ///< files being read, for cycles

  Status add(const ComposeFileText& file) {
    if (std::find(stack.begin(), stack.end(), file.path) != stack.end() || stack.size() > 16) {
      return Error{file.path + ": include cycle"};
    }
    std::vector<YamlDocument> docs;
    const YamlDocument* doc = nullptr;
    auto value = parse_file(file, &doc, docs);
    if (!value) return Error{value.error()};
    stack.push_back(file.path);
    for (const auto& entry : list_of(at(*value, "include"))) {
      for (const auto& path : list_of(entry.is_object() ? at(entry, "path") : entry)) {
        std::string included = folder_of(file.path) + text_of(path);
        if (!read) return Error{file.path + ": include of " + included + " cannot be read here"};
        auto text = read(included);
        if (!text)
          return Error{fmt::format("{}: include {}: {}", file.path, included, text.error())};
        if (Status s = add({included, *text}); !s) return s;
      }
    }
    stack.pop_back();
    merge_document(*value, merged);
    record_origins(doc->root(), file.path, merged);
    return ok_status();
  }

  static ComposeValue list_of(const ComposeValue& v) {
    if (v.is_null()) return ComposeValue::array();
    return v.is_array() ? v : ComposeValue::array({v});
  }

  /// `service` with its `extends` resolved; `services` are those of the file it is in.
  Result<ComposeValue> extended(const ComposeValue& service, const ComposeValue& services,
                                const std::string& file, int depth) {
    if (!service.is_object() || !service.contains("extends")) return service;
    if (depth > 16) return Error{file + ": extends cycle"};
    const ComposeValue& ext = service["extends"];
    std::string base_name = ext.is_object() ? text_at(ext, "service") : text_of(ext);
    ComposeValue base_services = services;
    std::string base_file = file;
    if (ext.is_object() && ext.contains("file")) {
      base_file = folder_of(file) + text_at(ext, "file");
      if (!read) return Error{file + ": extends from " + base_file + " cannot be read here"};
      auto text = read(base_file);
      if (!text) return Error{fmt::format("{}: extends {}: {}", file, base_file, text.error())};
      std::vector<YamlDocument> docs;
      const YamlDocument* doc = nullptr;
      auto value = parse_file({base_file, *text}, &doc, docs);
      if (!value) return Error{value.error()};
      base_services = at(*value, "services");
    }
    if (!at(base_services, base_name).is_object()) {
      return Error{fmt::format("{}: extends service '{}', which {} does not define", file,
                               base_name, base_file)};
    }
    auto base = extended(base_services[base_name], base_services, base_file, depth + 1);
    if (!base) return base;
    ComposeValue out = *base;
    out.erase("depends_on");  // compose never inherits these
    ComposeValue own = service;
    own.erase("extends");
    merge_service(out, own);
    return out;
  }
};

}  // namespace

Result<MergedCompose> merge_compose_files(const std::vector<ComposeFileText>& files,
                                          const ComposeFileReader& read) {
  Merger merger{read, {}, {}};
  for (const ComposeFileText& file : files) {
    if (Status s = merger.add(file); !s) return Error{s.error()};
  }
  ComposeValue& services = merger.merged.document["services"];
  if (services.is_null()) {
    merger.merged.document.erase("services");
  } else if (services.is_object()) {
    ComposeValue resolved = services;
    std::string first = files.empty() ? "" : files.front().path;
    for (auto& [name, service] : resolved.items()) {
      auto out = merger.extended(service, services, first, 0);
      if (!out) return Error{out.error()};
      service = std::move(out).value();
    }
    services = resolved;
  }
  return std::move(merger.merged);
}

}  // namespace fusion
