// The client against the real one-node cluster of scripts/kube-cluster (v1.20.2).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kube/curl_transport.h"
#include "kube/kube_test_support.h"
#include "kube/list_watch.h"
#include "kube/readiness.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

nlohmann::json config_map(const std::string& ns, const std::string& name, nlohmann::json data,
                          nlohmann::json labels = nlohmann::json::object()) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", ns}, {"labels", labels}}},
          {"data", std::move(data)}};
}

/// True when the object was not found (and only then).
bool not_found(const KubeResult<nlohmann::json>& result) {
  return !result.ok() && result.error().not_found();
}

std::string version_of(const nlohmann::json& object) {
  return object["metadata"]["resourceVersion"].get<std::string>();
}

TEST(KubeCluster, TokenAndClientCertificateKubeconfigsBothLogIn) {
  for (const char* variable : {"KUBECONFIG", "FUSION_TEST_KUBECONFIG_CERT"}) {
    std::unique_ptr<KubeSession> session = open_test_session(variable);
    ASSERT_TRUE(session);
    KubeResult<nlohmann::json> version = session->client->get_path("/version");
    ASSERT_TRUE(version.ok()) << variable << ": " << version.error().describe();
    EXPECT_EQ(version.value()["gitVersion"], "v1.20.2") << variable;
  }
  // The certificate kubeconfig verifies the server against its CA, not insecurely.
  std::unique_ptr<KubeSession> cert = open_test_session("FUSION_TEST_KUBECONFIG_CERT");
  ASSERT_TRUE(cert);
  EXPECT_FALSE(cert->connection.insecure_skip_tls_verify);
  EXPECT_FALSE(cert->connection.ca_pem.empty());
  EXPECT_FALSE(cert->connection.client_certificate_pem.empty());
  // A client certificate the server's CA did not sign is refused.
  ClusterConnection stranger = cert->connection;
  stranger.client_certificate_pem.clear();
  stranger.client_key_pem.clear();
  CurlTransport anonymous(
      stranger, credential_source_for(stranger, *std::make_unique<SystemProcessRunner>()));
  KubeClient refused(anonymous, "default", {.qps = 0, .burst = 0});
  KubeResult<nlohmann::json> denied = refused.get_path("/api/v1/namespaces");
  ASSERT_FALSE(denied.ok());
  EXPECT_THAT(denied.error().code, ::testing::AnyOf(401, 403));
}

TEST(KubeCluster, ServerSideApplyCreatesUpdatesKeepsAndConflicts) {
  std::unique_ptr<KubeSession> session = open_test_session();
  ASSERT_TRUE(session);
  KubeClient& client = *session->client;
  TestNamespace ns(client, "fusion-ssa");

  KubeResult<nlohmann::json> created = client.apply(config_map(ns.name(), "app", {{"mode", "a"}}));
  ASSERT_TRUE(created.ok()) << created.error().describe();
  KubeResult<nlohmann::json> same = client.apply(config_map(ns.name(), "app", {{"mode", "a"}}));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(version_of(same.value()), version_of(created.value()))
      << "a no-op apply stores nothing";
  KubeResult<nlohmann::json> updated = client.apply(config_map(ns.name(), "app", {{"mode", "b"}}));
  ASSERT_TRUE(updated.ok());
  EXPECT_NE(version_of(updated.value()), version_of(created.value()));
  EXPECT_EQ(updated.value()["data"]["mode"], "b");

  // Another manager that wants the same field conflicts, and the error names us.
  KubeResult<nlohmann::json> conflict = client.apply(config_map(ns.name(), "app", {{"mode", "c"}}),
                                                     {.field_manager = "someone-else"});
  ASSERT_FALSE(conflict.ok());
  EXPECT_TRUE(conflict.error().conflict()) << conflict.error().describe();
  EXPECT_THAT(conflict.error().conflicting_managers(), ElementsAre("fusion"));
  EXPECT_THAT(conflict.error().describe(), HasSubstr(".data.mode"));
  KubeResult<nlohmann::json> forced =
      client.apply(config_map(ns.name(), "app", {{"mode", "c"}}),
                   {.field_manager = "someone-else", .force = true});
  ASSERT_TRUE(forced.ok()) << forced.error().describe();
  EXPECT_EQ(forced.value()["data"]["mode"], "c");

  // A dry run shows the result and stores nothing.
  KubeResult<nlohmann::json> dry =
      client.apply(config_map(ns.name(), "app", {{"mode", "d"}}), {.force = true, .dry_run = true});
  ASSERT_TRUE(dry.ok()) << dry.error().describe();
  EXPECT_EQ(dry.value()["data"]["mode"], "d");
  EXPECT_EQ(client.get({"v1", "ConfigMap", ns.name(), "app"}).value()["data"]["mode"], "c");

  // The server's validation comes back with the field.
  nlohmann::json bad_service = {{"apiVersion", "v1"},
                                {"kind", "Service"},
                                {"metadata", {{"name", "web"}, {"namespace", ns.name()}}},
                                {"spec", {{"ports", {{{"port", 70000}, {"protocol", "TCP"}}}}}}};
  KubeResult<nlohmann::json> invalid = client.apply(bad_service);
  ASSERT_FALSE(invalid.ok());
  EXPECT_TRUE(invalid.error().invalid()) << invalid.error().describe();
  EXPECT_THAT(invalid.error().describe(), HasSubstr("spec.ports[0].port"));
}

