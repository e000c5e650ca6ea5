#include "generate/kubernetes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "generate/generate_test_support.h"
#include "registry/yaml_tree.h"
#include "util/file.h"

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
  EXPECT_THAT(cache, HasSubstr("        - containerPort: 6379\n          protocol: TCP\n"));
}

TEST(KubernetesTest, HealthyDependenciesAreWaitedForByInitContainers) {
  std::string api = generate_kubernetes(mapping_fixture().ctx)["kubernetes/base/api.yaml"];
  EXPECT_THAT(api, HasSubstr("      - name: wait-for-db\n        image: busybox:1.36\n"));
  EXPECT_THAT(api, HasSubstr("until nc -w 2 db 5432 </dev/null >/dev/null 2>&1; do"));
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

TEST(KubernetesTest, EveryContainerPortGetsAServiceWithAnExplicitProtocol) {
  auto f = testing::load_fixture(R"(version: 1
name: s
services:
  queue: { image: rabbitmq:3, expose: ["5672", "4369/udp"], networks: { n: { aliases: [mq] } } }
  web: { image: web:1, health: { http: /health, port: 8000 } }
  worker: { image: worker:1, depends_on: [queue, web] }
networks: { n: {} }
)");
  FileSet files = generate_kubernetes(f.ctx);
  EXPECT_THAT(kinds(files["kubernetes/base/queue.yaml"]),
              ::testing::ElementsAre("Deployment", "Service", "Service"));
  EXPECT_THAT(files["kubernetes/base/queue.yaml"],
              HasSubstr("        ports:\n        - containerPort: 5672\n          protocol: TCP\n"
                        "        - containerPort: 4369\n          protocol: UDP\n"));
  EXPECT_THAT(files["kubernetes/base/queue.yaml"],
              HasSubstr("kind: Service\nmetadata:\n  name: mq\n"));
  EXPECT_THAT(files["kubernetes/base/queue.yaml"],
              HasSubstr("  - name: udp-4369\n    port: 4369\n    targetPort: 4369\n"
                        "    protocol: UDP\n"));
  EXPECT_THAT(files["kubernetes/base/web.yaml"],
              HasSubstr("  - name: tcp-8000\n    port: 8000\n    targetPort: 8000\n"
                        "    protocol: TCP\n"));
  EXPECT_THAT(kinds(files["kubernetes/base/worker.yaml"]), ::testing::ElementsAre("Deployment"));
}

TEST(KubernetesTest, VariablesAndDollarsResolveTheSameWayEverywhere) {
  auto f = testing::load_fixture(R"(version: 1
name: s
services:
  db:
    image: "postgres:${PG_VERSION:-16}"
    command: [sh, -c, "echo $$HOME $(date) ${GREETING:-hi} ${WHO}."]
    env: { A: "$${x}", B: "${B:-b}" }
    health: { exec: [sh, -c, "pg_isready -U $${POSTGRES_USER:-postgres}"] }
)");
  std::string db = generate_kubernetes(f.ctx)["kubernetes/base/db.yaml"];
  EXPECT_THAT(db, HasSubstr("image: postgres:16\n"));
  EXPECT_THAT(db, HasSubstr("- echo $HOME $$(date) hi .\n"));
  EXPECT_THAT(db, HasSubstr("  A: ${x}\n  B: b\n"));
  EXPECT_THAT(db, HasSubstr("- pg_isready -U ${POSTGRES_USER:-postgres}\n"));
  EXPECT_THAT(db, HasSubstr("# fusion: ${WHO} in the command has no default and Kubernetes does "
                            "not interpolate: written empty"));
}

TEST(KubernetesTest, ComposeNamedKeysBecomePodFieldsOrSaySoOncePerKey) {
  auto f =
      testing::load_fixture(*read_file(FUSION_SOURCE_DIR "/tests/fixtures/every-key/fusion.yaml"));
  FileSet files = generate_kubernetes(f.ctx);
  std::string pg = files["kubernetes/base/postgres.yaml"];
  EXPECT_THAT(pg, HasSubstr("      terminationGracePeriodSeconds: 20\n"));
  EXPECT_THAT(pg, HasSubstr("          runAsUser: 999\n          runAsGroup: 999\n"));
  EXPECT_THAT(pg, HasSubstr("      - name: dshm\n        emptyDir:\n          medium: Memory\n"
                            "          sizeLimit: 256Mi\n"));
  EXPECT_THAT(pg, HasSubstr("        - name: secret-db-password\n          mountPath: "
                            "/run/secrets/db-password\n          subPath: db-password\n"));
  EXPECT_THAT(pg, HasSubstr("      - sh\n            - -c\n            - pg_isready -U "
                            "${POSTGRES_USER:-postgres}\n"));
  EXPECT_THAT(pg, HasSubstr("# fusion: 'ulimits' have no Kubernetes form"));
  // postgres and alias db; db.internal.example is no Service name (said in a note)
  EXPECT_THAT(kinds(pg), ::testing::ElementsAre("ConfigMap", "StatefulSet", "Service", "Service"));
  EXPECT_THAT(pg, HasSubstr("# fusion: network alias 'db.internal.example' is not a Service name"));
  std::string redis = files["kubernetes/base/redis.yaml"];
  EXPECT_THAT(redis, HasSubstr("          readOnlyRootFilesystem: true\n          capabilities:\n"
                               "            add:\n            - SETUID\n"));
  EXPECT_THAT(redis, HasSubstr("        emptyDir:\n          medium: Memory\n          sizeLimit: "
                               "64Mi\n"));
  std::string migrate = files["kubernetes/base/migrate.yaml"];
  EXPECT_THAT(migrate, HasSubstr("kind: Job\n"));
  EXPECT_THAT(migrate, HasSubstr("  backoffLimit: 3\n"));
  EXPECT_THAT(migrate,
              HasSubstr("        command:\n        - /usr/local/bin/docker-entrypoint.sh\n"));
  EXPECT_THAT(migrate, HasSubstr("app migrate && echo \"$$(date) migrated\""));
  EXPECT_THAT(migrate, HasSubstr("image: ghcr.io/example/app:1.4.0\n"));
  std::string api = files["kubernetes/base/api.yaml"];
  EXPECT_THAT(api, HasSubstr("  replicas: 2\n"));
  EXPECT_THAT(api,
              HasSubstr("      hostAliases:\n      - ip: \"169.254.169.254\"\n        hostnames:\n"
                        "        - metadata.internal\n"));
  EXPECT_THAT(api, HasSubstr("      hostPID: true\n"));
  EXPECT_THAT(api, HasSubstr("kubernetes.io/arch: amd64\n"));
  EXPECT_THAT(api, HasSubstr("imagePullPolicy: IfNotPresent\n"));
  EXPECT_THAT(api, HasSubstr("kind: ConfigMap\nmetadata:\n  name: api-motd\ndata:\n  motd: |\n"
                             "    welcome to every-key\n"));
  EXPECT_THAT(files["kubernetes/components/gpu/transcoder.yaml"],
              HasSubstr("            nvidia.com/gpu: \"1\"\n"));
  EXPECT_THAT(f.ctx.notes, ::testing::Contains(
                               "fusion.yaml:10:14: kubernetes: service 'postgres': 'ulimits' have "
                               "no Kubernetes form: not applied"));
  size_t ulimit_notes = 0;
  for (const std::string& n : f.ctx.notes) ulimit_notes += n.find("'ulimits'") != std::string::npos;
  EXPECT_EQ(ulimit_notes, 3u);  // once per service that has them: postgres, redis, worker
}

TEST(KubernetesTest, RecommendedLabels) {
  std::string api = generate_kubernetes(mapping_fixture().ctx)["kubernetes/base/api.yaml"];
  EXPECT_THAT(api, HasSubstr("    app.kubernetes.io/name: api\n    app.kubernetes.io/part-of: "
                             "mapping\n    app.kubernetes.io/managed-by: fusion\n"));
}

}  // namespace
}  // namespace fusion
