#pragma once
// A kustomize layout from the registry, under `kubernetes/` of the output folder:
//
//   base/<service>.yaml        Deployment (StatefulSet when it mounts a named volume; Job when
//                              another service waits for it to complete), a Service with its
//                              ports (and one per network alias), a ConfigMap of its plain env,
//                              an Ingress for `<subdomain>.<domain>`
//   base/volumes.yaml          a PersistentVolumeClaim per named volume
//   components/<profile>/      services of a profile, as kustomize components
//   overlays/local/            imagePullPolicy: Never for images built from local source, and
//                              the Secrets, generated from secrets/<service>.env (git-ignored,
//                              written by `fusion secrets`); for profile services too, so that
//                              enabling a component here needs nothing more
//
// Health becomes startup, readiness and liveness probes; resources become requests and limits;
// a `healthy` dependency becomes an init container that waits until the dependency's Service
// answers on its port. What Kubernetes cannot express (host-path volumes, waiting for a Job to
// complete, the image's own HEALTHCHECK) is said in a comment in the service's file.

#include "generate/context.h"
#include "generate/file_set.h"
#include "generate/yaml_emitter.h"

namespace fusion {

FileSet generate_kubernetes(const GenerateContext& ctx);

/// A service's objects as its file in base/ (or its component) holds them: Secrets' and
/// ConfigMaps it mounts, its env ConfigMap, the workload, its Services and Ingress. What
/// `fusion up --target kubernetes` applies: one generator, not two.
std::vector<YamlData> kubernetes_service_objects(const GenerateContext& ctx, const Service& s);
/// A PersistentVolumeClaim per named volume that is not external.
std::vector<YamlData> kubernetes_volume_claims(const GenerateContext& ctx);

/// The Secret or ConfigMap name of a secret or config (`_` → `-`).
std::string object_name(std::string name);

/// The image a pod waits for a dependency's Service with (init containers).
inline constexpr std::string_view kDependencyWaitImage = "busybox:1.36";

/// Env values for Kubernetes, which does not interpolate: ${VAR:-default} and ${VAR-default}
/// become the default, ${VAR} without one becomes empty, $$ becomes $.
std::string resolve_defaults(std::string_view value);

}  // namespace fusion
