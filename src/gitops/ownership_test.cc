#include "gitops/ownership.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fusion {
namespace {

TEST(Ownership, ComputesApplySetIdsAsKubectlDoes) {
  // kubectl's own test (staging/src/k8s.io/kubectl/pkg/cmd/apply/applyset_test.go,
  // TestApplySet_ID).
  EXPECT_EQ(applyset_id("test-foo", "test-ns", "Foo", "foo.bar"),
            "applyset-f9Rk5tKHoB72oV1tU2iFKxDwL8MBZTjMHFQ8V9WNNlA-v1");
  // printf web.shop.GitRepository.gitops.fusion.dev | openssl dgst -sha256 -binary | base64url
  EXPECT_EQ(git_repository_applyset_id("shop", "web"),
            "applyset-nkucmRDNMnKEctWSVMW3twm4eQIEX_iiqO6Z6xHYaP0-v1");
}

TEST(Ownership, LabelsAnObjectKeepingItsOwnLabels) {
  nlohmann::json object = {{"kind", "ConfigMap"},
                           {"metadata", {{"name", "settings"}, {"labels", {{"app", "web"}}}}}};
  add_owner_labels(object, "shop", "web");
  nlohmann::json expected = {
      {"app", "web"},
      {"applyset.kubernetes.io/part-of", "applyset-nkucmRDNMnKEctWSVMW3twm4eQIEX_iiqO6Z6xHYaP0-v1"},
      {"gitops.fusion.dev/owner", "shop.web"}};
  EXPECT_EQ(object["metadata"]["labels"], expected);
  nlohmann::json bare = {{"kind", "ConfigMap"}, {"metadata", {{"name", "x"}}}};
  add_owner_labels(bare, "shop", "web");
  EXPECT_EQ(bare["metadata"]["labels"]["gitops.fusion.dev/owner"], "shop.web");
}

TEST(Ownership, KeepsLongOwnerValuesWithinALabelsLimit) {
  std::string name(80, 'n');
  std::string value = owner_label_value("shop", name);
  EXPECT_EQ(value.size(), 63u);
  EXPECT_EQ(value.substr(0, 47), "shop." + std::string(41, 'n') + "-");
  EXPECT_EQ(value, owner_label_value("shop", name));
  EXPECT_NE(value, owner_label_value("shop", name + "x"));
}

TEST(Ownership, ListsTheInventorysGroupKindsForTheParent) {
  std::vector<InventoryEntry> inventory = {{{"apps/v1", "Deployment", "shop", "a"}, ""},
                                           {{"v1", "ConfigMap", "shop", "b"}, ""},
                                           {{"apps/v1", "Deployment", "shop", "c"}, ""}};
  EXPECT_EQ(applyset_group_kinds(inventory), "ConfigMap,Deployment.apps");
}

}  // namespace
}  // namespace fusion
