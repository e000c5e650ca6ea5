#include "kube/kube_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kube/fake_transport.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string header(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return "";
}

class KubeClientTest : public ::testing::Test {
 protected:
  KubeClientTest() { transport.serve_discovery(); }
  FakeTransport transport;
  KubeClient client{transport, "shop", {.qps = 0, .burst = 0}};
};

TEST_F(KubeClientTest, MapsKindsToUrlsThroughDiscoveryOnce) {
  transport.on("GET", "/apis/apps/v1/namespaces/shop/deployments/web", 200,
               R"({"kind":"Deployment"})");
  transport.on("GET", "/api/v1/namespaces/other/services/db", 200, R"({"kind":"Service"})");
  transport.on("GET", "/api/v1/namespaces/shop", 200, R"({"kind":"Namespace"})");
  ASSERT_TRUE(client.get({"apps/v1", "Deployment", "", "web"}).ok());
  ASSERT_TRUE(client.get({"apps/v1", "Deployment", "", "web"}).ok());
  ASSERT_TRUE(client.get({"v1", "Service", "other", "db"}).ok());
  ASSERT_TRUE(client.get({"v1", "Namespace", "ignored", "shop"}).ok());
  EXPECT_THAT(
      transport.request_lines(),
      ElementsAre("GET /apis/apps/v1", "GET /apis/apps/v1/namespaces/shop/deployments/web",
                  "GET /apis/apps/v1/namespaces/shop/deployments/web", "GET /api/v1",
                  "GET /api/v1/namespaces/other/services/db", "GET /api/v1/namespaces/shop"));
}

TEST_F(KubeClientTest, RereadsDiscoveryWhenAKindIsUnknownThenSaysSo) {
  int reads = 0;
  transport.on("GET", "/apis/example.com/v1", [&](const HttpRequest&) {
    ++reads;
    std::string resources =
        reads == 1 ? "[]"
                   : R"([{"name":"widgets","namespaced":true,"kind":"Widget","verbs":["get"]}])";
    return HttpResponse{200, R"({"kind":"APIResourceList","resources":)" + resources + "}", "", ""};
  });
  transport.on("GET", "/apis/example.com/v1/namespaces/shop/widgets/w", 200, "{}");
  ASSERT_TRUE(client.discovery().resource_for("example.com/v1", "Gadget").error().not_found());
  EXPECT_EQ(reads, 2);  // read, then read again in case a CRD was created since
  // The second read listed Widget (its CRD was created in between): kept, not read again.
  EXPECT_TRUE(client.get({"example.com/v1", "Widget", "", "w"}).ok());
  EXPECT_EQ(reads, 2);
  KubeResult<nlohmann::json> missing = client.get({"example.com/v2", "Widget", "", "w"});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("does not serve example.com/v2"));
}

TEST_F(KubeClientTest, ListFollowsContinueAcrossPagesWithEncodedSelectors) {
  transport.on("GET", "/api/v1/namespaces/shop/configmaps", [](const HttpRequest& request) {
    if (request.path.find("continue=") == std::string::npos)
      return HttpResponse{
          200,
          R"({"metadata":{"resourceVersion":"41","continue":"c1"},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]})",
          "", ""};
    return HttpResponse{
        200, R"({"metadata":{"resourceVersion":"41"},"items":[{"metadata":{"name":"c"}}]})", "",
        ""};
  });
  KubeResult<ObjectList> list = client.list(
      "v1", "ConfigMap", "", {.label_selector = "app in (web,api),tier!=db", .limit = 2});
  ASSERT_TRUE(list.ok()) << list.error().describe();
  EXPECT_EQ(list->pages, 2);
  EXPECT_EQ(list->resource_version, "41");
  ASSERT_EQ(list->items.size(), 3u);
  EXPECT_EQ(list->items[2]["metadata"]["name"], "c");
  EXPECT_EQ(list->items[2]["kind"], "ConfigMap");  // list items get their kind back
  EXPECT_EQ(transport.request_lines()[1],
            "GET "
            "/api/v1/namespaces/shop/"
            "configmaps?labelSelector=app%20in%20%28web%2Capi%29%2Ctier%21%3Ddb&limit=2");
  EXPECT_EQ(
      transport.request_lines()[2],
      "GET "
      "/api/v1/namespaces/shop/"
      "configmaps?labelSelector=app%20in%20%28web%2Capi%29%2Ctier%21%3Ddb&limit=2&continue=c1");
}

