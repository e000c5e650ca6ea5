#pragma once
// `fusion down --target kubernetes`: deletes every object of the stack in its namespace, the
// services' own objects dependents first, then what they shared, and waits until the objects
// and their pods are gone. Only objects carrying the stack's labels are ever deleted;
// persistent volume claims (the data) stay unless asked for, and so does the namespace.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "kube/kube_client.h"
#include "util/result.h"

namespace fusion {

struct KubeDownOptions {
  std::string stack{};
  std::string namespace_{};
  std::vector<std::string> services{};  ///< in reverse dependency order: deleted first to last
  bool volumes = false;                 ///< also delete the claims
  std::chrono::seconds timeout{120};    ///< for everything to be gone
  std::function<void(const std::string&)> on_removed{};  ///< "Deployment shop/web"
};

struct KubeDownReport {
  std::vector<std::string> removed;  ///< the objects deleted, described
  size_t claims_kept = 0;
};

Result<KubeDownReport> kube_down(KubeClient& client, const KubeDownOptions& options);

}  // namespace fusion
