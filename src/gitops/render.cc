#include "gitops/render.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <utility>

#include "generate/context.h"
#include "generate/kubernetes.h"
#include "graph/cycle_check.h"
#include "kube/manifest.h"
#include "kube/object_ref.h"
#include "registry/discovery.h"
#include "registry/loader.h"
#include "registry/overlay.h"
#include "registry/validator.h"

namespace fusion::gitops {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kKustomizationNames[] = {"kustomization.yaml", "kustomization.yml",
                                               "Kustomization"};
/// Where the generator believes fusion.yaml lives; it reads nothing there.
constexpr const char* kRegistryDir = "/repository";

bool is_yaml(const std::string& path) { return path.ends_with(".yaml") || path.ends_with(".yml"); }

/// A file or folder whose name starts with '.' (.github/, .sourceignore): not the cluster's.
bool hidden(const std::string& path) {
  return path.starts_with('.') || path.find("/.") != std::string::npos;
}

/// Refuses what would land outside the folder it is written to.
Status check_relative(const std::string& path) {
  if (path.empty() || path.starts_with('/'))
    return Error{fmt::format("'{}' is not a relative path", path)};
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view part = std::string_view(path).substr(start, end - start);
    if (part.empty() || part == "." || part == ".." || part.find('\0') != std::string_view::npos)
      return Error{fmt::format("'{}' would be written outside the render folder", path)};
    start = end + 1;
  }
  return ok_status();
}

