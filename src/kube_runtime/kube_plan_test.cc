// What `up --target kubernetes` decides from the stack's live objects: placing the generator's
// objects (namespace, stack labels, applied digest), keep/apply/replace per service, what to
// prune, and the images the pods name.
#include "kube_runtime/kube_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

namespace fusion {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Live = std::map<std::string, std::map<std::string, json>>;

json deployment(const std::string& image = "registry.local/shop/api:1.8.0") {
  json d = json::parse(R"({
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
      "name": "api",
      "labels": {"app.kubernetes.io/name": "api"},
      "annotations": {"io.fusion/service": "api"}
    },
    "spec": {
      "replicas": 1,
      "selector": {"matchLabels": {"app.kubernetes.io/name": "api"}},
      "template": {
        "metadata": {
          "labels": {"app.kubernetes.io/name": "api"},
          "annotations": {"io.fusion/config-hash": "9c1e4f0a"}
        },
        "spec": {
          "initContainers": [{"name": "wait-db", "image": "busybox:1.36",
                              "command": ["sh", "-c", "until nc db 5432; do sleep 1; done"]}],
          "containers": [{"name": "api", "image": "IMAGE",
                          "ports": [{"name": "http", "containerPort": 8080}]}]
        }
      }
    }
  })");
  d["spec"]["template"]["spec"]["containers"][0]["image"] = image;
  return d;
}

json service_object(const std::string& name) {
  json s = json::parse(R"({
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "NAME", "labels": {"app.kubernetes.io/name": "NAME"}},
    "spec": {"selector": {"app.kubernetes.io/name": "NAME"},
             "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}
  })");
  s["metadata"]["name"] = name;
  s["metadata"]["labels"]["app.kubernetes.io/name"] = name;
  s["spec"]["selector"]["app.kubernetes.io/name"] = name;
  return s;
}

json config_map(const std::string& name, const std::string& service, const std::string& level) {
  json c = json::parse(R"({
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "NAME", "labels": {}},
    "data": {"LOG_LEVEL": "info"}
  })");
  c["metadata"]["name"] = name;
  if (!service.empty()) c["metadata"]["labels"]["app.kubernetes.io/name"] = service;
  c["data"]["LOG_LEVEL"] = level;
  return c;
}

json job(const std::string& command) {
  json j = json::parse(R"({
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "migrate", "labels": {"app.kubernetes.io/name": "migrate"}},
    "spec": {
      "backoffLimit": 2,
      "template": {
        "metadata": {"labels": {"app.kubernetes.io/name": "migrate"}},
        "spec": {
          "restartPolicy": "Never",
          "containers": [{"name": "migrate", "image": "registry.local/shop/migrate:1.8.0",
                          "command": ["CMD"]}]
        }
      }
    }
  })");
  j["spec"]["template"]["spec"]["containers"][0]["command"][0] = command;
  return j;
}

/// `object` as the API server returns it after an apply: its fields and the server's own.
json as_live(json object) {
  object["metadata"]["uid"] = "5b0c3f0e-2c61-4d6e-9a57-2f0b1c7e9d41";
  object["metadata"]["resourceVersion"] = "48213";
  object["metadata"]["creationTimestamp"] = "2024-05-14T09:12:31Z";
  std::string kind = object["kind"].get<std::string>();
  if (kind == "Deployment" || kind == "Job") object["metadata"]["generation"] = 1;
  if (kind == "Deployment") object["status"] = {{"observedGeneration", 1}, {"replicas", 1}};
  if (kind == "Job") object["status"] = {{"startTime", "2024-05-14T09:12:31Z"}, {"active", 1}};
  return object;
}

void add_live(Live& live, json object) {
  std::string kind = object["kind"].get<std::string>();
  std::string name = object["metadata"]["name"].get<std::string>();
  live[kind][name] = as_live(std::move(object));
}

std::string digest_of(const json& object) {
  return object["metadata"]["annotations"][kAppliedDigestAnnotation].get<std::string>();
}

std::vector<std::string> described(const std::vector<ObjectRef>& refs) {
  std::vector<std::string> out;
  for (const ObjectRef& r : refs)
    out.push_back(r.api_version + " " + r.kind + " " + r.namespace_ + "/" + r.name);
  return out;
}

