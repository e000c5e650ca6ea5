#pragma once
// Where the stack runs: the local engine (podman or docker), or a Kubernetes cluster with
// `--target kubernetes`. What the stack commands share to reach the cluster: the kubeconfig
// options, the stack's namespace (its name unless --namespace says otherwise) and the image
// loader, chosen from the cluster unless --loader names one.

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/session.h"
#include "kube/kube_session.h"
#include "kube/kubeconfig.h"
#include "kube_runtime/image_loader.h"
#include "registry/model.h"

namespace fusion {

struct TargetOption {
  std::string target;  ///< "" (the engine) or "kubernetes"
  KubeconfigOptions kube;
  std::string loader;  ///< --loader, parsed by parse_loader
  void add_to(CLI::App& app, bool with_loader);
  bool kubernetes() const { return target == "kubernetes"; }
  /// These options, with what the command line left unset taken from fusion.local.yaml's
  /// `target` and `kubernetes` (its kubeconfig relative to the overlay's folder).
  TargetOption resolved(const CheckedRegistry& checked) const;
};

struct KubeStack {
  std::unique_ptr<KubeSession> session;
  std::string namespace_;
  nlohmann::json nodes;  ///< the cluster's NodeList
  LoaderChoice loader;
};

/// Connects to the cluster and reads its nodes; the loader is chosen only when `with_loader`.
Result<KubeStack> open_kube_stack(const TargetOption& option, const Registry& registry,
                                  ProcessRunner& runner, bool with_loader);

}  // namespace fusion
