#include "gitops/apply_order.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fusion {
namespace {

using nlohmann::json;

json object(const char* api_version, const char* kind, const char* name,
            const char* namespace_ = "") {
  json metadata = {{"name", name}};
  if (*namespace_) metadata["namespace"] = namespace_;
  return {{"apiVersion", api_version}, {"kind", kind}, {"metadata", metadata}};
}

std::vector<std::string> kinds_of(const std::vector<json>& objects) {
  std::vector<std::string> out;
  for (const json& o : objects) {
    out.push_back(o["kind"].get<std::string>() + " " + o["metadata"]["name"].get<std::string>());
  }
  return out;
}

TEST(ApplyOrder, PutsCrdsAndNamespacesFirstAndCustomResourcesLast) {
  std::vector<json> objects = {
      object("example.com/v1", "Widget", "w", "shop"),
      object("networking.k8s.io/v1", "Ingress", "web", "shop"),
      object("apps/v1", "Deployment", "web", "shop"),
      object("v1", "Service", "web", "shop"),
      object("rbac.authorization.k8s.io/v1", "RoleBinding", "deployer", "shop"),
      object("v1", "ConfigMap", "settings", "shop"),
      object("v1", "Secret", "token", "shop"),
      object("v1", "ServiceAccount", "deployer", "shop"),
      object("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "check"),
      object("v1", "Namespace", "shop"),
      object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
      object("batch/v1", "CronJob", "report", "shop"),
      object("apps/v1", "StatefulSet", "db", "shop"),
  };
  sort_for_apply(objects);
  std::vector<std::string> expected = {"CustomResourceDefinition widgets.example.com",
                                       "Namespace shop",
                                       "ServiceAccount deployer",
                                       "Secret token",
                                       "ConfigMap settings",
                                       "RoleBinding deployer",
                                       "Service web",
                                       "Deployment web",
                                       "StatefulSet db",
                                       "CronJob report",
                                       "Ingress web",
                                       "ValidatingWebhookConfiguration check",
                                       "Widget w"};
  EXPECT_EQ(kinds_of(objects), expected);
}

TEST(ApplyOrder, OrdersOneKindByNamespaceAndNameWhateverTheFileOrder) {
  std::vector<json> objects = {object("v1", "ConfigMap", "b", "shop"),
                               object("v1", "ConfigMap", "a", "shop"),
                               object("v1", "ConfigMap", "z", "admin")};
  sort_for_apply(objects);
  EXPECT_EQ(kinds_of(objects),
            (std::vector<std::string>{"ConfigMap z", "ConfigMap a", "ConfigMap b"}));
}

TEST(ApplyOrder, MatchesKindsOnlyInKubernetesOwnGroups) {
  EXPECT_TRUE(is_builtin_group(""));
  EXPECT_TRUE(is_builtin_group("apps"));
  EXPECT_TRUE(is_builtin_group("rbac.authorization.k8s.io"));
  EXPECT_FALSE(is_builtin_group("gitops.fusion.dev"));
  ObjectRef custom_deployment{"example.com/v1", "Deployment", "shop", "web"};
  ObjectRef other_builtin{"policy/v1", "Eviction", "shop", "web"};
  ObjectRef deployment{"apps/v1", "Deployment", "shop", "web"};
  EXPECT_LT(apply_rank(deployment), apply_rank(other_builtin));
  EXPECT_LT(apply_rank(other_builtin), apply_rank(custom_deployment));
  EXPECT_TRUE(applies_before(deployment, custom_deployment));
  EXPECT_FALSE(applies_before(deployment, deployment));
}

}  // namespace
}  // namespace fusion
