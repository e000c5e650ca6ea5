#include "gitops/git_repository.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "util/strings.h"

namespace fusion {
namespace {

using nlohmann::json;

/// Reads the fields of one JSON object, appending an error that names the field for each one
/// of the wrong type. A missing field is not an error here: callers decide what is required.
class FieldReader {
 public:
  FieldReader(const json* object, std::string prefix, std::vector<std::string>& errors)
      : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

  std::string field(std::string_view key) const { return prefix_ + std::string(key); }
  void error(std::string_view key, std::string_view message) const {
    errors_.push_back(fmt::format("{}: {}", field(key), message));
  }

  const json* find(std::string_view key) const {
    if (!object_ || !object_->is_object()) return nullptr;
    auto it = object_->find(key);
    return it == object_->end() || it->is_null() ? nullptr : &*it;
  }

  std::optional<std::string> string(std::string_view key) const {
    return typed<std::string>(key, &json::is_string, "a string");
  }
  std::optional<bool> boolean(std::string_view key) const {
    return typed<bool>(key, &json::is_boolean, "true or false");
  }
  std::optional<int64_t> integer(std::string_view key) const {
    return typed<int64_t>(key, &json::is_number_integer, "a whole number");
  }
  const json* object(std::string_view key) const {
    const json* value = find(key);
    if (value && !value->is_object())
      error(key, fmt::format("expected a map, got {}", value->dump()));
    return value && value->is_object() ? value : nullptr;
  }
  const json* array(std::string_view key) const {
    const json* value = find(key);
    if (value && !value->is_array())
      error(key, fmt::format("expected a list, got {}", value->dump()));
    return value && value->is_array() ? value : nullptr;
  }

 private:
  template <class T>
  std::optional<T> typed(std::string_view key, bool (json::*is)() const noexcept,
                         std::string_view expected) const {
    const json* value = find(key);
    if (!value) return std::nullopt;
    if (!(value->*is)()) {
      error(key, fmt::format("expected {}, got {}", expected, value->dump()));
      return std::nullopt;
    }
    return value->get<T>();
  }

  const json* object_;
  std::string prefix_;
  std::vector<std::string>& errors_;
};

/// Why `name` cannot be a branch or tag (a subset of `git check-ref-format` that also keeps
/// option-like names away from git's command line), or nothing when it can.
std::optional<std::string> bad_ref_name(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.front() == '-') return "starts with '-'";
  if (name.front() == '/' || name.back() == '/' || name.back() == '.' || name.ends_with(".lock")) {
    return "cannot start with '/' or end with '/', '.' or '.lock'";
  }
  if (name.find("..") != std::string_view::npos || name.find("@{") != std::string_view::npos) {
    return "cannot hold '..' or '@{'";
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f ||
        std::string_view("~^:?*[\\").find(c) != std::string_view::npos) {
      return "holds a space, a control character or one of ~^:?*[\\";
    }
  }
  return std::nullopt;
}

