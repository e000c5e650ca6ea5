#include "gitops/cluster_sync.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "kube/fake_transport.h"

namespace fusion {
namespace gitops {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

TEST(DriftedFields, TheFieldsTheDryRunWouldChangeButNotTheServersBookkeeping) {
  Json live = {{"apiVersion", "v1"},
               {"kind", "ConfigMap"},
               {"metadata",
                {{"name", "app"},
                 {"resourceVersion", "7"},
                 {"managedFields", Json::array({{{"manager", "kubectl"}}})},
                 {"labels", {{"team", "a"}}}}},
               {"data", {{"LEVEL", "hand-edited"}, {"KEEP", "1"}}}};
  Json dry = live;
  dry["metadata"]["resourceVersion"] = "8";
  dry["metadata"]["managedFields"] = Json::array({{{"manager", "fusion-gitops"}}});
  EXPECT_TRUE(drifted_fields(live, dry).empty());
  dry["data"]["LEVEL"] = "info";
  dry["metadata"]["labels"]["gitops.fusion.dev/owner"] = "apps.shop";
  EXPECT_THAT(drifted_fields(live, dry),
              ElementsAre("/data/LEVEL", "/metadata/labels/gitops.fusion.dev~1owner"));
}

class ClusterSyncTest : public ::testing::Test {
 protected:
  ClusterSyncTest() {
    transport.serve_discovery();
    transport.on(
        "GET", "/apis/gitops.fusion.dev/v1alpha1", 200,
        R"({"kind":"APIResourceList","groupVersion":"gitops.fusion.dev/v1alpha1","resources":[
      {"name":"gitrepositories","namespaced":true,"kind":"GitRepository","verbs":["get","list","patch"]},
      {"name":"gitrepositories/status","namespaced":true,"kind":"GitRepository","verbs":["get","patch"]}]})");
  }
  FakeTransport transport;
  KubeClient client{transport, "apps", {.qps = 0, .burst = 0}};
};

TEST_F(ClusterSyncTest, OwnersOfWhatExistsAndNothingForWhatIsGone) {
  transport.on("GET", "/api/v1/namespaces/apps/configmaps/mine", 200,
               R"({"metadata":{"name":"mine","labels":{"gitops.fusion.dev/owner":"apps.shop"}}})");
  transport.on("GET", "/api/v1/namespaces/apps/configmaps/theirs", 200,
               R"({"metadata":{"name":"theirs","labels":{"team":"a"}}})");
  ObjectRef mine{"v1", "ConfigMap", "apps", "mine"}, theirs{"v1", "ConfigMap", "apps", "theirs"},
      gone{"v1", "ConfigMap", "apps", "gone"};
  auto owners = read_owners(client, {mine, theirs, gone});
  ASSERT_TRUE(owners) << owners.error();
  EXPECT_EQ(owners->size(), 2u);
  EXPECT_EQ(owners->at(mine), OwnerLabel{"apps.shop"});
  EXPECT_EQ(owners->at(theirs), OwnerLabel{});
}

TEST_F(ClusterSyncTest, DeletesInOrderAndAGoneObjectIsFine) {
  transport.on("DELETE", "/api/v1/namespaces/apps/configmaps/a", 200, "{}");
  Status done =
      delete_objects(client, {{"v1", "ConfigMap", "apps", "a"}, {"v1", "ConfigMap", "apps", "b"}});
  EXPECT_TRUE(done) << done.error();
  auto lines = transport.request_lines();
  EXPECT_THAT(lines[lines.size() - 2], HasSubstr("DELETE /api/v1/namespaces/apps/configmaps/a"));
  EXPECT_THAT(lines.back(), HasSubstr("DELETE /api/v1/namespaces/apps/configmaps/b"));
}

TEST_F(ClusterSyncTest, StatusIsAppliedToTheSubresourceAsFusionGitops) {
  transport.on("PATCH",
               "/apis/gitops.fusion.dev/v1alpha1/namespaces/apps/gitrepositories/shop/status", 200,
               "{}");
  GitRepositorySpec spec;
  spec.name = "shop";
  spec.namespace_ = "apps";
  GitRepositoryStatus status;
  status.phase = SyncPhase::kSynced;
  status.last_synced_commit = "1a2b";
  ASSERT_TRUE(write_status(client, spec, status));
  const HttpRequest& sent = transport.requests.back();
  EXPECT_THAT(sent.path, HasSubstr("fieldManager=fusion-gitops"));
  Json body = Json::parse(sent.body);
  EXPECT_EQ(body["status"]["phase"], "Synced");
  EXPECT_EQ(body["status"]["lastSyncedCommit"], "1a2b");
}

TEST_F(ClusterSyncTest, DriftOfADeletedObjectIsPutBack) {
  transport.on("PATCH", "/api/v1/namespaces/apps/configmaps/app", 200, "{}");
  Json object = {{"apiVersion", "v1"},
                 {"kind", "ConfigMap"},
                 {"metadata", {{"name", "app"}, {"namespace", "apps"}}},
                 {"data", {{"LEVEL", "info"}}}};
  auto report = check_drift(client, {object}, DriftMode::kCorrect);
  ASSERT_TRUE(report) << report.error();
  EXPECT_THAT(report->drifted, ElementsAre("ConfigMap apps/app: (deleted)"));
  EXPECT_THAT(transport.request_lines().back(),
              HasSubstr("PATCH /api/v1/namespaces/apps/configmaps/app"));
  auto warned = check_drift(client, {object}, DriftMode::kWarn);
  ASSERT_TRUE(warned);
  EXPECT_THAT(transport.request_lines().back(), HasSubstr("GET"));  // reported, not applied
}

}  // namespace
}  // namespace gitops
}  // namespace fusion
