#pragma once
// The Kubernetes context fusion would use: reachable, its version, server-side apply available
// in the target namespace (a dry run, nothing stored), and whether this user may do what fusion
// does there (one SelfSubjectAccessReview per verb and resource).

#include <string>
#include <vector>

#include "doctor/check.h"
#include "kube/kube_client.h"
#include "kube/kubeconfig.h"

namespace fusion {

/// What the doctor line names: the context, the server and the target namespace.
struct KubeTarget {
  std::string context;
  std::string server;
  std::string namespace_;
};

/// The resources fusion applies, with their API group ("" for core).
struct KubeResourceKind {
  std::string group;
  std::string resource;
};
const std::vector<KubeResourceKind>& applied_resources();
const std::vector<std::string>& needed_verbs();

/// Whether there is any kubeconfig to read: --kubeconfig, a file of $KUBECONFIG that exists,
/// ~/.kube/config, or a pod's service account (KUBERNETES_SERVICE_HOST).
bool kubeconfig_present(const KubeconfigOptions& options, const KubeconfigEnvironment& environment);

/// "kubernetes" warn: no context at all, fine unless the stack runs on Kubernetes.
CheckResult no_kubernetes_context();

/// "kubernetes", "kubernetes.apply", "kubernetes.access[.<resource>]". Stops after the first
/// when the server cannot be reached.
std::vector<CheckResult> check_kubernetes(KubeClient& client, const KubeTarget& target);

}  // namespace fusion
