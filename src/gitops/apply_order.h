#pragma once
// The order a sync applies objects in, Helm's install order with CRDs first: what others need
// exists before them (a CRD before its custom resources, a Namespace before what lives in it, a
// ServiceAccount and its Secrets before the Deployment that mounts them). Pruning deletes in the
// reverse order.

#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "kube/object_ref.h"

namespace fusion {

/// Kubernetes' own API groups: core (""), the unqualified ones (apps, batch, policy, …) and
/// those under *.k8s.io. Any other group's kinds are custom resources.
bool is_builtin_group(std::string_view group);

/// The object's place in apply order (smaller first): CustomResourceDefinition, Namespace,
/// then NetworkPolicy, ResourceQuota, LimitRange, PodDisruptionBudget, ServiceAccount, Secret,
/// ConfigMap, StorageClass, PersistentVolume, PersistentVolumeClaim, ClusterRole,
/// ClusterRoleBinding, Role, RoleBinding, Service, DaemonSet, Pod, ReplicaSet, Deployment,
/// HorizontalPodAutoscaler, StatefulSet, Job, CronJob, IngressClass, Ingress, APIService, then
/// every other built-in kind, then custom resources. Kinds are matched in built-in groups only:
/// a custom `Deployment` of example.com is a custom resource.
int apply_rank(const ObjectRef& ref);

/// Whether `a` is applied before `b`: by rank, then by kind, namespace and name, so the order
/// never depends on the order files were read in.
bool applies_before(const ObjectRef& a, const ObjectRef& b);

/// Sorts objects (as rendered) into apply order.
void sort_for_apply(std::vector<nlohmann::json>& objects);

}  // namespace fusion
