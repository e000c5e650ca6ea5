#pragma once
// A Kubernetes API client: the verbs fusion needs (get, list, watch, server-side apply,
// create, delete, status patch) over any kind the server knows, CRDs included, through
// discovery. Every call is rate limited (one shared token bucket, like client-go's QPS and
// burst) and returns the value or the typed ApiError. The client owns no I/O of its own: it
// speaks through an HttpTransport, so unit tests pass a fake.

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kube/discovery.h"
#include "kube/http_transport.h"
#include "kube/kube_result.h"
#include "kube/object_ref.h"
#include "kube/rate_limiter.h"
#include "util/clock.h"

namespace fusion {

struct ListOptions {
  std::string label_selector{};
  std::string field_selector{};
  /// Objects per page; the client follows `continue` until the list is whole.
  int limit = 500;
};

struct ObjectList {
  std::vector<nlohmann::json> items;
  std::string resource_version{};  ///< of the list: where a watch resumes
  int pages = 0;
};

struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark };
  Type type = Type::kAdded;
  nlohmann::json object;
};

struct WatchOptions {
  std::string label_selector{};
  std::string field_selector{};
  std::string resource_version{};  ///< resume after this version; empty: from now
  bool bookmarks = true;
  std::chrono::seconds server_timeout{300};  ///< the server ends the watch after this
};

struct ApplyOptions {
  std::string field_manager = "fusion";
  bool force = false;    ///< take fields other managers own instead of failing with 409
  bool dry_run = false;  ///< dryRun=All: validated and defaulted, nothing stored
};

struct PodLogOptions {
  std::string container{};   ///< empty: the pod's only container
  size_t tail_lines = 0;     ///< 0: all
  bool timestamps = false;   ///< each line starts with an RFC 3339 time and a space
  std::string since_time{};  ///< RFC 3339; the server keeps whole seconds
  bool previous = false;     ///< the container's last terminated instance (after a crash)
};

struct DeleteOptions {
  /// "Background" (the default of most kinds), "Foreground" or "Orphan".
  std::string propagation = "Background";
  std::string precondition_uid{};               ///< delete only this incarnation
  std::string precondition_resource_version{};  ///< delete only if unchanged since
  bool dry_run = false;
};

class KubeClient {
 public:
  /// `default_namespace` is used for namespaced objects and calls that name none.
  KubeClient(HttpTransport& transport, std::string default_namespace,
             RateLimiter::Options rate = {});

  const std::string& default_namespace() const { return default_namespace_; }
  Discovery& discovery() { return discovery_; }

  KubeResult<nlohmann::json> get(const ObjectRef& ref);
  /// Every page of the list. `namespace_` empty: the default namespace for namespaced kinds;
  /// "*": all namespaces.
  KubeResult<ObjectList> list(const std::string& api_version, const std::string& kind,
                              const std::string& namespace_, const ListOptions& options = {});
  /// Streams events to `on_event` until it returns false, the server ends the watch, or an
  /// error arrives. Returns the last resourceVersion seen (where to resume). A 410 Gone (the
  /// version was compacted) comes back as an error with gone() true: list again, then watch.
  KubeResult<std::string> watch(const std::string& api_version, const std::string& kind,
                                const std::string& namespace_, const WatchOptions& options,
                                const std::function<bool(const WatchEvent&)>& on_event);
  /// Server-side apply of one whole object (apiVersion, kind, metadata.name required).
  KubeResult<nlohmann::json> apply(const nlohmann::json& object, const ApplyOptions& options = {});
  KubeResult<nlohmann::json> create(const nlohmann::json& object, bool dry_run = false);
  /// The server's answer to the delete (the object, or a Status for some kinds).
  KubeResult<nlohmann::json> remove(const ObjectRef& ref, const DeleteOptions& options = {});
  /// Server-side apply of the status subresource: `status_object` holds apiVersion, kind,
  /// metadata.name (and namespace) and the status to own.
  KubeResult<nlohmann::json> apply_status(const nlohmann::json& status_object,
                                          const ApplyOptions& options);
  /// A pod's log (pods/log) as text.
  KubeResult<std::string> pod_log(const std::string& namespace_, const std::string& pod,
                                  const PodLogOptions& options = {});
  /// A GET of any path that answers JSON ("/version", "/apis").
  KubeResult<nlohmann::json> get_path(const std::string& path);
  /// A POST of JSON to any path (SelfSubjectAccessReview, TokenReview).
  KubeResult<nlohmann::json> post_path(const std::string& path, const nlohmann::json& body);

  /// The URL path of an object (or, with an empty name, of its collection), through discovery.
  KubeResult<std::string> path_of(const ObjectRef& ref);

 private:
  HttpResponse send(HttpRequest request);
  KubeResult<nlohmann::json> send_json(HttpRequest request);
  /// Server-side apply of `object` to its URL plus `subresource` ("" or "/status").
  KubeResult<nlohmann::json> apply_to(const nlohmann::json& object, const std::string& subresource,
                                      const ApplyOptions& options);
  KubeResult<std::string> collection_path(const std::string& api_version, const std::string& kind,
                                          const std::string& namespace_);
  ObjectRef ref_of(const nlohmann::json& object) const;

  HttpTransport& transport_;
  std::string default_namespace_;
  SteadyClock clock_;
  RateLimiter rate_limiter_;
  Discovery discovery_;
};

}  // namespace fusion