TEST(KubeCluster, DiscoveryFindsACustomResourceDefinedByTheTest) {
  std::unique_ptr<KubeSession> session = open_test_session();
  ASSERT_TRUE(session);
  KubeClient& client = *session->client;
  TestNamespace ns(client, "fusion-crd");
  std::string group = ns.name() + ".example.com";
  nlohmann::json crd = nlohmann::json::parse(R"({
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.GROUP"},
    "spec": {"group": "GROUP", "scope": "Namespaced",
      "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
      "versions": [{"name": "v1", "served": true, "storage": true,
        "schema": {"openAPIV3Schema": {"type": "object", "properties": {
          "spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}}}]}})");
  crd["metadata"]["name"] = "widgets." + group;
  crd["spec"]["group"] = group;
  // Known before: the client reads the group once and finds nothing.
  EXPECT_FALSE(client.discovery().resource_for(group + "/v1", "Widget").ok());
  ASSERT_TRUE(client.apply(crd).ok());
  ObjectRef crd_ref{"apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
                    crd["metadata"]["name"]};
  ASSERT_TRUE(wait_until([&] {
    KubeResult<nlohmann::json> live = client.get(crd_ref);
    return live.ok() && compute_readiness(live.value()).status == ReadinessStatus::kCurrent;
  })) << "the CRD never became Established";
  // Unknown kinds are looked up again, so the new kind resolves without a new client.
  ASSERT_TRUE(
      wait_until([&] { return client.discovery().resource_for(group + "/v1", "Widget").ok(); },
                 std::chrono::seconds(20)));
  KubeResult<ApiResource> widget = client.discovery().resource_for(group + "/v1", "Widget");
  EXPECT_TRUE(widget->namespaced);
  EXPECT_EQ(widget->plural, "widgets");
  KubeResult<nlohmann::json> applied =
      client.apply({{"apiVersion", group + "/v1"},
                    {"kind", "Widget"},
                    {"metadata", {{"name", "w1"}, {"namespace", ns.name()}}},
                    {"spec", {{"size", 3}}}});
  ASSERT_TRUE(applied.ok()) << applied.error().describe();
  EXPECT_EQ(client.get({group + "/v1", "Widget", ns.name(), "w1"}).value()["spec"]["size"], 3);
  EXPECT_TRUE(client.remove(crd_ref).ok());
}

TEST(KubeCluster, ListsPageBySelectorAcrossMoreObjectsThanOnePage) {
  std::unique_ptr<KubeSession> session = open_test_session();
  ASSERT_TRUE(session);
  KubeClient& client = *session->client;
  TestNamespace ns(client, "fusion-list");
  for (int i = 0; i < 130; ++i) {
    KubeResult<nlohmann::json> applied =
        client.apply(config_map(ns.name(), "c" + std::to_string(i), {{"i", std::to_string(i)}},
                                {{"tier", i % 2 == 0 ? "even" : "odd"}}));
    ASSERT_TRUE(applied.ok()) << applied.error().describe();
  }
  KubeResult<ObjectList> all =
      client.list("v1", "ConfigMap", ns.name(), {.label_selector = "tier", .limit = 50});
  ASSERT_TRUE(all.ok()) << all.error().describe();
  EXPECT_EQ(all->items.size(), 130u);
  EXPECT_EQ(all->pages, 3);
  KubeResult<ObjectList> even = client.list(
      "v1", "ConfigMap", ns.name(), {.label_selector = "tier in (even),tier!=odd", .limit = 20});
  ASSERT_TRUE(even.ok());
  EXPECT_EQ(even->items.size(), 65u);
  KubeResult<ObjectList> named =
      client.list("v1", "ConfigMap", ns.name(), {.field_selector = "metadata.name=c7"});
  ASSERT_TRUE(named.ok());
  ASSERT_EQ(named->items.size(), 1u);
  EXPECT_EQ(named->items[0]["data"]["i"], "7");
}

TEST(KubeCluster, WatchSeesAddsChangesAndDeletes) {
  std::unique_ptr<KubeSession> session = open_test_session();
  ASSERT_TRUE(session);
  KubeClient& client = *session->client;
  TestNamespace ns(client, "fusion-watch");
  KubeResult<ObjectList> start = client.list("v1", "ConfigMap", ns.name(), {.label_selector = "w"});
  ASSERT_TRUE(start.ok());

  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    client.apply(config_map(ns.name(), "x", {{"v", "1"}}, {{"w", "1"}}));
    client.apply(config_map(ns.name(), "x", {{"v", "2"}}, {{"w", "1"}}));
    client.remove({"v1", "ConfigMap", ns.name(), "x"});
  });
  std::vector<std::string> seen;
  KubeResult<std::string> resume =
      client.watch("v1", "ConfigMap", ns.name(),
                   {.label_selector = "w",
                    .resource_version = start->resource_version,
                    .server_timeout = std::chrono::seconds(20)},
                   [&](const WatchEvent& event) {
                     seen.push_back(std::to_string(static_cast<int>(event.type)) + " " +
                                    event.object["data"].value("v", "?"));
                     return seen.size() < 3;
                   });
  writer.join();
  ASSERT_TRUE(resume.ok()) << resume.error().describe();
  EXPECT_THAT(seen, ElementsAre("0 1", "1 2", "2 2"));  // added, modified, deleted
}

/// etcd's current revision, through etcdctl (etcd-client), as the test cluster's etcd serves it.
std::string etcd_revision(ProcessRunner& runner) {
  ProcessResult status = runner.run({.argv = {"etcdctl", "--endpoints=http://127.0.0.1:2379",
                                              "endpoint", "status", "-w", "json"}});
  EXPECT_TRUE(status.ok()) << status.err;
  nlohmann::json json = nlohmann::json::parse(status.out, nullptr, false);
  return json.is_array() && !json.empty()
             ? std::to_string(json[0]["Status"]["header"]["revision"].get<long>())
             : "";
}

nlohmann::json churn_event(const std::string& ns, const std::string& name, int count) {
  return {{"apiVersion", "v1"},
          {"kind", "Event"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"involvedObject", {{"kind", "ConfigMap"}, {"namespace", ns}, {"name", "x"}}},
          {"reason", "Test"},
          {"message", "churn"},
          {"count", count},
          {"type", "Normal"}};
}

TEST(KubeCluster, WatchFromACompactedVersionIsGoneAndListWatchListsAgain) {
  // Events have no watch cache on the test cluster (as in many large clusters), so their
  // watches are served by etcd, and a real compaction of etcd reaches them.
  std::unique_ptr<KubeSession> session = open_test_session();
  ASSERT_TRUE(session);
  KubeClient& client = *session->client;
  TestNamespace ns(client, "fusion-compact");
  SystemProcessRunner runner;
  KubeResult<nlohmann::json> first = client.apply(churn_event(ns.name(), "e1", 1));
  ASSERT_TRUE(first.ok()) << first.error().describe();
  std::string old_version = version_of(first.value());
  for (int i = 2; i <= 5; ++i) ASSERT_TRUE(client.apply(churn_event(ns.name(), "e1", i)).ok());
  std::string revision = etcd_revision(runner);
  ProcessResult compacted =
      runner.run({.argv = {"etcdctl", "--endpoints=http://127.0.0.1:2379", "compact", revision}});
  ASSERT_TRUE(compacted.ok()) << compacted.err;

  KubeResult<std::string> gone =
      client.watch("v1", "Event", ns.name(),
                   {.resource_version = old_version, .server_timeout = std::chrono::seconds(5)},
                   [](const WatchEvent&) { return true; });
  ASSERT_FALSE(gone.ok()) << "a watch from a compacted version should be Gone";
  EXPECT_TRUE(gone.error().gone()) << gone.error().describe();

  int lists = 0;
  KubeResult<ListWatchStats> stats =
      list_watch(client, "v1", "Event", ns.name(), {},
                 {.on_list =
                      [&](const ObjectList& list) {
                        ++lists;
                        EXPECT_EQ(list.items.size(), 1u);
                        return true;
                      },
                  .on_event = [](const WatchEvent&) { return true; }},
                 std::chrono::seconds(1), 2, old_version);
  ASSERT_TRUE(stats.ok()) << stats.error().describe();
  EXPECT_EQ(stats->lists, 1);  // after the 410, and only then
  EXPECT_EQ(lists, 1);
}

TEST(KubeCluster, ReadinessOfRealWorkloadsAndDeleteWithPropagation) {
  std::unique_ptr<KubeSession> session = open_test_session();
  ASSERT_TRUE(session);
  KubeClient& client = *session->client;
  TestNamespace ns(client, "fusion-ready");
  nlohmann::json deployment = nlohmann::json::parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
      "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
        "terminationGracePeriodSeconds": 1,
        "containers": [{"name": "httpd", "image": "fusion.local/busybox:1.35",
          "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
          "ports": [{"containerPort": 8080, "protocol": "TCP"}],
          "readinessProbe": {"httpGet": {"path": "/index.html", "port": 8080}, "periodSeconds": 1}}]}}}})");
  deployment["metadata"]["namespace"] = ns.name();
  nlohmann::json job = nlohmann::json::parse(R"({
    "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once"},
    "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never",
      "containers": [{"name": "once", "image": "fusion.local/busybox:1.35", "command": ["sh", "-c", "echo done"]}]}}}})");
  job["metadata"]["namespace"] = ns.name();
  ASSERT_TRUE(wait_until([&] { return client.apply(deployment).ok(); }, std::chrono::seconds(20)));
  ASSERT_TRUE(client.apply(job).ok());

  Readiness web;
  EXPECT_TRUE(wait_until(
      [&] {
        web = compute_readiness(client.get({"apps/v1", "Deployment", ns.name(), "web"}).value());
        return web.status == ReadinessStatus::kCurrent;
      },
      std::chrono::seconds(90)))
      << web.message;
  Readiness once;
  EXPECT_TRUE(wait_until(
      [&] {
        once = compute_readiness(client.get({"batch/v1", "Job", ns.name(), "once"}).value());
        return once.completed;
      },
      std::chrono::seconds(90)))
      << once.message;

  // Orphan leaves the ReplicaSet; Foreground deletes the owner only after what it owns.
  KubeResult<ObjectList> sets =
      client.list("apps/v1", "ReplicaSet", ns.name(), {.label_selector = "app=web"});
  ASSERT_TRUE(sets.ok() && sets->items.size() == 1u);
  ASSERT_TRUE(
      client.remove({"apps/v1", "Deployment", ns.name(), "web"}, {.propagation = "Orphan"}).ok());
  ASSERT_TRUE(wait_until([&] {
    return not_found(client.get({"apps/v1", "Deployment", ns.name(), "web"}));
  }));
  std::string set_name = sets->items[0]["metadata"]["name"];
  EXPECT_TRUE(client.get({"apps/v1", "ReplicaSet", ns.name(), set_name}).ok())
      << "Orphan kept the ReplicaSet";

  ASSERT_TRUE(client.apply(deployment).ok());
  KubeResult<nlohmann::json> live = client.get({"apps/v1", "Deployment", ns.name(), "web"});
  KubeResult<nlohmann::json> wrong_uid = client.remove({"apps/v1", "Deployment", ns.name(), "web"},
                                                       {.precondition_uid = "not-its-uid"});
  ASSERT_FALSE(wrong_uid.ok());
  EXPECT_TRUE(wrong_uid.error().conflict()) << wrong_uid.error().describe();
  ASSERT_TRUE(client
                  .remove({"apps/v1", "Deployment", ns.name(), "web"},
                          {.propagation = "Foreground",
                           .precondition_uid = live.value()["metadata"]["uid"].get<std::string>()})
                  .ok());
  EXPECT_TRUE(wait_until(
      [&] {
        KubeResult<ObjectList> pods =
            client.list("v1", "Pod", ns.name(), {.label_selector = "app=web"});
        return not_found(client.get({"apps/v1", "Deployment", ns.name(), "web"})) && pods.ok() &&
               pods->items.empty();
      },
      std::chrono::seconds(90)));
}

}  // namespace
}  // namespace fusion