TEST(KubePlan, StackSelector) {
  EXPECT_EQ(stack_selector("shop"),
            "app.kubernetes.io/part-of=shop,app.kubernetes.io/managed-by=fusion");
  EXPECT_STREQ(kube_action_name(KubeAction::kReplace), "replace");
  EXPECT_STREQ(kube_action_name(KubeAction::kKeep), "keep");
}

TEST(KubePlan, PlacedSetsNamespaceLabelsAndDigest) {
  json p = placed(deployment(), "shop-dev", "shop");
  EXPECT_EQ(p["metadata"]["namespace"], "shop-dev");
  json labels = p["metadata"]["labels"];
  EXPECT_EQ(labels[kPartOfLabel], "shop");
  EXPECT_EQ(labels[kManagedByLabel], "fusion");
  EXPECT_EQ(labels["app.kubernetes.io/name"], "api");  // the generator's label is kept
  EXPECT_EQ(p["metadata"]["annotations"]["io.fusion/service"], "api");
  EXPECT_THAT(digest_of(p), ::testing::MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(p["spec"], deployment()["spec"]);
}

TEST(KubePlan, PlacedLeavesNamespaceObjectClusterScoped) {
  json ns = json::parse(R"({"apiVersion": "v1", "kind": "Namespace",
                            "metadata": {"name": "shop-dev"}})");
  json p = placed(ns, "shop-dev", "shop");
  EXPECT_FALSE(p["metadata"].contains("namespace"));
  EXPECT_EQ(p["metadata"]["labels"][kPartOfLabel], "shop");
  EXPECT_EQ(p["metadata"]["labels"][kManagedByLabel], "fusion");
  EXPECT_TRUE(p["metadata"]["annotations"].contains(kAppliedDigestAnnotation));
}

TEST(KubePlan, PlacedDigestIsStable) {
  json once = placed(deployment(), "shop-dev", "shop");
  json twice = placed(once, "shop-dev", "shop");
  EXPECT_EQ(digest_of(twice), digest_of(once));
  EXPECT_EQ(twice, once);
  // A stale digest from an earlier apply is not part of the content.
  json stale = deployment();
  stale["metadata"]["annotations"][kAppliedDigestAnnotation] = "00000000000000000000000000000000";
  EXPECT_EQ(digest_of(placed(stale, "shop-dev", "shop")), digest_of(once));
}

TEST(KubePlan, PlacedDigestFollowsContent) {
  std::string base = digest_of(placed(deployment(), "shop-dev", "shop"));
  EXPECT_NE(digest_of(placed(deployment("registry.local/shop/api:1.9.0"), "shop-dev", "shop")),
            base);
  EXPECT_NE(digest_of(placed(deployment(), "shop-prod", "shop")), base);
  json replicas = deployment();
  replicas["spec"]["replicas"] = 2;
  EXPECT_NE(digest_of(placed(replicas, "shop-dev", "shop")), base);
}

/// A plan of services api (ConfigMap, Service, Deployment) and migrate (a Job) in shop-dev.
class KubePlanDecide : public ::testing::Test {
 protected:
  KubePlanDecide() {
    plan.stack = "shop";
    plan.namespace_ = "shop-dev";
    plan.shared.push_back(place(config_map("shop-env", "", "info")));
    add_service("api",
                {config_map("api-config", "api", "info"), service_object("api"), deployment()});
    add_service("migrate", {job("./migrate up")});
  }

  json place(json object) { return placed(std::move(object), "shop-dev", "shop"); }

  void add_service(const std::string& name, std::vector<json> objects) {
    Service& s = services.emplace_back();
    s.name.value = name;
    KubeServicePlan sp;
    sp.service = &s;
    for (json& o : objects) {
      sp.job = sp.job || o["kind"] == "Job";
      sp.objects.push_back(place(std::move(o)));
    }
    plan.services.push_back(std::move(sp));
  }

