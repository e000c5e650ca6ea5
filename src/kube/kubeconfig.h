#pragma once
// kubeconfig as kubectl reads it: the files of KUBECONFIG (or --kubeconfig, or
// ~/.kube/config) merged with the first value of each name winning, a context chosen (current
// or --context), and what it points to resolved into one ClusterConnection: where the server
// is, how to trust it and how to log in. Without any kubeconfig, the in-cluster service
// account. Paths in a file are relative to that file.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace fusion {

/// An exec credential plugin (client.authentication.k8s.io): the way EKS, GKE and AKS log in.
struct ExecPlugin {
  std::string api_version;  ///< client.authentication.k8s.io/v1 or v1beta1
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  bool provide_cluster_info = false;
  std::string install_hint;
};

struct ClusterConnection {
  std::string server;  ///< "https://127.0.0.1:6443"
  std::string context_name;
  std::string cluster_name;
  std::string user_name;
  std::string namespace_ = "default";

  // Trust
  std::string ca_pem;  ///< certificate-authority(-data), read; empty: the system's CAs
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string proxy_url;

  // Log in: at most one of these is used, in this order.
  std::string token;
  std::filesystem::path token_file;  ///< read at each use (it is rotated)
  std::string client_certificate_pem;
  std::string client_key_pem;
  std::string username, password;  ///< basic auth
  std::optional<ExecPlugin> exec;

  bool in_cluster = false;
};

struct KubeconfigOptions {
  std::filesystem::path kubeconfig{};  ///< --kubeconfig: this file alone
  std::string context{};               ///< --context
  std::string namespace_{};            ///< --namespace
};

/// The environment a kubeconfig is read in, passed in so tests need no real home or pod.
struct KubeconfigEnvironment {
  std::string kubeconfig_variable;  ///< $KUBECONFIG, paths separated by ':'
  std::filesystem::path home;       ///< ~/.kube/config lives here
  std::string service_host;         ///< $KUBERNETES_SERVICE_HOST
  std::string service_port;         ///< $KUBERNETES_SERVICE_PORT
  std::filesystem::path service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";

  static KubeconfigEnvironment from_process();
};

/// The connection the options and environment choose, or why there is none (no kubeconfig,
/// an unknown context, a file that does not parse, a certificate that cannot be read).
Result<ClusterConnection> load_cluster_connection(const KubeconfigOptions& options,
                                                  const KubeconfigEnvironment& environment);

/// The merged contexts of the kubeconfig files (for `doctor` and messages): names in order.
Result<std::vector<std::string>> kubeconfig_contexts(const KubeconfigOptions& options,
                                                     const KubeconfigEnvironment& environment);

}  // namespace fusion
