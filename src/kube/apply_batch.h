#pragma once
// Server-side apply of many objects at once: several requests in flight over the client's
// pooled connections, and, given what was applied last time, no request at all for an object
// that is unchanged on both sides: its content has the digest it had when fusion last applied
// it, and the live object still has the resourceVersion that apply left (nobody, controller or
// person, has written it since). Live versions come from one list per kind and namespace, not
// one get per object.

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kube/kube_client.h"

namespace fusion {

struct AppliedRecord {
  std::string digest;            ///< of the object as sent
  std::string resource_version;  ///< the server's answer to that apply
};
/// What fusion applied last, by object; the caller keeps it (a file, a CR's status).
using AppliedState = std::map<ObjectRef, AppliedRecord>;

struct BatchApplyResult {
  /// Sent and stored (without a state to compare with, every object sent counts here).
  size_t applied = 0;
  size_t unchanged = 0;  ///< sent, and the server stored nothing (the recorded version came back)
  size_t skipped = 0;    ///< not sent: unchanged since the last apply on both sides
  std::vector<std::pair<ObjectRef, ApiError>> errors;
};

/// The digest of an object as apply sends it (XXH3-128 of its JSON).
std::string object_digest(const nlohmann::json& object);

/// Applies every object with up to `parallelism` requests in flight. With `state`, skips what
/// is unchanged (see above) and records each successful apply in it. Objects are applied in
/// the order given as far as the parallelism allows: callers that need an order (CRDs before
/// their resources) call it once per stage.
BatchApplyResult apply_all(KubeClient& client, const std::vector<nlohmann::json>& objects,
                           const ApplyOptions& options, size_t parallelism = 8,
                           AppliedState* state = nullptr);

}  // namespace fusion
