#include "gitops/git_repository.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fusion {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;

json resource(json spec) {
  return {{"apiVersion", "gitops.fusion.dev/v1alpha1"},
          {"kind", "GitRepository"},
          {"metadata", {{"name", "web"}, {"namespace", "shop"}, {"generation", 3}}},
          {"spec", std::move(spec)}};
}

TEST(GitRepositorySpec, ReadsEveryField) {
  json object =
      resource({{"url", "https://git.example/shop/deploy.git"},
                {"tag", "v1.2"},
                {"path", "./deploy//prod/"},
                {"interval", "1m30s"},
                {"timeout", "45s"},
                {"targetNamespace", "shop-prod"},
                {"secretRef", {{"name", "git-token"}}},
                {"prune", false},
                {"suspend", true},
                {"dependsOn", {{{"name", "infra"}}, {{"name", "crds"}, {"namespace", "system"}}}},
                {"serviceAccountName", "deployer"},
                {"drift", "warn"},
                {"maxPrunePercent", 40}});
  object["metadata"]["annotations"] = {{"gitops.fusion.dev/allow-mass-prune", "true"}};
  GitRepositoryParse parse = parse_git_repository(object);
  ASSERT_TRUE(parse.ok()) << parse.errors.front();
  const GitRepositorySpec& spec = parse.spec;
  EXPECT_EQ(spec.name, "web");
  EXPECT_EQ(spec.namespace_, "shop");
  EXPECT_EQ(spec.generation, 3);
  EXPECT_EQ(spec.url, "https://git.example/shop/deploy.git");
  EXPECT_EQ(spec.ref, (GitRef{GitRef::Kind::kTag, "v1.2"}));
  EXPECT_EQ(spec.ref.remote_ref(), "refs/tags/v1.2");
  EXPECT_EQ(spec.path, "deploy/prod");
  EXPECT_EQ(spec.interval, seconds(90));
  EXPECT_EQ(spec.timeout, seconds(45));
  EXPECT_EQ(spec.target_namespace, "shop-prod");
  EXPECT_EQ(spec.secret_name, "git-token");
  EXPECT_FALSE(spec.prune);
  EXPECT_TRUE(spec.suspend);
  std::vector<GitRepositoryDependency> depends_on = {{"infra", "shop"}, {"crds", "system"}};
  EXPECT_EQ(spec.depends_on, depends_on);
  EXPECT_EQ(spec.service_account_name, "deployer");
  EXPECT_EQ(spec.drift, DriftMode::kWarn);
  EXPECT_EQ(spec.max_prune_percent, 40);
  EXPECT_TRUE(spec.allow_mass_prune);
}

TEST(GitRepositorySpec, DefaultsWhatIsLeftOut) {
  GitRepositoryParse parse = parse_git_repository(resource({{"url", "git@github.com:acme/x.git"}}));
  ASSERT_TRUE(parse.ok()) << parse.errors.front();
  const GitRepositorySpec& spec = parse.spec;
  EXPECT_EQ(spec.ref, (GitRef{GitRef::Kind::kBranch, "main"}));
  EXPECT_EQ(spec.ref.remote_ref(), "refs/heads/main");
  EXPECT_EQ(spec.path, ".");
  EXPECT_EQ(spec.interval, minutes(5));
  EXPECT_EQ(spec.timeout, minutes(2));
  EXPECT_TRUE(spec.prune);
  EXPECT_FALSE(spec.suspend);
  EXPECT_EQ(spec.drift, DriftMode::kCorrect);
  EXPECT_EQ(spec.max_prune_percent, 25);
  EXPECT_FALSE(spec.allow_mass_prune);
  EXPECT_TRUE(spec.depends_on.empty());
}