/// A fresh folder inside `scratch`, removed when this goes.
class ScratchFolder {
 public:
  static Result<std::unique_ptr<ScratchFolder>> make(fs::path scratch) {
    std::error_code ec;
    if (scratch.empty()) scratch = fs::temp_directory_path(ec);
    fs::create_directories(scratch, ec);
    std::string pattern = (scratch / "render-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      return Error{
          fmt::format("cannot make a folder in {}: {}", scratch.string(), std::strerror(errno))};
    return std::unique_ptr<ScratchFolder>(new ScratchFolder(pattern));
  }
  ~ScratchFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  explicit ScratchFolder(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

Status write_files(const std::map<std::string, std::string>& files, const fs::path& root) {
  for (const auto& [path, content] : files) {
    if (Status ok = check_relative(path); !ok.ok()) return ok;
  }
  for (const auto& [path, content] : files) {
    fs::path target = root / path;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) return Error{fmt::format("cannot write {} to render it: {}", path, ec.message())};
  }
  return ok_status();
}

/// `text` with the scratch folder's path taken out, so messages do not change between calls.
std::string without_folder(std::string text, const fs::path& folder) {
  for (const std::string& prefix : {folder.string() + "/", folder.string()}) {
    for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at))
      text.erase(at, prefix.size());
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

Result<std::vector<ManifestObject>> kustomize(const std::map<std::string, std::string>& files,
                                              const RenderOptions& options) {
  if (options.runner == nullptr)
    return Error{"rendering a kustomization needs kubectl on PATH (kubectl kustomize)"};
  auto folder = ScratchFolder::make(options.scratch_dir);
  if (!folder) return Error{folder.error()};
  const fs::path& root = folder.value()->path();
  if (Status ok = write_files(files, root); !ok.ok()) return Error{ok.error()};
  ProcessResult r = options.runner->run(
      {.argv = {"kubectl", "kustomize", "."}, .cwd = root, .timeout = options.kustomize_timeout});
  if (r.exit_code == -1)
    return Error{"rendering a kustomization needs kubectl on PATH (kubectl kustomize)"};
  if (r.timed_out)
    return Error{fmt::format("kubectl kustomize did not finish within {} s",
                             options.kustomize_timeout.count() / 1000)};
  if (!r.ok())
    return Error{"kubectl kustomize failed: " +
                 without_folder(r.err.empty() ? r.out : r.err, root)};
  return parse_manifests(r.out, "kubectl kustomize");
}

/// Adds the stack's labels where the generator left them out, keeping any it wrote.
Json with_stack_labels(Json object, const std::string& stack) {
  Json& labels = object["metadata"]["labels"];
  if (!labels.is_object()) labels = Json::object();
  if (!labels.contains("app.kubernetes.io/part-of")) labels["app.kubernetes.io/part-of"] = stack;
  if (!labels.contains("app.kubernetes.io/managed-by"))
    labels["app.kubernetes.io/managed-by"] = "fusion";
  return object;
}

/// The registry as `fusion validate` checks it (fusion.yaml alone: no overlay, no --local);
/// an error is the diagnostics as validate prints them, without colour.
Result<Registry> checked_registry(const std::string& text) {
  SourceSet sources;
  Diagnostics diagnostics;
  uint32_t file = sources.add(kRegistryFileName, text);
  std::optional<Registry> registry = load_checked(sources, file, diagnostics);
  if (registry && !diagnostics.has_errors()) return std::move(*registry);
  std::string rendered = render_text(diagnostics, sources, false);
  while (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
  return Error{rendered};
}

Result<std::vector<ManifestObject>> generate(const std::string& text) {
  auto registry = checked_registry(text);
  if (!registry) return Error{registry.error()};
  auto ctx = make_generate_context(*registry, kRegistryDir, kRegistryDir);
  if (!ctx) return Error{fmt::format("{}: {}", kRegistryFileName, ctx.error())};
  const std::string& stack = registry->name.value;
  std::vector<ManifestObject> objects;
  auto add = [&](const YamlData& object, const std::string& origin) {
    objects.push_back({with_stack_labels(Json::parse(object.dump()), stack), origin});
  };
  for (const YamlData& claim : kubernetes_volume_claims(*ctx))
    add(claim, fmt::format("{}: volumes", kRegistryFileName));
  for (const Service& s : registry->services) {
    if (!s.profiles.empty()) continue;  // in a component, which base/ does not enable
    std::string origin =
        fmt::format("{}:{}: service '{}'", kRegistryFileName, s.name.pos.line, s.name.value);
    for (const YamlData& object : kubernetes_service_objects(*ctx, s)) add(object, origin);
  }
  return objects;
}

Result<std::vector<ManifestObject>> read_manifests(
    const std::map<std::string, std::string>& files) {
  std::vector<ManifestObject> objects;
  for (const auto& [path, content] : files) {  // a std::map: in path order
    if (!is_yaml(path) || hidden(path)) continue;
    auto read = parse_manifests(content, path);
    if (!read) return Error{read.error()};
    for (ManifestObject& object : read.value()) objects.push_back(std::move(object));
  }
  return objects;
}

bool namespaced(const RenderOptions& options, const Json& object) {
  std::string api_version = object.value("apiVersion", ""), kind = object.value("kind", "");
  return options.namespaced ? options.namespaced(api_version, kind)
                            : builtin_namespaced(api_version, kind);
}

std::string describe(const ObjectRef& ref) {
  std::string group = ref.group();
  std::string kind = group.empty() ? ref.kind : ref.kind + "." + group;
  return ref.namespace_.empty() ? fmt::format("{} {}", kind, ref.name)
                                : fmt::format("{} {}/{}", kind, ref.namespace_, ref.name);
}

/// Places the objects in the target namespace and checks each is named once.
Result<std::vector<Json>> finish(std::vector<ManifestObject> read, const RenderOptions& options) {
  std::map<ObjectRef, std::string> seen;  // group, kind, namespace, name → origin
  std::vector<Json> objects;
  objects.reserve(read.size());
  for (ManifestObject& m : read) {
    Json& metadata = m.object["metadata"];
    if (!metadata.contains("name") || !metadata["name"].is_string() ||
        metadata["name"].get<std::string>().empty())
      return Error{fmt::format("{}: the {} has no metadata.name (generateName cannot be applied)",
                               m.origin, m.object.value("kind", ""))};
    bool scoped = namespaced(options, m.object);
    bool unset = !metadata.contains("namespace") || !metadata["namespace"].is_string() ||
                 metadata["namespace"].get<std::string>().empty();
    if (scoped && unset && !options.target_namespace.empty())
      metadata["namespace"] = options.target_namespace;
    ObjectRef ref = object_ref_of(m.object);
    ObjectRef identity{ref.group(), ref.kind, scoped ? ref.namespace_ : "", ref.name};
    auto [first, added] = seen.try_emplace(identity, m.origin);
    if (!added)
      return Error{fmt::format("{}: {} is rendered twice (duplicate): first at {}", m.origin,
                               describe({ref.api_version, ref.kind, identity.namespace_, ref.name}),
                               first->second)};
    objects.push_back(std::move(m.object));
  }
  return objects;
}

RenderKind kind_of(const std::map<std::string, std::string>& files) {
  for (const char* name : kKustomizationNames)
    if (files.contains(name)) return RenderKind::kKustomization;
  if (files.contains(kRegistryFileName)) return RenderKind::kFusionRegistry;
  return RenderKind::kManifests;
}

}  // namespace

const char* render_kind_name(RenderKind kind) {
  switch (kind) {
    case RenderKind::kManifests:
      return "manifests";
    case RenderKind::kKustomization:
      return "kustomization";
    case RenderKind::kFusionRegistry:
      return "fusion.yaml";
  }
  return "?";
}

bool builtin_namespaced(const std::string& api_version, const std::string& kind) {
  // kind → API group of the cluster-scoped kinds a repository commonly holds.
  static const std::map<std::string, std::string> kClusterScoped = {
      {"APIService", "apiregistration.k8s.io"},
      {"CSIDriver", "storage.k8s.io"},
      {"CSINode", "storage.k8s.io"},
      {"CertificateSigningRequest", "certificates.k8s.io"},
      {"ClusterRole", "rbac.authorization.k8s.io"},
      {"ClusterRoleBinding", "rbac.authorization.k8s.io"},
      {"CustomResourceDefinition", "apiextensions.k8s.io"},
      {"FlowSchema", "flowcontrol.apiserver.k8s.io"},
      {"IngressClass", "networking.k8s.io"},
      {"MutatingWebhookConfiguration", "admissionregistration.k8s.io"},
      {"Namespace", ""},
      {"Node", ""},
      {"PersistentVolume", ""},
      {"PriorityClass", "scheduling.k8s.io"},
      {"PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io"},
      {"RuntimeClass", "node.k8s.io"},
      {"StorageClass", "storage.k8s.io"},
      {"ValidatingAdmissionPolicy", "admissionregistration.k8s.io"},
      {"ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io"},
      {"ValidatingWebhookConfiguration", "admissionregistration.k8s.io"},
      {"VolumeAttachment", "storage.k8s.io"},
  };
  auto it = kClusterScoped.find(kind);
  if (it == kClusterScoped.end()) return true;
  size_t slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  return group != it->second;
}

Result<Rendered> render_path(const std::map<std::string, std::string>& files,
                             const RenderOptions& options) {
  Rendered rendered{.kind = kind_of(files)};
  Result<std::vector<ManifestObject>> read = std::vector<ManifestObject>{};
  switch (rendered.kind) {
    case RenderKind::kKustomization:
      read = kustomize(files, options);
      break;
    case RenderKind::kFusionRegistry:
      read = generate(files.at(kRegistryFileName));
      break;
    case RenderKind::kManifests:
      read = read_manifests(files);
      break;
  }
  if (!read) return Error{read.error()};
  auto objects = finish(std::move(read).value(), options);
  if (!objects) return Error{objects.error()};
  rendered.objects = std::move(objects).value();
  return rendered;
}

}  // namespace fusion::gitops