  /// Every planned object live as planned.
  Live all_live() {
    Live live;
    for (const KubeServicePlan& s : plan.services)
      for (const json& o : s.objects) add_live(live, o);
    for (const json& o : plan.shared) add_live(live, o);
    return live;
  }

  std::deque<Service> services;
  KubePlan plan;
};

TEST_F(KubePlanDecide, EverythingLiveWithItsDigestIsKept) {
  decide_kube_actions(plan, all_live());
  for (const KubeServicePlan& s : plan.services) {
    EXPECT_EQ(s.action, KubeAction::kKeep) << s.service->name.value << ": " << s.reason;
    EXPECT_THAT(s.reason, HasSubstr("unchanged"));
  }
  EXPECT_THAT(plan.prune, IsEmpty());
}

TEST_F(KubePlanDecide, NothingLiveIsApplied) {
  decide_kube_actions(plan, {});
  for (const KubeServicePlan& s : plan.services) {
    EXPECT_EQ(s.action, KubeAction::kApply) << s.service->name.value;
    EXPECT_EQ(s.reason, "not on the cluster");
  }
  EXPECT_THAT(plan.prune, IsEmpty());
}

TEST_F(KubePlanDecide, ChangedObjectIsAppliedByName) {
  Live live = all_live();
  live["ConfigMap"]["api-config"] = as_live(place(config_map("api-config", "api", "debug")));
  decide_kube_actions(plan, live);
  EXPECT_EQ(plan.services[0].action, KubeAction::kApply);
  EXPECT_EQ(plan.services[0].reason, "ConfigMap api-config changed");
  EXPECT_EQ(plan.services[1].action, KubeAction::kKeep);  // the other service is untouched
}

TEST_F(KubePlanDecide, LiveObjectWithoutDigestIsApplied) {
  Live live = all_live();
  live["Deployment"]["api"]["metadata"]["annotations"].erase(kAppliedDigestAnnotation);
  decide_kube_actions(plan, live);
  EXPECT_EQ(plan.services[0].action, KubeAction::kApply);
  EXPECT_EQ(plan.services[0].reason, "Deployment api changed");
}

TEST_F(KubePlanDecide, ChangedJobIsReplaced) {
  Live live = all_live();
  live["Job"]["migrate"] = as_live(place(job("./migrate up --from 41")));
  decide_kube_actions(plan, live);
  EXPECT_EQ(plan.services[1].action, KubeAction::kReplace);
  EXPECT_THAT(plan.services[1].reason, HasSubstr("Job"));
  EXPECT_EQ(plan.services[0].action, KubeAction::kKeep);
}

TEST_F(KubePlanDecide, RestartRollsTemplatesOutAndReplacesJobsWithoutChangingDigests) {
  Live live = all_live();
  decide_kube_actions(plan, live);
  std::string digest =
      plan.services[0].objects[2]["metadata"]["annotations"][kAppliedDigestAnnotation];
  request_restarts(plan, {"api", "migrate"}, "2026-11-27T20:00:00Z");
  EXPECT_EQ(plan.services[0].action, KubeAction::kApply);
  EXPECT_EQ(plan.services[0].reason, "restart requested");
  const json& deployment = plan.services[0].objects[2];
  EXPECT_EQ(deployment["spec"]["template"]["metadata"]["annotations"][kRestartedAtAnnotation],
            "2026-11-27T20:00:00Z");
  EXPECT_EQ(deployment["metadata"]["annotations"][kAppliedDigestAnnotation], digest);
  EXPECT_FALSE(plan.services[0].objects[0].contains("spec"));  // a ConfigMap has no template
  EXPECT_EQ(plan.services[1].action, KubeAction::kReplace);
  // What the restart applied is what the next up plans, but the annotation: still kept.
  live["Deployment"]["api"] = as_live(deployment);
  plan.services[0].objects[2]["spec"]["template"]["metadata"]["annotations"].erase(
      kRestartedAtAnnotation);
  decide_kube_actions(plan, live);
  EXPECT_EQ(plan.services[0].action, KubeAction::kKeep) << plan.services[0].reason;
}

