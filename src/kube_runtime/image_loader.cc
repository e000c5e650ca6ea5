#include "kube_runtime/image_loader.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "util/strings.h"

namespace fusion {

using nlohmann::json;

namespace {

constexpr std::chrono::minutes kCommandTimeout{10};
constexpr size_t kReportedLines = 5;
constexpr std::string_view kAcceptedForms =
    "containerd[:SOCKET], kind[:NAME], minikube[:PROFILE], k3d[:NAME], docker-desktop, "
    "registry:HOST[:PORT][/PREFIX]";

using ImportCommand = std::vector<std::string> (*)(const std::string& target,
                                                   const std::string& archive);

std::vector<std::string> containerd_import(const std::string& socket, const std::string& archive) {
  return {"ctr", "--address", socket, "-n", "k8s.io", "images", "import", archive};
}
std::vector<std::string> kind_import(const std::string& cluster, const std::string& archive) {
  return {"kind", "load", "image-archive", archive, "--name", cluster};
}
std::vector<std::string> minikube_import(const std::string& profile, const std::string& archive) {
  return {"minikube", "-p", profile, "image", "load", archive};
}
std::vector<std::string> k3d_import(const std::string& cluster, const std::string& archive) {
  return {"k3d", "image", "import", archive, "-c", cluster};
}

/// One loader: its --loader word, what may follow the ':', where it puts images (for messages;
/// "{}" is the target) and, for those that import an archive into the nodes, the import command.
struct LoaderForm {
  LoaderKind kind;
  const char* name;
  std::string_view default_target;  ///< used when nothing follows the word
  bool takes_target;
  bool needs_target;
  const char* destination;
  ImportCommand import;  ///< nullptr: no archive
};

constexpr LoaderForm kForms[] = {
    {LoaderKind::kContainerd, "containerd", kDefaultContainerdSocket, true, false,
     "containerd at {}", containerd_import},
    {LoaderKind::kKind, "kind", "kind", true, false, "kind cluster '{}'", kind_import},
    {LoaderKind::kMinikube, "minikube", "minikube", true, false, "minikube profile '{}'",
     minikube_import},
    {LoaderKind::kK3d, "k3d", "k3s-default", true, false, "k3d cluster '{}'", k3d_import},
    {LoaderKind::kDockerDesktop, "docker-desktop", "", false, false, "Docker Desktop's cluster",
     nullptr},
    {LoaderKind::kRegistry, "registry", "", true, true, "registry {}", nullptr},
};

const LoaderForm& form_of(LoaderKind kind) {
  for (const LoaderForm& form : kForms) {
    if (form.kind == kind) return form;
  }
  return kForms[0];
}

Error loader_error(std::string_view text, const std::string& problem) {
  return Error{"loader '" + std::string(text) + "': " + problem + "; the accepted forms are " +
               std::string(kAcceptedForms)};
}

Error unknown_loader(std::string_view text, std::string_view word) {
  std::vector<std::string> words;
  for (const LoaderForm& form : kForms) words.emplace_back(form.name);
  std::string problem = "unknown loader '" + std::string(word) + "'";
  if (auto near = closest_match(word, words)) problem += "; did you mean '" + *near + "'?";
  return loader_error(text, problem);
}

/// HOST[:PORT][/PREFIX] without a scheme, spaces, a digest or empty path components.
std::optional<std::string> registry_problem(std::string_view target) {
  if (target.find("://") != std::string_view::npos) return "give the registry without a scheme";
  if (target.find_first_of(" \t@") != std::string_view::npos) {
    return "a registry holds no spaces and no '@'";
  }
  for (std::string_view part : split(target, '/')) {
    if (part.empty()) return "the registry '" + std::string(target) + "' has an empty part";
  }
  return std::nullopt;
}

/// The member `key` of `j`, or null when `j` is not an object or lacks it.
const json& member(const json& j, const char* key) {
  static const json null;
  if (!j.is_object()) return null;
  auto it = j.find(key);
  return it == j.end() ? null : *it;
}

std::string string_member(const json& j, const char* key) {
  const json& value = member(j, key);
  return value.is_string() ? value.get<std::string>() : "";
}

/// The items of a NodeList; empty when it has none.
std::vector<json> node_items(const json& nodes) {
  const json& items = member(nodes, "items");
  return items.is_array() ? items.get<std::vector<json>>() : std::vector<json>{};
}

std::string node_name(const json& node) { return string_member(member(node, "metadata"), "name"); }

std::string runtime_version(const json& node) {
  return string_member(member(member(node, "status"), "nodeInfo"), "containerRuntimeVersion");
}

std::optional<LoaderChoice> from_context_name(const std::string& context) {
  std::string why = "context '" + context + "' is a ";
  if (context.size() > 5 && context.starts_with("kind-")) {
    return LoaderChoice{LoaderKind::kKind, context.substr(5), why + "kind cluster"};
  }
  if (context.size() > 4 && context.starts_with("k3d-")) {
    return LoaderChoice{LoaderKind::kK3d, context.substr(4), why + "k3d cluster"};
  }
  if (context == "minikube") {
    return LoaderChoice{LoaderKind::kMinikube, "minikube", why + "minikube cluster"};
  }
  if (context == "docker-desktop" || context == "docker-for-desktop") {
    return LoaderChoice{LoaderKind::kDockerDesktop, "", why + "Docker Desktop cluster"};
  }
  return std::nullopt;
}

std::optional<LoaderChoice> from_nodes(const json& nodes, const std::string& containerd_socket) {
  std::vector<json> items = node_items(nodes);
  for (const json& node : items) {
    std::string profile =
        string_member(member(member(node, "metadata"), "labels"), "minikube.k8s.io/name");
    if (profile.empty()) continue;
    return LoaderChoice{
        LoaderKind::kMinikube, profile,
        "node '" + node_name(node) + "' is labelled minikube.k8s.io/name=" + profile};
  }
  for (const json& node : items) {
    std::string version = runtime_version(node);
    if (!version.starts_with("containerd://")) continue;
    return LoaderChoice{LoaderKind::kContainerd, containerd_socket,
                        "node '" + node_name(node) + "' runs " + version + "; importing through " +
                            containerd_socket};
  }
  return std::nullopt;
}

/// "'a' runs cri-o://1.28, 'b' runs docker://24" or "no nodes were listed".
std::string nodes_seen(const json& nodes) {
  std::vector<std::string> seen;
  for (const json& node : node_items(nodes)) {
    std::string version = runtime_version(node);
    seen.push_back("'" + node_name(node) + "' runs " +
                   (version.empty() ? "an unknown runtime" : version));
  }
  return seen.empty() ? "no nodes were listed" : "node " + join(seen, ", ");
}

/// `reference` as the runtimes compare it: "busybox" → "docker.io/library/busybox:latest".
std::string normalised_reference(std::string_view reference) {
  std::string_view digest;
  if (size_t at = reference.find('@'); at != std::string_view::npos) {
    digest = reference.substr(at);
    reference = reference.substr(0, at);
  }
  std::string_view name = reference;
  std::string_view tag;
  size_t slash = reference.rfind('/');
  size_t colon = reference.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    name = reference.substr(0, colon);
    tag = reference.substr(colon);
  }
  std::string domain = "docker.io";
  std::string_view path = name;
  if (size_t first = name.find('/'); first != std::string_view::npos) {
    std::string_view head = name.substr(0, first);
    if (head.find_first_of(".:") != std::string_view::npos || head == "localhost") {
      domain = head == "index.docker.io" ? "docker.io" : std::string(head);
      path = name.substr(first + 1);
    }
  }
  bool official = domain == "docker.io" && path.find('/') == std::string_view::npos;
  std::string normal = domain + "/" + (official ? "library/" : "") + std::string(path);
  // A digest names the image: a tag beside it adds nothing.
  if (!digest.empty()) return normal + std::string(digest);
  return normal + (tag.empty() ? ":latest" : std::string(tag));
}

/// Where a loader puts images, for messages: "kind cluster 'dev'".
std::string destination(const LoaderChoice& choice) {
  return fmt::format(fmt::runtime(form_of(choice.kind).destination), choice.target);
}

/// The last `count` non-empty lines of `text`, each indented by two spaces.
std::string last_lines(std::string_view text, size_t count) {
  std::vector<std::string_view> lines;
  for (std::string_view line : split(text, '\n')) {
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) lines.push_back(line);
  }
  size_t first = lines.size() > count ? lines.size() - count : 0;
  std::string out;
  for (size_t i = first; i < lines.size(); ++i) out += "\n  " + std::string(lines[i]);
  return out;
}

