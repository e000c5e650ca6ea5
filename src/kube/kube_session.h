#pragma once
// Everything a command needs to talk to a cluster, opened in one call from the kubeconfig
// options: the resolved connection, the real transport (libcurl) and the client over it.

#include <memory>

#include "kube/http_transport.h"
#include "kube/kube_client.h"
#include "kube/kubeconfig.h"
#include "util/result.h"
#include "util/subprocess.h"

namespace fusion {

struct KubeSession {
  ClusterConnection connection;
  std::unique_ptr<HttpTransport> transport;
  std::unique_ptr<KubeClient> client;
};

/// Reads the kubeconfig (or the in-cluster account) and connects nothing yet: the first call
/// of the client does. `runner` runs exec credential plugins; it must outlive the session.
Result<std::unique_ptr<KubeSession>> open_kube_session(const KubeconfigOptions& options,
                                                       ProcessRunner& runner);

}  // namespace fusion
