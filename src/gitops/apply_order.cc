#include "gitops/apply_order.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <tuple>
#include <utility>

namespace fusion {
namespace {

/// Helm's InstallOrder (pkg/releaseutil/kind_sorter.go), with CRDs moved first.
constexpr std::array<std::string_view, 29> kKindOrder = {
    "CustomResourceDefinition",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
};

constexpr int kOtherBuiltin = static_cast<int>(kKindOrder.size());
constexpr int kCustomResource = kOtherBuiltin + 1;

}  // namespace

bool is_builtin_group(std::string_view group) {
  if (group.find('.') == std::string_view::npos) return true;
  return group.ends_with(".k8s.io");
}

int apply_rank(const ObjectRef& ref) {
  if (!is_builtin_group(ref.group())) return kCustomResource;
  auto it = std::find(kKindOrder.begin(), kKindOrder.end(), ref.kind);
  return it == kKindOrder.end() ? kOtherBuiltin : static_cast<int>(it - kKindOrder.begin());
}

bool applies_before(const ObjectRef& a, const ObjectRef& b) {
  auto key = [](const ObjectRef& r) {
    return std::tuple<int, const std::string&, const std::string&, const std::string&>(
        apply_rank(r), r.kind, r.namespace_, r.name);
  };
  return key(a) < key(b);
}

void sort_for_apply(std::vector<nlohmann::json>& objects) {
  std::vector<std::pair<ObjectRef, size_t>> order;
  order.reserve(objects.size());
  for (size_t i = 0; i < objects.size(); ++i) order.emplace_back(object_ref_of(objects[i]), i);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return applies_before(a.first, b.first); });
  std::vector<nlohmann::json> sorted;
  sorted.reserve(objects.size());
  for (const auto& [ref, index] : order) sorted.push_back(std::move(objects[index]));
  objects = std::move(sorted);
}

}  // namespace fusion