/// The one place commands run: "`ARGV` failed (exit 1):" and the output's last lines on failure.
Status run_command(ProcessRunner& runner, const std::vector<std::string>& argv) {
  ProcessResult r = runner.run({.argv = argv, .timeout = kCommandTimeout, .merge_stderr = true});
  if (r.ok()) return ok_status();
  std::string what = "`" + join(argv, " ") + "`";
  if (r.timed_out) {
    what += " timed out after " + std::to_string(kCommandTimeout.count()) + " minutes";
  } else if (r.exit_code == -1) {
    what += " could not start";
  } else {
    what += " failed (exit " + std::to_string(r.exit_code) + ")";
  }
  std::string output = last_lines(r.out + "\n" + r.err, kReportedLines);
  return Error{what + (output.empty() ? "" : ":" + output)};
}

Status load_failure(const LoaderChoice& choice, const std::string& image, const Status& cause) {
  return Error{"cannot load '" + image + "' into " + destination(choice) + ": " + cause.error()};
}

bool is_podman(const std::string& engine) {
  return std::filesystem::path(engine).filename() == "podman";
}

/// A new private folder (0700) under `scratch_dir`, which is created if missing.
Result<std::filesystem::path> make_private_folder(const std::filesystem::path& scratch_dir) {
  std::error_code ec;
  std::filesystem::create_directories(scratch_dir, ec);
  if (ec) return Error{"cannot create " + scratch_dir.string() + ": " + ec.message()};
  std::string pattern = (scratch_dir / "image-load-XXXXXX").string();
  if (mkdtemp(pattern.data())) return std::filesystem::path(pattern);
  int error = errno;
  return Error{"cannot create a folder in " + scratch_dir.string() + ": " +
               std::generic_category().message(error)};
}

