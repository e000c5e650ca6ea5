#include "gitops/install.h"

#include <gtest/gtest.h>

#include "gitops/git_repository.h"

namespace fusion {
namespace gitops {
namespace {

TEST(GitOpsInstall, CrdServesGitRepositoryWithAStatusSubresource) {
  nlohmann::json crd = git_repository_crd();
  EXPECT_EQ(crd["metadata"]["name"], "gitrepositories.gitops.fusion.dev");
  EXPECT_EQ(crd["spec"]["group"], std::string(kGitOpsGroup));
  EXPECT_EQ(crd["spec"]["names"]["kind"], std::string(kGitRepositoryKind));
  const nlohmann::json& version = crd["spec"]["versions"][0];
  EXPECT_EQ("gitops.fusion.dev/" + version["name"].get<std::string>(),
            std::string(kGitRepositoryApiVersion));
  EXPECT_TRUE(version["subresources"].contains("status"));
  EXPECT_EQ(version["schema"]["openAPIV3Schema"]["properties"]["spec"]["required"][0], "url");
}

TEST(GitOpsInstall, ControllerRunsAsItsOwnAccountInItsNamespace) {
  auto objects = install_objects({.namespace_ = "ops", .image = "fusion:0.9"});
  std::vector<std::string> kinds;
  for (const auto& o : objects) kinds.push_back(o["kind"]);
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"CustomResourceDefinition", "Namespace", "ServiceAccount",
                                      "ClusterRole", "ClusterRoleBinding", "Deployment"}));
  const nlohmann::json& deployment = objects.back();
  EXPECT_EQ(deployment["metadata"]["namespace"], "ops");
  const nlohmann::json& pod = deployment["spec"]["template"]["spec"];
  EXPECT_EQ(pod["serviceAccountName"], "fusion-gitops");
  EXPECT_EQ(pod["containers"][0]["image"], "fusion:0.9");
  EXPECT_EQ(pod["containers"][0]["args"], nlohmann::json::array({"gitops", "run"}));
  EXPECT_EQ(objects[4]["subjects"][0]["namespace"], "ops");
}

}  // namespace
}  // namespace gitops
}  // namespace fusion
