#pragma once
// Making images built by the local engine (podman or docker) available to a Kubernetes cluster,
// as `fusion up --target kubernetes` needs: the loader is chosen from the kubeconfig context and
// the nodes (or given by the user), then imports an archive into the nodes' containerd, hands it
// to kind, minikube or k3d, does nothing (docker-desktop shares docker's images), or pushes to a
// registry the cluster pulls from.

#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/subprocess.h"

namespace fusion {

enum class LoaderKind { kContainerd, kKind, kMinikube, kK3d, kDockerDesktop, kRegistry };

/// "containerd", "kind", "minikube", "k3d", "docker-desktop", "registry": the word of --loader.
const char* loader_kind_name(LoaderKind kind);

inline constexpr std::string_view kDefaultContainerdSocket = "/run/containerd/containerd.sock";

struct LoaderChoice {
  LoaderKind kind = LoaderKind::kContainerd;
  /// containerd: the socket; kind, k3d: the cluster name; minikube: the profile; registry:
  /// "host[:port]/prefix" (no trailing '/'); docker-desktop: empty.
  std::string target{};
  /// One line saying how it was chosen, for --explain ("context 'kind-dev' is a kind cluster").
  std::string why{};
};

/// The user's choice (--loader, or `loader:` in fusion.local.yaml): "containerd[:SOCKET]",
/// "kind[:NAME]", "minikube[:PROFILE]", "k3d[:NAME]", "docker-desktop" or
/// "registry:HOST[:PORT][/PREFIX]". Without a target: containerd's default socket, kind's cluster
/// "kind", minikube's profile "minikube", k3d's cluster "k3s-default" (each tool's default).
/// Errors list the accepted forms; the caller adds where the text came from.
Result<LoaderChoice> parse_loader(std::string_view text);

/// The loader for the cluster of kubeconfig context `context_name` whose nodes are `nodes` (a v1
/// NodeList), first by the context's name: "kind-NAME" (kind NAME), "k3d-NAME" (k3d NAME),
/// "minikube" (profile minikube), "docker-desktop" or "docker-for-desktop"; then a node labelled
/// minikube.k8s.io/name (minikube, that profile); then a node whose containerRuntimeVersion is
/// "containerd://…" (containerd at `containerd_socket`, which the caller takes from
/// FUSION_CONTAINERD_ADDRESS or kDefaultContainerdSocket). Otherwise an error that names what
/// was seen and asks for --loader.
Result<LoaderChoice> choose_loader(const std::string& context_name, const nlohmann::json& nodes,
                                   const std::string& containerd_socket);

/// The reference the cluster's pods must use for `image`, the engine's name for it
/// ("localhost/shop-api:0123abcd", "busybox:1.36"): `image` itself for every loader but a
/// registry's, which gives "HOST/PREFIX/" + the last path component of `image` with its tag
/// ("HOST/PREFIX/shop-api:0123abcd").
std::string cluster_reference(const LoaderChoice& choice, const std::string& image);

/// Whether a node of `nodes` (a v1 NodeList) lists `reference` in status.images[].names, both
/// sides normalised as the container runtimes do: docker.io is the default registry and
/// docker.io/library the default for one-part names ("busybox:1.36" ==
/// "docker.io/library/busybox:1.36", "x/y:t" == "docker.io/x/y:t"), a missing tag is ":latest".
/// A digest ("name@sha256:…") is compared as written, after the name's registry is normalised.
bool cluster_has_image(const nlohmann::json& nodes, const std::string& reference);

class ImageLoader {
 public:
  virtual ~ImageLoader() = default;
  /// Makes `image`, present in the local engine, available to the cluster as
  /// cluster_reference(choice, image). Safe to call from several threads at once. Errors carry
  /// the failing command line and the last lines of its output.
  virtual Status load(const std::string& image) = 0;
};

/// `engine` is "podman" or "docker" (the program run for save, tag and push). Archives are
/// written to a private folder made under `scratch_dir` (created if missing) for each load, and
/// removed when the load ends, whether it worked or not.
std::unique_ptr<ImageLoader> make_image_loader(const LoaderChoice& choice, ProcessRunner& runner,
                                               const std::string& engine,
                                               const std::filesystem::path& scratch_dir);

}  // namespace fusion
