#include "kube_runtime/kube_down.h"

#include <fmt/format.h>

#include <thread>

#include "kube_runtime/cluster_snapshot.h"
#include "kube_runtime/kube_plan.h"

namespace fusion {
namespace {

using Json = nlohmann::json;

bool keeps(const StackKind& k, const KubeDownOptions& options) {
  return !options.volumes && std::string(k.kind) == "PersistentVolumeClaim";
}

/// The kinds down deletes, in the order it deletes them (the reverse of apply's).
std::vector<StackKind> deleted_kinds(const KubeDownOptions& options) {
  std::vector<StackKind> kinds;
  for (auto k = stack_kinds().rbegin(); k != stack_kinds().rend(); ++k) {
    if (!keeps(*k, options)) kinds.push_back(*k);
  }
  return kinds;
}

/// Deletes every object of the kinds, matching `selector`, that down does not keep.
Status delete_matching(KubeClient& client, const KubeDownOptions& options,
                       const std::string& selector, KubeDownReport& report) {
  std::vector<StackKind> kinds = deleted_kinds(options);
  auto live = list_live(client, options.namespace_, selector, kinds);
  if (!live) return Error{live.error()};
  for (const StackKind& k : kinds) {
    for (const auto& [name, object] : live.value()[k.kind]) {
      ObjectRef ref{k.api_version, k.kind, options.namespace_, name};
      auto removed = client.remove(ref, {.propagation = "Background"});
      if (!removed && !removed.error().not_found()) {
        return Error{fmt::format("deleting {}: {}", ref.describe(), removed.error().describe())};
      }
      report.removed.push_back(ref.describe());
      if (options.on_removed) options.on_removed(ref.describe());
    }
  }
  return ok_status();
}

/// How many of the stack's objects (and pods) are still there, and the claims kept.
Result<size_t> remaining(KubeClient& client, const KubeDownOptions& options, size_t& claims) {
  std::vector<StackKind> kinds = stack_kinds();
  kinds.push_back({"v1", "Pod"});
  auto live = list_live(client, options.namespace_, stack_selector(options.stack), kinds);
  if (!live) return Error{live.error()};
  size_t count = 0;
  claims = 0;
  for (const StackKind& k : kinds)
    (keeps(k, options) ? claims : count) += live.value()[k.kind].size();
  return count;
}

}  // namespace

Result<KubeDownReport> kube_down(KubeClient& client, const KubeDownOptions& options) {
  KubeDownReport report;
  std::string stack = stack_selector(options.stack);
  for (const std::string& service : options.services) {
    Status s =
        delete_matching(client, options, stack + ",app.kubernetes.io/name=" + service, report);
    if (!s) return Error{s.error()};
  }
  if (Status s = delete_matching(client, options, stack, report); !s) return Error{s.error()};
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  for (;;) {
    auto left = remaining(client, options, report.claims_kept);
    if (!left) return Error{left.error()};
    if (*left == 0) return report;
    if (std::chrono::steady_clock::now() > deadline) {
      return Error{fmt::format("{} objects of the stack were still there {} s after their deletion",
                               *left, options.timeout.count())};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace fusion
