#include "kube/kube_session.h"

#include "kube/curl_transport.h"

namespace fusion {

Result<std::unique_ptr<KubeSession>> open_kube_session(const KubeconfigOptions& options,
                                                       ProcessRunner& runner) {
  Result<ClusterConnection> connection =
      load_cluster_connection(options, KubeconfigEnvironment::from_process());
  if (!connection.ok()) return Error{connection.error()};
  auto session = std::make_unique<KubeSession>();
  session->connection = connection.value();
  session->transport = std::make_unique<CurlTransport>(
      session->connection, credential_source_for(session->connection, runner));
  session->client =
      std::make_unique<KubeClient>(*session->transport, session->connection.namespace_);
  return session;
}

}  // namespace fusion