/// Removes a folder and what it holds when it goes out of scope.
struct RemovedAtExit {
  std::filesystem::path path;
  ~RemovedAtExit() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

/// "localhost/shop-api:0123abcd" → "shop-api_0123abcd.tar": readable in error messages.
std::string archive_name(const std::string& image) {
  std::string name = image.substr(image.rfind('/') + 1);  // npos + 1 == 0
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
  }
  return name + ".tar";
}

/// A loader that runs commands: the engine's, then the cluster tool's.
class CommandLoader : public ImageLoader {
 public:
  CommandLoader(LoaderChoice choice, ProcessRunner& runner, std::string engine)
      : choice_(std::move(choice)), runner_(runner), engine_(std::move(engine)) {}

 protected:
  /// Runs `commands` in order up to the first that fails, which the error names.
  Status run_in_order(const std::string& image,
                      const std::vector<std::vector<std::string>>& commands) {
    for (const auto& argv : commands) {
      Status done = run_command(runner_, argv);
      if (!done.ok()) return load_failure(choice_, image, done);
    }
    return ok_status();
  }

  LoaderChoice choice_;
  ProcessRunner& runner_;
  std::string engine_;
};

/// Saves the image to a docker-archive, then runs the cluster tool's import on it.
class ArchiveLoader : public CommandLoader {
 public:
  ArchiveLoader(LoaderChoice choice, ProcessRunner& runner, std::string engine,
                std::filesystem::path scratch_dir)
      : CommandLoader(std::move(choice), runner, std::move(engine)),
        import_(form_of(choice_.kind).import),
        scratch_dir_(std::move(scratch_dir)) {}

  Status load(const std::string& image) override {
    auto folder = make_private_folder(scratch_dir_);
    if (!folder.ok()) return load_failure(choice_, image, Error{folder.error()});
    RemovedAtExit removed{*folder};
    std::string archive = (*folder / archive_name(image)).string();
    return run_in_order(image, {save_command(image, archive), import_(choice_.target, archive)});
  }

 private:
  std::vector<std::string> save_command(const std::string& image, const std::string& archive) {
    if (!is_podman(engine_)) return {engine_, "save", "-o", archive, image};
    return {engine_, "save", "--format", "docker-archive", "-o", archive, image};
  }

