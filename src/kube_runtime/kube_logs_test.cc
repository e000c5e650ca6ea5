#include "kube_runtime/kube_logs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kube/fake_transport.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kPods = R"({"kind":"PodList","metadata":{"resourceVersion":"9"},"items":[
  {"metadata":{"name":"api-old","creationTimestamp":"2026-11-27T10:00:00Z",
               "labels":{"app.kubernetes.io/name":"api"}},
   "spec":{"containers":[{"name":"api"}]}},
  {"metadata":{"name":"api-new","creationTimestamp":"2026-11-27T10:05:00Z",
               "labels":{"app.kubernetes.io/name":"api"}},
   "spec":{"initContainers":[{"name":"wait-for-db"}],"containers":[{"name":"api"}]}},
  {"metadata":{"name":"db-0","creationTimestamp":"2026-11-27T09:00:00Z",
               "labels":{"app.kubernetes.io/name":"db"}},
   "spec":{"containers":[{"name":"db"},{"name":"exporter"}]}}]})";

class KubeLogsTest : public ::testing::Test {
 protected:
  KubeLogsTest() {
    transport.serve_discovery();
    transport.on("GET", "/api/v1/namespaces/shop/pods", 200, kPods);
  }
  FakeTransport transport;
  KubeClient client{transport, "shop", {.qps = 0, .burst = 0}};
};

TEST_F(KubeLogsTest, EveryContainerOfEveryPodIsASourceButInitContainers) {
  PodLogReader reader(client, "shop", "app.kubernetes.io/part-of=shop");
  auto sources = reader.sources();
  ASSERT_TRUE(sources) << sources.error();
  EXPECT_THAT(*sources,
              ElementsAre(LogSource{"api", "api-old/api"}, LogSource{"api", "api-new/api"},
                          LogSource{"db", "db-0/db"}, LogSource{"db", "db-0/exporter"}));
  EXPECT_THAT(transport.request_lines().back(),
              HasSubstr("labelSelector=app.kubernetes.io%2Fpart-of%3Dshop"));
}

TEST_F(KubeLogsTest, ReadAsksForTimestampsTailAndSince) {
  transport.on("GET", "/api/v1/namespaces/shop/pods/db-0/log", 200, "2026-11-27T10:00:01Z x\n");
  PodLogReader reader(client, "shop", "");
  auto text = reader.read({"db", "db-0/exporter"}, 5, "2026-11-27T10:00:00Z");
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(*text, "2026-11-27T10:00:01Z x\n");
  EXPECT_EQ(transport.request_lines().back(),
            "GET /api/v1/namespaces/shop/pods/db-0/log?container=exporter&tailLines=5"
            "&timestamps=true&sinceTime=2026-11-27T10%3A00%3A00Z");
  EXPECT_FALSE(reader.read({"db", "gone/db"}, 0, ""));
}

TEST_F(KubeLogsTest, FailureReportReadsTheNewestPodAndItsPreviousInstanceAfterACrash) {
  transport.on("GET", "/api/v1/namespaces/shop/pods/api-new/log", [](const HttpRequest& r) {
    bool previous = r.path.find("previous=true") != std::string::npos;
    return HttpResponse{200, previous ? "connecting to db\npanic: no db\n" : "", "text/plain", ""};
  });
  std::string shown = last_pod_log_lines(client, "shop", "", "api", 20);
  EXPECT_EQ(shown, "  last 20 log lines of api-new/api:\n  | connecting to db\n  | panic: no db\n");
  EXPECT_EQ(last_pod_log_lines(client, "shop", "", "web", 20), "");
}

}  // namespace
}  // namespace fusion
