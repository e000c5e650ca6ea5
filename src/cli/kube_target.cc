#include "cli/kube_target.h"

#include <cstdlib>

namespace fusion {

void TargetOption::add_to(CLI::App& app, bool with_loader) {
  app.add_option("--target", target, "Where the stack runs: the engine (default) or kubernetes")
      ->check(CLI::IsMember({"engine", "kubernetes"}));
  app.add_option("--kubeconfig", kube.kubeconfig,
                 "With --target kubernetes: this kubeconfig alone");
  app.add_option("--context", kube.context, "With --target kubernetes: the kubeconfig context");
  app.add_option("--namespace", kube.namespace_,
                 "With --target kubernetes: the stack's namespace (default: the stack's name)");
  if (with_loader) {
    app.add_option("--loader", loader,
                   "With --target kubernetes: how images reach the cluster: containerd[:SOCKET], "
                   "kind[:NAME], minikube[:PROFILE], k3d[:NAME], docker-desktop, "
                   "registry:HOST/PREFIX (default: chosen from the cluster)");
  }
}

TargetOption TargetOption::resolved(const CheckedRegistry& checked) const {
  TargetOption out = *this;
  const RunTarget& chosen = checked.registry.run_target;
  auto fill = [](std::string& field, const Text& from) {
    if (field.empty()) field = from.value;
  };
  fill(out.target, chosen.target);
  fill(out.kube.context, chosen.context);
  fill(out.kube.namespace_, chosen.namespace_);
  fill(out.loader, chosen.loader);
  if (out.kube.kubeconfig.empty() && chosen.kubeconfig.present()) {
    std::string written = chosen.kubeconfig.value;
    const char* home = std::getenv("HOME");
    if (written.starts_with("~/") && home) written = std::string(home) + written.substr(1);
    std::filesystem::path path = written;
    out.kube.kubeconfig = path.is_relative() ? checked.overlay_path.parent_path() / path : path;
  }
  return out;
}

Result<KubeStack> open_kube_stack(const TargetOption& option, const Registry& registry,
                                  ProcessRunner& runner, bool with_loader) {
  KubeStack stack;
  KubeconfigOptions kube = option.kube;
  stack.namespace_ = kube.namespace_.empty() ? registry.name.value : kube.namespace_;
  kube.namespace_ = stack.namespace_;
  auto session = open_kube_session(kube, runner);
  if (!session) return Error{session.error()};
  stack.session = std::move(session).value();
  if (!with_loader) return stack;
  auto nodes = stack.session->client->list("v1", "Node", "");
  if (!nodes) {
    return Error{"cannot read the cluster's nodes (" + stack.session->connection.server +
                 "): " + nodes.error().describe()};
  }
  stack.nodes = {{"items", nodes.value().items}};
  auto loader = [&]() -> Result<LoaderChoice> {
    if (!option.loader.empty()) return parse_loader(option.loader);
    const char* socket = std::getenv("FUSION_CONTAINERD_ADDRESS");
    return choose_loader(
        stack.session->connection.context_name, stack.nodes,
        socket && *socket ? std::string(socket) : std::string(kDefaultContainerdSocket));
  }();
  if (!loader) return Error{loader.error()};
  stack.loader = std::move(loader).value();
  return stack;
}

}  // namespace fusion
