#pragma once
// The logs of a stack on a cluster: each container of each of its pods is a log source, found
// anew on every poll (pods are replaced by rollouts and restarts); and, for up's failure
// report, the last lines a service's newest pod wrote.

#include <string>
#include <vector>

#include "kube/kube_client.h"
#include "runtime/log_follow.h"

namespace fusion {

class PodLogReader : public LogReader {
 public:
  /// The pods of `namespace_` that match `selector`.
  PodLogReader(KubeClient& client, std::string namespace_name, std::string selector);
  /// "pod/container" for every container of every pod, by service (app.kubernetes.io/name).
  Result<std::vector<LogSource>> sources() override;
  Result<std::string> read(const LogSource& source, size_t tail, const std::string& since) override;

 private:
  KubeClient& client_;
  std::string namespace_, selector_;
};

/// "  last N log lines of pod/container:\n  | …" of `service`'s newest pod (its container's
/// previous instance when the current one has written nothing, as after a crash); "" when
/// there is nothing to show.
std::string last_pod_log_lines(KubeClient& client, const std::string& namespace_,
                               const std::string& selector, const std::string& service,
                               size_t lines);

}  // namespace fusion