TEST_F(KubePlanDecide, RestartOfAServiceNotNamedChangesNothing) {
  decide_kube_actions(plan, all_live());
  request_restarts(plan, {"web"}, "2026-11-27T20:00:00Z");
  EXPECT_EQ(plan.services[0].action, KubeAction::kKeep);
  EXPECT_EQ(plan.services[1].action, KubeAction::kKeep);
}

TEST_F(KubePlanDecide, MissingObjectIsApplied) {
  Live live = all_live();
  live["Service"].erase("api");
  decide_kube_actions(plan, live);
  EXPECT_EQ(plan.services[0].action, KubeAction::kApply);
  EXPECT_EQ(plan.services[0].reason, "some of its objects are missing");
  EXPECT_THAT(plan.prune, IsEmpty());
}

TEST_F(KubePlanDecide, PrunesOnlyAPlannedServicesObjectsNoLongerGenerated) {
  Live live = all_live();
  add_live(live, place(config_map("api-legacy", "api", "info")));
  json ingress = place(json::parse(R"({
    "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
    "metadata": {"name": "api", "labels": {"app.kubernetes.io/name": "api"}},
    "spec": {"rules": [{"host": "api.shop.localhost", "http": {"paths": [{"path": "/",
      "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 80}}}}]}}]}
  })"));
  add_live(live, ingress);
  // Kept: a claim without a service label (it holds data), an object of a service this up
  // leaves out, a kind fusion does not create, and what is still wanted.
  add_live(live, place(json::parse(R"({
    "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "pgdata"},
    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
  })")));
  add_live(live, place(config_map("worker-config", "worker", "info")));
  json worker = deployment();
  worker["metadata"]["name"] = "worker";
  worker["metadata"]["labels"]["app.kubernetes.io/name"] = "worker";
  add_live(live, place(worker));
  add_live(live, json::parse(R"({"apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "api-7d9c6b5f4-x2k8p", "labels": {"app.kubernetes.io/name": "api"}}})"));

  decide_kube_actions(plan, live);
  EXPECT_THAT(described(plan.prune), ElementsAre("v1 ConfigMap shop-dev/api-legacy",
                                                 "networking.k8s.io/v1 Ingress shop-dev/api"));
  // Deciding again starts from an empty list.
  decide_kube_actions(plan, live);
  EXPECT_EQ(plan.prune.size(), 2u);
  EXPECT_EQ(plan.services[0].action, KubeAction::kKeep);
}

TEST_F(KubePlanDecide, SharedObjectLabelledWithAServiceIsNotPruned) {
  json secret = place(json::parse(R"({
    "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
    "metadata": {"name": "api-secrets", "labels": {"app.kubernetes.io/name": "api"}},
    "data": {"DATABASE_URL": "cG9zdGdyZXM6Ly9kYg=="}
  })"));
  plan.shared.push_back(secret);
  Live live = all_live();
  decide_kube_actions(plan, live);
  EXPECT_THAT(plan.prune, IsEmpty());
  plan.shared.pop_back();  // no longer generated: now it goes
  decide_kube_actions(plan, live);
  EXPECT_THAT(described(plan.prune), ElementsAre("v1 Secret shop-dev/api-secrets"));
}

TEST(KubePlan, PodImagesOfTemplatesAndPodsSortedOnce) {
  json pod = json::parse(R"({
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug"},
    "spec": {"containers": [{"name": "shell", "image": "alpine:3.20"},
                            {"name": "sidecar", "image": "curlimages/curl:8.8.0"}]}
  })");
  json no_image = json::parse(R"({
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "odd"},
    "spec": {"containers": [{"name": "unnamed"}]}
  })");
  std::vector<json> objects = {config_map("api-config", "api", "info"),
                               service_object("api"),
                               deployment(),
                               job("./migrate up"),
                               pod,
                               no_image,
                               deployment()};
  EXPECT_THAT(pod_images(objects),
              ElementsAre("alpine:3.20", "busybox:1.36", "curlimages/curl:8.8.0",
                          "registry.local/shop/api:1.8.0", "registry.local/shop/migrate:1.8.0"));
  EXPECT_THAT(pod_images({config_map("c", "api", "info"), service_object("api")}), IsEmpty());
}

}  // namespace
}  // namespace fusion
