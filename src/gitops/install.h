#pragma once
// What `fusion gitops install` prints or applies: the GitRepository CRD (with its schema, status
// subresource and printer columns), and the controller as it runs in a cluster: its namespace,
// ServiceAccount, RBAC and Deployment.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fusion {
namespace gitops {

struct InstallOptions {
  std::string namespace_ = "fusion-gitops";
  std::string image = "fusion:latest";  ///< an image with fusion and git
};

/// The CustomResourceDefinition of gitrepositories.gitops.fusion.dev.
nlohmann::json git_repository_crd();

/// The CRD, then the namespace, ServiceAccount, ClusterRole and binding, and Deployment, in the
/// order they are applied.
std::vector<nlohmann::json> install_objects(const InstallOptions& options);

}  // namespace gitops
}  // namespace fusion
