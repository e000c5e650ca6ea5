#pragma once
// What the API server serves: every group, version and resource, so any object (a CRD's too)
// maps to its URL and is known as namespaced or cluster-scoped. Read lazily, one group version
// at a time, kept for the client's life, and read again when a kind is not found (a CRD
// created since).

#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "kube/kube_result.h"

namespace fusion {

struct ApiResource {
  std::string group;    ///< "" for the core group
  std::string version;  ///< "v1"
  std::string kind;     ///< "Deployment"
  std::string plural;   ///< "deployments"
  bool namespaced = false;
  std::vector<std::string> verbs;
  bool has_status = false;  ///< serves the status subresource

  /// "/api/v1" or "/apis/apps/v1".
  std::string group_version_path() const;
};

class Discovery {
 public:
  /// `get` answers a GET of a path with JSON (the client's, rate limited).
  using Getter = std::function<KubeResult<nlohmann::json>(const std::string& path)>;
  explicit Discovery(Getter get);

  /// The resource serving `kind` in `api_version`; a NotFound ApiError when the server has
  /// none, after reading the group version again.
  KubeResult<ApiResource> resource_for(const std::string& api_version, const std::string& kind);
  /// Every group version the server serves ("v1", "apps/v1", …), preferred first per group.
  KubeResult<std::vector<std::string>> group_versions();
  /// Forgets what was read: the next lookups ask the server again.
  void invalidate();

 private:
  KubeResult<std::vector<ApiResource>> read_group_version(const std::string& api_version);

  Getter get_;
  std::mutex mutex_;
  std::map<std::string, std::vector<ApiResource>> by_group_version_;
};

}  // namespace fusion
