#pragma once
// How a request logs in, asked before each one: a static token, a token file read again each
// time (service-account tokens are rotated), or an exec credential plugin
// (client.authentication.k8s.io v1 / v1beta1, the way EKS, GKE and AKS log in) whose answer is
// kept until its expirationTimestamp.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "kube/kubeconfig.h"
#include "util/result.h"
#include "util/subprocess.h"

namespace fusion {

struct Credentials {
  std::string token;  ///< a bearer token; empty when none
  std::string client_certificate_pem, client_key_pem;
  /// When an exec plugin's answer stops being good; none: until a 401 says so.
  std::optional<std::chrono::system_clock::time_point> expires;
};

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  virtual Result<Credentials> credentials() = 0;
  /// The server answered 401: forget any cached answer so the next call asks again.
  virtual void invalidate() {}
};

/// The parsed answer of an exec plugin (its stdout), checked against the apiVersion the
/// kubeconfig asked for.
Result<Credentials> parse_exec_credential(const std::string& json,
                                          const std::string& expected_api_version);
/// "2026-11-27T13:00:00Z" (RFC 3339, UTC or with an offset) as a time point.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& text);

class ExecCredentialSource : public CredentialSource {
 public:
  using WallClock = std::function<std::chrono::system_clock::time_point()>;
  ExecCredentialSource(
      ExecPlugin plugin, const ClusterConnection& cluster, ProcessRunner& runner,
      WallClock now = [] { return std::chrono::system_clock::now(); });
  Result<Credentials> credentials() override;
  void invalidate() override;
  int runs() const { return runs_; }  ///< how often the plugin ran

 private:
  std::string exec_info() const;

  ExecPlugin plugin_;
  std::string server_, ca_pem_;
  bool insecure_;
  ProcessRunner& runner_;
  WallClock now_;
  std::mutex mutex_;
  std::optional<Credentials> cached_;
  int runs_ = 0;
};

/// The source a connection's user calls for: exec, token file, token, client certificate, or
/// none (basic auth and anonymous need no per-request credentials).
std::unique_ptr<CredentialSource> credential_source_for(const ClusterConnection& connection,
                                                        ProcessRunner& runner);

}  // namespace fusion