TEST_F(KubeClientTest, ListOfAllNamespacesHasNoNamespaceInThePath) {
  transport.on("GET", "/api/v1/pods", 200, R"({"metadata":{},"items":[]})");
  ASSERT_TRUE(client.list("v1", "Pod", "*").ok());
  EXPECT_EQ(transport.request_lines().back(), "GET /api/v1/pods?limit=500");
}

TEST_F(KubeClientTest, ServerSideApplySendsTheWholeObjectAsApplyPatch) {
  transport.on("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web", 200,
               R"({"kind":"Deployment"})");
  nlohmann::json deployment = {{"apiVersion", "apps/v1"},
                               {"kind", "Deployment"},
                               {"metadata", {{"name", "web"}}},
                               {"spec", {{"replicas", 2}}}};
  ASSERT_TRUE(
      client.apply(deployment, {.field_manager = "fusion", .force = true, .dry_run = true}).ok());
  const HttpRequest& request = transport.requests.back();
  EXPECT_EQ(
      request.path,
      "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=fusion&force=true&dryRun=All");
  EXPECT_EQ(header(request, "Content-Type"), "application/apply-patch+yaml");
  EXPECT_EQ(nlohmann::json::parse(request.body), deployment);
}

TEST_F(KubeClientTest, ApplyConflictNamesTheOtherManager) {
  transport.on("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web", 409, R"({
    "kind":"Status","apiVersion":"v1","status":"Failure",
    "message":"Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas",
    "reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict",
    "message":"conflict with \"kubectl-edit\" using apps/v1","field":".spec.replicas"}]},"code":409})");
  KubeResult<nlohmann::json> result = client.apply(
      {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}}}});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().conflict());
  EXPECT_THAT(result.error().conflicting_managers(), ElementsAre("kubectl-edit"));
  EXPECT_EQ(result.error().describe(),
            "409 Conflict: Apply failed with 1 conflict: conflict with \"kubectl-edit\" using "
            "apps/v1: .spec.replicas");
}

TEST_F(KubeClientTest, InvalidObjectSaysWhichField) {
  transport.on("PATCH", "/api/v1/namespaces/shop/services/web", 422, R"({
    "kind":"Status","status":"Failure","message":"Service \"web\" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
    "reason":"Invalid","details":{"name":"web","kind":"Service","causes":[
      {"reason":"FieldValueInvalid","message":"Invalid value: 0: must be between 1 and 65535, inclusive","field":"spec.ports[0].port"},
      {"reason":"FieldValueRequired","message":"Required value","field":"spec.ports[0].protocol"}]},"code":422})");
  KubeResult<nlohmann::json> result =
      client.apply({{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", "web"}}}});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().invalid());
  EXPECT_EQ(result.error().causes.size(), 2u);
  // The first cause is already in the message; the second is added on a line of its own.
  EXPECT_EQ(
      result.error().describe(),
      "422 Invalid: Service \"web\" is invalid: spec.ports[0].port: Invalid value: 0: must be "
      "between 1 and 65535, inclusive\n  spec.ports[0].protocol: Required value");
}

TEST_F(KubeClientTest, DeleteSendsPropagationAndPreconditions) {
  transport.on("DELETE", "/apis/apps/v1/namespaces/shop/deployments/web", 200,
               R"({"kind":"Status","status":"Success"})");
  ASSERT_TRUE(client
                  .remove({"apps/v1", "Deployment", "", "web"},
                          {.propagation = "Foreground", .precondition_uid = "u-1"})
                  .ok());
  nlohmann::json body = nlohmann::json::parse(transport.requests.back().body);
  EXPECT_EQ(body["propagationPolicy"], "Foreground");
  EXPECT_EQ(body["preconditions"]["uid"], "u-1");
  EXPECT_EQ(body["kind"], "DeleteOptions");
}

TEST_F(KubeClientTest, StatusApplyGoesToTheSubresource) {
  transport.on("PATCH", "/apis/apps/v1/namespaces/shop/deployments/web/status", 200, "{}");
  ASSERT_TRUE(client
                  .apply_status({{"apiVersion", "apps/v1"},
                                 {"kind", "Deployment"},
                                 {"metadata", {{"name", "web"}}},
                                 {"status", {{"replicas", 1}}}},
                                {.field_manager = "fusion-gitops"})
                  .ok());
  EXPECT_EQ(transport.requests.back().path,
            "/apis/apps/v1/namespaces/shop/deployments/web/status?fieldManager=fusion-gitops");
}

TEST_F(KubeClientTest, CreatePostsToTheCollection) {
  transport.on("POST", "/api/v1/namespaces/shop/configmaps", 201, R"({"metadata":{"uid":"x"}})");
  KubeResult<nlohmann::json> created =
      client.create({{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}}}});
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created.value()["metadata"]["uid"], "x");
}

