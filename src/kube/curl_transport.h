#pragma once
// The real HttpTransport: libcurl, HTTP/2 where the server offers it, TLS set up from the
// kubeconfig's connection (CA, client certificate, tls-server-name, proxy), credentials asked
// for before each request, and connections kept: finished handles go back to a pool, so a
// thread's next request reuses its connection.

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "kube/credentials.h"
#include "kube/http_transport.h"
#include "kube/kubeconfig.h"

namespace fusion {

class CurlTransport : public HttpTransport {
 public:
  struct Options {
    std::chrono::milliseconds timeout{30'000};  ///< a request without its own
    std::chrono::milliseconds connect_timeout{10'000};
  };
  CurlTransport(ClusterConnection connection, std::unique_ptr<CredentialSource> credentials,
                Options options);
  CurlTransport(ClusterConnection connection, std::unique_ptr<CredentialSource> credentials)
      : CurlTransport(std::move(connection), std::move(credentials), Options{}) {}
  ~CurlTransport() override;

  HttpResponse send(const HttpRequest& request) override;
  HttpResponse stream(const HttpRequest& request,
                      const std::function<bool(std::string_view)>& on_data) override;

  /// Connections opened so far (each pooled handle opens its own): for tests and benchmarks.
  long connections_opened() const;

 private:
  struct Handle;
  HttpResponse perform(const HttpRequest& request,
                       const std::function<bool(std::string_view)>* on_data);
  HttpResponse perform_once(const HttpRequest& request, const Credentials& credentials,
                            const std::function<bool(std::string_view)>* on_data);
  std::unique_ptr<Handle> take_handle();
  void give_back(std::unique_ptr<Handle> handle);

  ClusterConnection connection_;
  std::unique_ptr<CredentialSource> credentials_;
  Options options_;
  std::string base_url_;
  std::string connect_to_;  ///< CURLOPT_CONNECT_TO when tls-server-name differs from the host
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;
  long connections_ = 0;
};

}  // namespace fusion