TEST(GitRepositorySpec, ReportsEveryErrorAtOnceNamingItsField) {
  json object = resource({{"branch", "main"},
                          {"tag", "v1"},
                          {"path", "../other"},
                          {"interval", "5x"},
                          {"timeout", "0s"},
                          {"targetNamespace", "Shop_Prod"},
                          {"secretRef", {{"key", "token"}}},
                          {"prune", "yes"},
                          {"dependsOn", {{{"namespace", "x"}}, "infra", {{"name", "web"}}}},
                          {"drift", "fix"},
                          {"maxPrunePercent", 0}});
  object["metadata"]["annotations"] = {{"gitops.fusion.dev/allow-mass-prune", "yes"}};
  std::vector<std::string> expected = {
      R"(metadata.annotations.gitops.fusion.dev/allow-mass-prune: "yes" is neither "true" nor "false")",
      "spec.url: required: the repository to sync, e.g. https://github.com/acme/deploy.git",
      "spec: set only one of branch, tag and commit (found branch, tag)",
      R"(spec.path: "../other" climbs out of the repository with '..')",
      R"(spec.interval: "5x" is not a duration (write e.g. 30s, 5m, 1h))",
      "spec.timeout: must be longer than 0s",
      "spec.dependsOn[0].name: required",
      R"(spec.dependsOn[1]: expected a map with name, got "infra")",
      "spec.dependsOn[2]: a GitRepository cannot depend on itself",
      R"(spec.targetNamespace: "Shop_Prod" is not a namespace name (lower-case letters, digits and '-', at most 63))",
      "spec.secretRef.name: required",
      R"(spec.prune: expected true or false, got "yes")",
      R"(spec.drift: "fix" is neither correct nor warn)",
      "spec.maxPrunePercent: 0 is not between 1 and 100",
  };
  EXPECT_EQ(parse_git_repository(object).errors, expected);
}

TEST(GitRepositorySpec, RefusesAbsolutePathsAndBadRefs) {
  auto errors = [](json spec) {
    spec["url"] = "https://git.example/x.git";
    return parse_git_repository(resource(spec)).errors;
  };
  EXPECT_EQ(errors({{"path", "/etc"}}),
            std::vector<std::string>{
                R"(spec.path: "/etc" is absolute; write a folder inside the repository)"});
  EXPECT_EQ(
      errors({{"path", "a/../../b"}}),
      std::vector<std::string>{R"(spec.path: "a/../../b" climbs out of the repository with '..')"});
  EXPECT_EQ(
      errors({{"branch", "--upload-pack=x"}}),
      std::vector<std::string>{
          R"(spec.branch: "--upload-pack=x" is not a valid branch name: it starts with '-')"});
  EXPECT_EQ(
      errors({{"commit", "1a2b3c"}}),
      std::vector<std::string>{
          R"(spec.commit: "1a2b3c" is not a full commit id (40 or 64 lower-case hex digits))"});
  EXPECT_EQ(
      errors({{"tag", "v1 2"}}),
      std::vector<std::string>{
          R"(spec.tag: "v1 2" is not a valid tag name: it holds a space, a control character or one of ~^:?*[\)"});
}

TEST(GitRepositorySpec, NormalisesPathsThatStayInside) {
  auto path = [](const char* text) {
    return parse_git_repository(resource({{"url", "u"}, {"path", text}})).spec.path;
  };
  EXPECT_EQ(path("deploy/../prod"), "prod");
  EXPECT_EQ(path("./"), ".");
  EXPECT_EQ(path("a/b/.."), "a");
}

TEST(GitRepositorySpec, APinnedCommitIsItsOwnRef) {
  std::string commit(40, 'a');
  GitRepositoryParse parse = parse_git_repository(resource({{"url", "u"}, {"commit", commit}}));
  ASSERT_TRUE(parse.ok());
  EXPECT_EQ(parse.spec.ref.remote_ref(), commit);
  EXPECT_EQ(parse.spec.ref.describe(), "commit aaaaaaaaaaaa");
}

TEST(GitRepositorySpec, RefusesOtherKindsAndMissingParts) {
  json object = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", json::object()}};
  std::vector<std::string> expected = {
      "apiVersion: expected gitops.fusion.dev/v1alpha1, got \"v1\"",
      "kind: expected GitRepository, got \"ConfigMap\"", "metadata.name: required",
      "spec: required: at least spec.url"};
  EXPECT_EQ(parse_git_repository(object).errors, expected);
}

}  // namespace
}  // namespace fusion
