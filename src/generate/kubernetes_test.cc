#include "generate/kubernetes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "generate/generate_test_support.h"
#include "registry/yaml_tree.h"

namespace fusion {
namespace {

using ::testing::HasSubstr;
using testing::mapping_fixture;
using ::testing::Not;

/// The documents of a multi-document file, re-read as YAML (kinds in order).
std::vector<std::string> kinds(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find("\n---\n", at);
    std::string doc = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    auto parsed = YamlDocument::parse(doc);
    EXPECT_TRUE(std::holds_alternative<YamlDocument>(parsed)) << doc;
    if (!std::holds_alternative<YamlDocument>(parsed)) break;
    for (const YamlNode::Entry& e : std::get<YamlDocument>(parsed).root().entries()) {
      if (e.key->Scalar() == "kind") out.push_back(e.value->Scalar());
    }
    if (end == std::string::npos) break;
    at = end + 5;
  }
  return out;
}

TEST(KubernetesTest, WorkloadKindsFollowWhatTheServiceIs) {
  FileSet files = generate_kubernetes(mapping_fixture().ctx);
  // Named volume → StatefulSet; others wait for it to complete → Job; alias → extra Service.
  EXPECT_THAT(kinds(files["kubernetes/base/db.yaml"]),
              ::testing::ElementsAre("ConfigMap", "StatefulSet", "Service"));
  EXPECT_THAT(kinds(files["kubernetes/base/setup.yaml"]), ::testing::ElementsAre("Job"));
  EXPECT_THAT(kinds(files["kubernetes/base/api.yaml"]),
              ::testing::ElementsAre("ConfigMap", "Deployment", "Service", "Service", "Ingress"));
  EXPECT_THAT(kinds(files["kubernetes/base/cache.yaml"]),
              ::testing::ElementsAre("Deployment", "Service", "Service"));
  EXPECT_THAT(kinds(files["kubernetes/base/volumes.yaml"]),
              ::testing::ElementsAre("PersistentVolumeClaim"));
}

TEST(KubernetesTest, HealthBecomesProbesAndResourcesRequestsAndLimits) {
  std::string api = generate_kubernetes(mapping_fixture().ctx)["kubernetes/base/api.yaml"];
  // start_period 10s at a 3s interval adds 4 probes to the 5 retries.
  EXPECT_THAT(api,
              HasSubstr("        startupProbe:\n          httpGet:\n            path: /healthz\n"
                        "            port: 8080\n          periodSeconds: 3\n"
                        "          timeoutSeconds: 2\n          failureThreshold: 9\n"));
  EXPECT_THAT(api, HasSubstr("        readinessProbe:\n"));
  EXPECT_THAT(api, HasSubstr("        resources:\n          requests:\n            memory: 1Gi\n"
                             "            cpu: \"2\"\n          limits:\n            memory: 1Gi\n"
                             "            cpu: \"2\"\n"));
  std::string db = generate_kubernetes(mapping_fixture().ctx)["kubernetes/base/db.yaml"];
  EXPECT_THAT(db, HasSubstr("          exec:\n            command:\n            - pg_isready\n"));
  std::string cache = generate_kubernetes(mapping_fixture().ctx)["kubernetes/base/cache.yaml"];
  EXPECT_THAT(cache, HasSubstr("          tcpSocket:\n            port: 6379\n"));
  std::string dns = generate_kubernetes(mapping_fixture().ctx)["kubernetes/base/dns.yaml"];
  EXPECT_THAT(dns, HasSubstr("# fusion: the image's own HEALTHCHECK is not run by Kubernetes"));
  EXPECT_THAT(dns, HasSubstr("protocol: UDP"));
}

TEST(KubernetesTest, HealthyDependenciesAreWaitedForByInitContainers) {
  std::string api = generate_kubernetes(mapping_fixture().ctx)["kubernetes/base/api.yaml"];
  EXPECT_THAT(api, HasSubstr("      - name: wait-for-db\n        image: busybox:1.36\n"));
  EXPECT_THAT(api, HasSubstr("until nc -z -w 2 db 5432; do"));
  EXPECT_THAT(api, Not(HasSubstr("wait-for-cache")));  // `started` needs no wait
  EXPECT_THAT(api, HasSubstr("# fusion: 'setup' must complete first"));
}

TEST(KubernetesTest, EnvSplitsIntoConfigMapAndSecretAndDefaultsAreResolved) {
  FileSet files = generate_kubernetes(mapping_fixture().ctx);
  std::string api = files["kubernetes/base/api.yaml"];
  EXPECT_THAT(api, HasSubstr("data:\n  LOG_LEVEL: info\n  MODE: \"on\"\n"));
  std::string db = files["kubernetes/base/db.yaml"];
  EXPECT_THAT(db, HasSubstr("        - secretRef:\n            name: db-secrets\n"));
  EXPECT_THAT(db, Not(HasSubstr("POSTGRES_PASSWORD")));
  std::string local = files["kubernetes/overlays/local/kustomization.yaml"];
  EXPECT_THAT(local, HasSubstr("- name: db-secrets\n  envs:\n  - secrets/db.env\n"));
  EXPECT_EQ(resolve_defaults("${A:-x}/${B-y}/${C}/$$"), "x/y//$");
}

TEST(KubernetesTest, LocalOverlayNeverPullsImagesBuiltFromSource) {
  std::string local =
      generate_kubernetes(mapping_fixture().ctx)["kubernetes/overlays/local/kustomization.yaml"];
  EXPECT_THAT(local, HasSubstr("  target:\n    kind: Deployment\n    name: api\n"));
  EXPECT_THAT(local, HasSubstr("  target:\n    kind: Job\n    name: setup\n"));
  EXPECT_THAT(local, Not(HasSubstr("name: db\n")));  // a released image
}

TEST(KubernetesTest, ProfileServicesBecomeComponents) {
  FileSet files = generate_kubernetes(mapping_fixture().ctx);
  EXPECT_TRUE(files.contains("kubernetes/components/debug/admin.yaml"));
  EXPECT_THAT(files["kubernetes/components/debug/kustomization.yaml"],
              HasSubstr("kind: Component\nresources:\n- admin.yaml\n"));
  EXPECT_THAT(files["kubernetes/base/kustomization.yaml"], Not(HasSubstr("admin")));
}

TEST(KubernetesTest, RecommendedLabels) {
  std::string api = generate_kubernetes(mapping_fixture().ctx)["kubernetes/base/api.yaml"];
  EXPECT_THAT(api, HasSubstr("    app.kubernetes.io/name: api\n    app.kubernetes.io/part-of: "
                             "mapping\n    app.kubernetes.io/managed-by: fusion\n"));
}

}  // namespace
}  // namespace fusion