bool is_full_commit_id(std::string_view id) {
  if (id.size() != 40 && id.size() != 64) return false;
  return id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

/// `path` without "." and empty segments, with each ".." taking back the segment before it;
/// an error when it is absolute or climbs out of the repository.
Result<std::string> clean_relative_path(std::string_view path) {
  if (path.starts_with('/')) return Error{"is absolute; write a folder inside the repository"};
  std::vector<std::string> kept;
  for (std::string_view segment : split(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment != "..") {
      kept.emplace_back(segment);
    } else if (kept.empty()) {
      return Error{"climbs out of the repository with '..'"};
    } else {
      kept.pop_back();
    }
  }
  return kept.empty() ? std::string(".") : join(kept, "/");
}

void read_metadata(const json& object, GitRepositoryParse& out) {
  FieldReader top(&object, "", out.errors);
  auto api_version = top.string("apiVersion");
  auto kind = top.string("kind");
  if (api_version && *api_version != kGitRepositoryApiVersion) {
    top.error("apiVersion",
              fmt::format("expected {}, got \"{}\"", kGitRepositoryApiVersion, *api_version));
  }
  if (kind && *kind != kGitRepositoryKind) {
    top.error("kind", fmt::format("expected {}, got \"{}\"", kGitRepositoryKind, *kind));
  }
  FieldReader metadata(top.object("metadata"), "metadata.", out.errors);
  if (auto name = metadata.string("name")) out.spec.name = *name;
  if (out.spec.name.empty()) metadata.error("name", "required");
  out.spec.namespace_ = metadata.string("namespace").value_or("default");
  out.spec.generation = metadata.integer("generation").value_or(0);
  FieldReader annotations(metadata.object("annotations"), "metadata.annotations.", out.errors);
  auto allow = annotations.string(kAllowMassPruneAnnotation);
  if (allow && *allow != "true" && *allow != "false") {
    annotations.error(kAllowMassPruneAnnotation,
                      fmt::format("\"{}\" is neither \"true\" nor \"false\"", *allow));
  }
  out.spec.allow_mass_prune = allow == "true";
}

void read_source(const FieldReader& spec, GitRepositoryParse& out) {
  auto url = spec.string("url");
  if (!url || url->empty()) {
    spec.error("url", "required: the repository to sync, e.g. https://github.com/acme/deploy.git");
  } else if (url->front() == '-' || url->find_first_of(" \t\r\n") != std::string::npos) {
    spec.error("url", fmt::format("\"{}\" is not a git URL", *url));
  } else {
    out.spec.url = *url;
  }
  std::vector<std::string> refs_set;
  for (auto [key, kind] :
       {std::pair{"branch", GitRef::Kind::kBranch}, std::pair{"tag", GitRef::Kind::kTag},
        std::pair{"commit", GitRef::Kind::kCommit}}) {
    auto name = spec.string(key);
    if (!name) continue;
    refs_set.emplace_back(key);
    if (kind == GitRef::Kind::kCommit) {
      if (!is_full_commit_id(*name)) {
        spec.error(key, fmt::format("\"{}\" is not a full commit id (40 or 64 lower-case hex "
                                    "digits)",
                                    *name));
      }
    } else if (auto why = bad_ref_name(*name)) {
      spec.error(key, fmt::format("\"{}\" is not a valid {} name: it {}", *name, key, *why));
    }
    out.spec.ref = GitRef{kind, *name};
  }
  if (refs_set.size() > 1) {
    out.errors.push_back(fmt::format("spec: set only one of branch, tag and commit (found {})",
                                     join(refs_set, ", ")));
  }
  if (auto path = spec.string("path")) {
    auto clean = clean_relative_path(*path);
    if (clean) out.spec.path = *clean;
    if (!clean) spec.error("path", fmt::format("\"{}\" {}", *path, clean.error()));
  }
}

std::optional<Duration> read_duration(const FieldReader& spec, std::string_view key) {
  auto text = spec.string(key);
  if (!text) return std::nullopt;
  auto duration = parse_duration(*text);
  if (!duration) {
    spec.error(key, fmt::format("\"{}\" is not a duration (write e.g. 30s, 5m, 1h)", *text));
  } else if (duration->count() <= 0) {
    spec.error(key, "must be longer than 0s");
  } else {
    return *duration;
  }
  return std::nullopt;
}

void read_schedule(const FieldReader& spec, GitRepositoryParse& out) {
  if (auto interval = read_duration(spec, "interval")) out.spec.interval = *interval;
  if (auto timeout = read_duration(spec, "timeout")) out.spec.timeout = *timeout;
  out.spec.suspend = spec.boolean("suspend").value_or(false);
  const json* depends_on = spec.array("dependsOn");
  for (size_t i = 0; depends_on && i < depends_on->size(); ++i) {
    std::string field = fmt::format("dependsOn[{}]", i);
    if (!(*depends_on)[i].is_object()) {
      spec.error(field, fmt::format("expected a map with name, got {}", (*depends_on)[i].dump()));
      continue;
    }
    FieldReader entry(&(*depends_on)[i], spec.field(field) + ".", out.errors);
    GitRepositoryDependency dependency{entry.string("name").value_or(""),
                                       entry.string("namespace").value_or(out.spec.namespace_)};
    if (dependency.name.empty()) {
      entry.error("name", "required");
    } else if (dependency.name == out.spec.name && dependency.namespace_ == out.spec.namespace_) {
      spec.error(field, "a GitRepository cannot depend on itself");
    } else {
      out.spec.depends_on.push_back(std::move(dependency));
    }
  }
}

void read_apply(const FieldReader& spec, GitRepositoryParse& out) {
  if (auto target = spec.string("targetNamespace")) {
    if (!is_dns1123_label(*target)) {
      spec.error("targetNamespace", fmt::format("\"{}\" is not a namespace name (lower-case "
                                                "letters, digits and '-', at most 63)",
                                                *target));
    }
    out.spec.target_namespace = *target;
  }
  const json* secret_ref_object = spec.object("secretRef");
  FieldReader secret_ref(secret_ref_object, spec.field("secretRef."), out.errors);
  if (secret_ref_object) {
    out.spec.secret_name = secret_ref.string("name").value_or("");
    if (out.spec.secret_name.empty()) secret_ref.error("name", "required");
  }
  out.spec.service_account_name = spec.string("serviceAccountName").value_or("");
  out.spec.prune = spec.boolean("prune").value_or(true);
  if (auto drift = spec.string("drift")) {
    if (*drift == "correct" || *drift == "warn") {
      out.spec.drift = *drift == "warn" ? DriftMode::kWarn : DriftMode::kCorrect;
    } else {
      spec.error("drift", fmt::format("\"{}\" is neither correct nor warn", *drift));
    }
  }
  if (auto percent = spec.integer("maxPrunePercent")) {
    if (*percent < 1 || *percent > 100) {
      spec.error("maxPrunePercent", fmt::format("{} is not between 1 and 100", *percent));
    } else {
      out.spec.max_prune_percent = static_cast<int>(*percent);
    }
  }
}

}  // namespace

std::string GitRef::remote_ref() const {
  switch (kind) {
    case Kind::kBranch:
      return "refs/heads/" + name;
    case Kind::kTag:
      return "refs/tags/" + name;
    case Kind::kCommit:
      break;
  }
  return name;
}

std::string GitRef::describe() const {
  switch (kind) {
    case Kind::kBranch:
      return "branch " + name;
    case Kind::kTag:
      return "tag " + name;
    case Kind::kCommit:
      break;
  }
  return "commit " + name.substr(0, 12);
}

GitRepositoryParse parse_git_repository(const json& object) {
  GitRepositoryParse out;
  if (!object.is_object()) {
    out.errors.push_back(fmt::format("expected a GitRepository object, got {}", object.dump()));
    return out;
  }
  read_metadata(object, out);
  FieldReader top(&object, "", out.errors);
  const json* spec_object = top.object("spec");
  if (!spec_object) {
    if (!top.find("spec")) top.error("spec", "required: at least spec.url");
    return out;
  }
  FieldReader spec(spec_object, "spec.", out.errors);
  read_source(spec, out);
  read_schedule(spec, out);
  read_apply(spec, out);
  return out;
}

}  // namespace fusion