TEST_F(KubeClientTest, PodLogIsTextWithItsOptionsInTheQuery) {
  transport.on("GET", "/api/v1/namespaces/shop/pods/api-1/log", [](const HttpRequest&) {
    return HttpResponse{200, "2026-11-27T10:00:00.5Z started\n", "text/plain", ""};
  });
  auto log = client.pod_log("shop", "api-1",
                            {.container = "api",
                             .tail_lines = 20,
                             .timestamps = true,
                             .since_time = "2026-11-27T10:00:00Z",
                             .previous = true});
  ASSERT_TRUE(log) << log.error().describe();
  EXPECT_EQ(log.value(), "2026-11-27T10:00:00.5Z started\n");
  EXPECT_EQ(transport.request_lines().back(),
            "GET /api/v1/namespaces/shop/pods/api-1/log?container=api&tailLines=20&timestamps=true"
            "&sinceTime=2026-11-27T10%3A00%3A00Z&previous=true");
  auto missing = client.pod_log("shop", "gone");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().not_found());
}

TEST_F(KubeClientTest, UnreachableServerIsTypedAndSaysWhy) {
  FakeTransport down;
  down.on("GET", "/version", [](const HttpRequest&) {
    return HttpResponse{0, "", "", "Couldn't connect to server (https://127.0.0.1:1)"};
  });
  KubeClient offline(down, "default", {.qps = 0, .burst = 0});
  KubeResult<nlohmann::json> version = offline.get_path("/version");
  ASSERT_FALSE(version.ok());
  EXPECT_TRUE(version.error().unreachable());
  EXPECT_EQ(version.error().describe(),
            "cannot reach the API server: Couldn't connect to server (https://127.0.0.1:1)");
}

TEST_F(KubeClientTest, WatchDecodesEventsSkipsBookmarksAndReturnsWhereToResume) {
  transport.on(
      "GET", "/api/v1/namespaces/shop/pods", 200,
      R"({"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"5"}}}
{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"7"}}}
{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"9"}}}
{"type":"DELETED","object":{"kind":"Pod","metadata":{"name":"a","resourceVersion":"10"}}}
)");
  std::vector<std::string> seen;
  KubeResult<std::string> resume =
      client.watch("v1", "Pod", "", {.resource_version = "4"}, [&](const WatchEvent& event) {
        seen.push_back(std::to_string(static_cast<int>(event.type)) + ":" +
                       event.object["metadata"]["resourceVersion"].get<std::string>());
        return true;
      });
  ASSERT_TRUE(resume.ok()) << resume.error().describe();
  EXPECT_THAT(seen, ElementsAre("0:5", "1:9", "2:10"));
  EXPECT_EQ(resume.value(), "10");
  EXPECT_THAT(transport.request_lines().back(),
              HasSubstr("?watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=4"));
}

TEST_F(KubeClientTest, WatchOfACompactedVersionIsGone) {
  transport.on(
      "GET", "/api/v1/namespaces/shop/pods", 200,
      R"json({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 4 (2041)","reason":"Expired","code":410}}
)json");
  KubeResult<std::string> resume = client.watch("v1", "Pod", "", {.resource_version = "4"},
                                                [](const WatchEvent&) { return true; });
  ASSERT_FALSE(resume.ok());
  EXPECT_TRUE(resume.error().gone());
  EXPECT_THAT(resume.error().message, HasSubstr("too old resource version"));
}

}  // namespace
}  // namespace fusion