  ImportCommand import_;
  std::filesystem::path scratch_dir_;
};

/// Tags the image with its registry reference and pushes it.
class RegistryLoader : public CommandLoader {
 public:
  using CommandLoader::CommandLoader;

  Status load(const std::string& image) override {
    std::string reference = cluster_reference(choice_, image);
    return run_in_order(image, {{engine_, "tag", image, reference}, {engine_, "push", reference}});
  }
};

/// Docker Desktop's cluster runs on docker's own image store: nothing to do, when docker built
/// the image.
class SharedEngineLoader : public ImageLoader {
 public:
  explicit SharedEngineLoader(std::string engine) : engine_(std::move(engine)) {}

  Status load(const std::string& image) override {
    if (!is_podman(engine_)) return ok_status();
    return Error{"cannot load '" + image +
                 "' into Docker Desktop's cluster: it sees docker's images only, and this one "
                 "was built by podman; pass --loader registry:HOST/PREFIX (or build with docker)"};
  }

 private:
  std::string engine_;
};

}  // namespace

const char* loader_kind_name(LoaderKind kind) { return form_of(kind).name; }

Result<LoaderChoice> parse_loader(std::string_view text) {
  size_t colon = text.find(':');
  std::string_view word = text.substr(0, colon);
  const LoaderForm* form = nullptr;
  for (const LoaderForm& f : kForms) {
    if (word == f.name) form = &f;
  }
  if (!form) return unknown_loader(text, word);
  std::string target(colon == std::string_view::npos ? "" : text.substr(colon + 1));
  if (colon != std::string_view::npos && !form->takes_target) {
    return loader_error(text, std::string(word) + " takes nothing after it");
  }
  if (colon != std::string_view::npos && target.empty()) {
    return loader_error(text, "nothing follows the ':'");
  }
  if (form->needs_target && target.empty()) {
    return loader_error(text, std::string(word) + " needs HOST[:PORT][/PREFIX] after a ':'");
  }
  if (form->kind == LoaderKind::kRegistry) {
    while (target.ends_with('/')) target.pop_back();
    if (auto problem = registry_problem(target)) return loader_error(text, *problem);
  }
  if (target.empty()) target = form->default_target;
  return LoaderChoice{form->kind, target, "loader '" + std::string(text) + "' was given"};
}

Result<LoaderChoice> choose_loader(const std::string& context_name, const json& nodes,
                                   const std::string& containerd_socket) {
  if (auto choice = from_context_name(context_name)) return *choice;
  if (auto choice = from_nodes(nodes, containerd_socket)) return *choice;
  return Error{"cannot tell how to load images into the cluster of context '" + context_name +
               "' (" + nodes_seen(nodes) + "); pass --loader, or set `loader:` in " +
               "fusion.local.yaml, as one of " + std::string(kAcceptedForms)};
}

std::string cluster_reference(const LoaderChoice& choice, const std::string& image) {
  if (choice.kind != LoaderKind::kRegistry) return image;
  return choice.target + "/" + image.substr(image.rfind('/') + 1);  // npos + 1 == 0
}

bool cluster_has_image(const json& nodes, const std::string& reference) {
  std::string wanted = normalised_reference(reference);
  for (const json& node : node_items(nodes)) {
    const json& images = member(member(node, "status"), "images");
    if (!images.is_array()) continue;
    for (const json& image : images) {
      const json& names = member(image, "names");
      if (!names.is_array()) continue;
      for (const json& name : names) {
        if (name.is_string() && normalised_reference(name.get<std::string>()) == wanted) {
          return true;
        }
      }
    }
  }
  return false;
}

std::unique_ptr<ImageLoader> make_image_loader(const LoaderChoice& choice, ProcessRunner& runner,
                                               const std::string& engine,
                                               const std::filesystem::path& scratch_dir) {
  if (choice.kind == LoaderKind::kDockerDesktop) {
    return std::make_unique<SharedEngineLoader>(engine);
  }
  if (choice.kind == LoaderKind::kRegistry) {
    return std::make_unique<RegistryLoader>(choice, runner, engine);
  }
  return std::make_unique<ArchiveLoader>(choice, runner, engine, scratch_dir);
}

}  // namespace fusion
