#include "gitops/render.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>

namespace fusion::gitops {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;
using Files = std::map<std::string, std::string>;

/// "Kind namespace/name" of every object, in order.
std::vector<std::string> names(const Rendered& rendered) {
  std::vector<std::string> out;
  for (const Json& o : rendered.objects) {
    const Json& metadata = o["metadata"];
    std::string ns = metadata.value("namespace", "");
    out.push_back(o.value("kind", "") + " " + (ns.empty() ? "" : ns + "/") +
                  metadata.value("name", ""));
  }
  return out;
}

std::string config_map(const std::string& name, const std::string& extra = "") {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n" + extra;
}

/// A runner that must not be called: plain manifests and fusion.yaml run nothing.
class NoProcesses : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override {
    ADD_FAILURE() << "ran " << spec.argv.front();
    return {};
  }
};

TEST(RenderManifests, ReadsEveryYamlFileInPathOrderWithDocumentsInOrder) {
  Files files = {
      {"b.yaml", config_map("b1") + "---\n" + config_map("b2")},
      {"a.yml", "---\n# only a comment\n---\n" + config_map("a")},
      {"nested/deeper/c.yaml",
       "apiVersion: v1\nkind: List\nitems:\n"
       "- {apiVersion: v1, kind: Secret, metadata: {name: c1}}\n"
       "- {apiVersion: v1, kind: Secret, metadata: {name: c2}}\n"},
      {"empty.yaml", ""},
      {"README.md", "apiVersion: v1\nkind: ConfigMap\n"},  // not YAML by its name: ignored
      {"notes.txt", "{{ not yaml"},
      {".github/workflows/ci.yaml", "on: push\n"},  // hidden folders are not the cluster's
  };
  NoProcesses processes;
  auto rendered = render_path(files, {.runner = &processes});
  ASSERT_TRUE(rendered.ok()) << rendered.error();
  EXPECT_EQ(rendered->kind, RenderKind::kManifests);
  EXPECT_EQ(names(*rendered), (std::vector<std::string>{"ConfigMap a", "ConfigMap b1",
                                                        "ConfigMap b2", "Secret c1", "Secret c2"}));
}

TEST(RenderManifests, EmptyRenderIsNotAnError) {
  auto rendered = render_path({{"empty.yaml", "---\n---\n"}, {"README.md", "hello"}}, {});
  ASSERT_TRUE(rendered.ok()) << rendered.error();
  EXPECT_TRUE(rendered->objects.empty());
  EXPECT_TRUE(render_path({}, {}).ok());
}

TEST(RenderManifests, TargetNamespaceGoesOnlyOnNamespacedObjectsThatNameNone) {
  Files files = {{"all.yaml", config_map("plain") + "---\n" +
                                  config_map("placed", "  namespace: elsewhere\n") + "---\n" +
                                  "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"
                                  "---\n"
                                  "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                                  "metadata: {name: reader}\n"
                                  "---\n"
                                  "apiVersion: example.com/v1\nkind: Widget\n"
                                  "metadata: {name: w}\n"}};
  auto rendered = render_path(files, {.target_namespace = "shop"});
  ASSERT_TRUE(rendered.ok()) << rendered.error();
  EXPECT_EQ(names(*rendered),
            (std::vector<std::string>{"ConfigMap shop/plain", "ConfigMap elsewhere/placed",
                                      "Namespace shop", "ClusterRole reader", "Widget shop/w"}));

  // Discovery, when given, decides instead of the built-in table.
  auto asked = render_path(
      files,
      {.target_namespace = "shop", .namespaced = [](const std::string&, const std::string& kind) {
         return kind != "Widget" && kind != "Namespace" && kind != "ClusterRole";
       }});
  ASSERT_TRUE(asked.ok()) << asked.error();
  EXPECT_EQ(names(*asked).back(), "Widget w");

  auto left = render_path(files, {});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(names(*left).front(), "ConfigMap plain");
}

TEST(RenderManifests, BuiltinTableKnowsClusterScopedKindsByGroup) {
  EXPECT_FALSE(builtin_namespaced("v1", "Namespace"));
  EXPECT_FALSE(builtin_namespaced("apiextensions.k8s.io/v1", "CustomResourceDefinition"));
  EXPECT_FALSE(
      builtin_namespaced("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"));
  EXPECT_FALSE(builtin_namespaced("storage.k8s.io/v1", "StorageClass"));
  EXPECT_TRUE(builtin_namespaced("v1", "ConfigMap"));
  EXPECT_TRUE(builtin_namespaced("apps/v1", "Deployment"));
  EXPECT_TRUE(builtin_namespaced("example.com/v1", "Node"));  // a custom kind of that name
}

TEST(RenderManifests, DuplicatesAreNamedWithBothPlaces) {
  Files files = {
      {"a.yaml", config_map("web")},
      {"deploy/b.yaml", "# two\n\n" + config_map("other") + "---\n" + config_map("web")}};
  auto rendered = render_path(files, {.target_namespace = "shop"});
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error(),
            "deploy/b.yaml:8: ConfigMap shop/web is rendered twice (duplicate): first at a.yaml:1");
}

TEST(RenderManifests, DuplicatesCompareTheGroupNotTheVersion) {
  std::string v1 = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n";
  std::string beta = "apiVersion: apps/v1beta2\nkind: Deployment\nmetadata: {name: web}\n";
  auto rendered = render_path({{"a.yaml", v1 + "---\n" + beta}}, {});
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error(),
            "a.yaml:5: Deployment.apps web is rendered twice (duplicate): first at a.yaml:1");

  // Another namespace, or another group, is another object.
  std::string other_ns = config_map("web", "  namespace: two\n");
  std::string other_group = "apiVersion: example.com/v1\nkind: ConfigMap\nmetadata: {name: web}\n";
  EXPECT_TRUE(
      render_path({{"a.yaml", config_map("web") + "---\n" + other_ns + "---\n" + other_group}}, {})
          .ok());
}

TEST(RenderManifests, BrokenYamlNamesFileLineAndColumn) {
  Files files = {{"a.yaml", config_map("fine")},
                 {"deploy/web.yaml", config_map("ok") + "---\n" +
                                         "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                         "  name: web\n  labels: [unclosed\n"}};
  auto rendered = render_path(files, {});
  ASSERT_FALSE(rendered.ok());
  EXPECT_THAT(rendered.error(), StartsWith("deploy/web.yaml:"));
  EXPECT_THAT(rendered.error(), ::testing::MatchesRegex("deploy/web\\.yaml:[0-9]+:[0-9]+: .*"));
}

TEST(RenderManifests, ObjectsWithoutApiVersionKindOrNameAreErrors) {
  auto no_kind = render_path({{"x/a.yaml", "\napiVersion: v1\nmetadata: {name: a}\n"}}, {});
  ASSERT_FALSE(no_kind.ok());
  EXPECT_EQ(no_kind.error(), "x/a.yaml:2: the object has no kind");

  auto no_version = render_path({{"a.yaml", "kind: ConfigMap\nmetadata: {name: a}\n"}}, {});
  ASSERT_FALSE(no_version.ok());
  EXPECT_EQ(no_version.error(), "a.yaml:1: the object has no apiVersion");

  auto no_name = render_path({{"a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n"}}, {});
  ASSERT_FALSE(no_name.ok());
  EXPECT_EQ(no_name.error(), "a.yaml:1: the ConfigMap has no metadata.name");

  auto generated = render_path(
      {{"a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: a-}\n"}}, {});
  ASSERT_FALSE(generated.ok());
  EXPECT_EQ(generated.error(),
            "a.yaml:1: the ConfigMap has no metadata.name (generateName cannot be applied)");
}

TEST(RenderManifests, SameFilesGiveTheSameObjectsInTheSameOrder) {
  Files files = {
      {"z.yaml", config_map("z")}, {"m/a.yaml", config_map("a")}, {"m.yaml", config_map("m")}};
  auto first = render_path(files, {.target_namespace = "shop"});
  auto second = render_path(files, {.target_namespace = "shop"});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->objects, second->objects);
  EXPECT_EQ(names(*first),
            (std::vector<std::string>{"ConfigMap shop/m", "ConfigMap shop/a", "ConfigMap shop/z"}));
}

constexpr const char* kStack = R"(version: 1
name: shop
services:
  api:
    image: example.com/shop/api:1.2
    ports: ["8080"]
    env:
      MODE: production
  web:
    image: example.com/shop/web:1.2
    ports: ["80"]
    depends_on: { api: started }
  debug:
    image: busybox:1.36
    profiles: [debug]
)";

TEST(RenderFusionRegistry, GeneratesDeploymentsAndServicesWithTheStackLabels) {
  NoProcesses processes;
  Files files = {{"fusion.yaml", kStack},
                 {"services/api/deploy.yaml", "not: [a manifest"},  // fusion.yaml decides alone
                 {"README.md", "# shop"}};
  auto rendered = render_path(files, {.target_namespace = "shop-prod", .runner = &processes});
  ASSERT_TRUE(rendered.ok()) << rendered.error();
  EXPECT_EQ(rendered->kind, RenderKind::kFusionRegistry);
  EXPECT_EQ(names(*rendered),
            (std::vector<std::string>{"ConfigMap shop-prod/api-env", "Deployment shop-prod/api",
                                      "Service shop-prod/api", "Deployment shop-prod/web",
                                      "Service shop-prod/web"}));
  for (const Json& o : rendered->objects) {
    EXPECT_EQ(o["metadata"]["labels"]["app.kubernetes.io/part-of"], "shop") << o.dump();
    EXPECT_EQ(o["metadata"]["labels"]["app.kubernetes.io/managed-by"], "fusion") << o.dump();
    EXPECT_NE(o["kind"], "Secret");
  }
  const Json& api = rendered->objects[1];
  EXPECT_EQ(api["spec"]["template"]["spec"]["containers"][0]["image"], "example.com/shop/api:1.2");
  EXPECT_EQ(rendered->objects[0]["data"]["MODE"], "production");
}

TEST(RenderFusionRegistry, VolumeClaimsAndContentConfigsCarryTheStackLabels) {
  std::string yaml = R"(version: 1
name: shop
configs:
  app_conf:
    content: "level=info"
volumes:
  data: {}
services:
  db:
    image: postgres:16
    volumes: ["data:/var/lib/postgresql/data"]
    configs: [app_conf]
)";
  auto rendered = render_path({{"fusion.yaml", yaml}}, {});
  ASSERT_TRUE(rendered.ok()) << rendered.error();
  ASSERT_FALSE(rendered->objects.empty());
  EXPECT_EQ(names(*rendered).front(), "PersistentVolumeClaim data");
  for (const Json& o : rendered->objects) {
    EXPECT_EQ(o["metadata"]["labels"]["app.kubernetes.io/part-of"], "shop") << o.dump();
    EXPECT_EQ(o["metadata"]["labels"]["app.kubernetes.io/managed-by"], "fusion") << o.dump();
  }
}

TEST(RenderFusionRegistry, ErrorsAreTheDiagnosticsValidatePrints) {
  std::string yaml = R"(version: 1
name: shop
services:
  api:
    image: example.com/shop/api:1.2
    helthcheck: {}
)";
  auto rendered = render_path({{"fusion.yaml", yaml}}, {});
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error(),
            "fusion.yaml:6:5: error: unknown key 'helthcheck' in service 'api'; did you mean "
            "'health'?\n"
            "    6 |     helthcheck: {}\n"
            "      |     ^~~~~~~~~~");
  EXPECT_EQ(rendered.error().find("\x1b["), std::string::npos);  // no colour

  auto broken = render_path({{"fusion.yaml", "services: [\n"}}, {});
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.error(), StartsWith("fusion.yaml:"));
}

TEST(RenderKustomization, WithoutARunnerSaysKubectlIsNeeded) {
  auto rendered = render_path({{"kustomization.yaml", "resources: [a.yaml]\n"}}, {});
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error(),
            "rendering a kustomization needs kubectl on PATH (kubectl kustomize)");
}

/// `kubectl kustomize` as a fake: keeps what it saw in the folder it ran in, answers as told.
class FakeKubectl : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override {
    argv = spec.argv;
    cwd = spec.cwd;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(spec.cwd)) {
      if (entry.is_regular_file())
        seen.push_back(entry.path().lexically_relative(spec.cwd).string());
    }
    std::sort(seen.begin(), seen.end());
    ProcessResult r = answer;
    r.err = std::regex_replace(r.err, std::regex("FOLDER"), spec.cwd.string());
    return r;
  }
  ProcessResult answer{.exit_code = 0, .out = "", .err = ""};
  std::vector<std::string> argv;
  std::filesystem::path cwd;
  std::vector<std::string> seen;
};

class RenderKustomizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = std::filesystem::path(::testing::TempDir()) / "render-test-scratch";
    std::filesystem::remove_all(scratch_);
  }
  void TearDown() override { std::filesystem::remove_all(scratch_); }
  RenderOptions options() {
    return {.target_namespace = "shop", .runner = &kubectl_, .scratch_dir = scratch_};
  }

  std::filesystem::path scratch_;
  FakeKubectl kubectl_;
  Files files_ = {{"kustomization.yaml", "resources: [base]\n"},
                  {"base/kustomization.yaml", "resources: [cm.yaml]\n"},
                  {"base/cm.yaml", config_map("web")}};
};

TEST_F(RenderKustomizationTest, RunsKubectlKustomizeInAFreshFolderRemovedAfter) {
  kubectl_.answer.out =
      config_map("web") + "---\n" + "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
  auto rendered = render_path(files_, options());
  ASSERT_TRUE(rendered.ok()) << rendered.error();
  EXPECT_EQ(rendered->kind, RenderKind::kKustomization);
  EXPECT_EQ(names(*rendered), (std::vector<std::string>{"ConfigMap shop/web", "Namespace shop"}));
  EXPECT_EQ(kubectl_.argv, (std::vector<std::string>{"kubectl", "kustomize", "."}));
  EXPECT_EQ(kubectl_.cwd.parent_path(), scratch_);
  EXPECT_EQ(kubectl_.seen, (std::vector<std::string>{"base/cm.yaml", "base/kustomization.yaml",
                                                     "kustomization.yaml"}));
  EXPECT_FALSE(std::filesystem::exists(kubectl_.cwd));
  EXPECT_TRUE(std::filesystem::is_empty(scratch_));
}

TEST_F(RenderKustomizationTest, EachSpellingOfTheKustomizationCounts) {
  for (const char* name : {"kustomization.yml", "Kustomization"}) {
    kubectl_.argv.clear();
    auto rendered = render_path({{name, "resources: []\n"}, {"fusion.yaml", kStack}}, options());
    ASSERT_TRUE(rendered.ok()) << rendered.error();
    EXPECT_EQ(rendered->kind, RenderKind::kKustomization) << name;
    EXPECT_FALSE(kubectl_.argv.empty()) << name;
  }
}

TEST_F(RenderKustomizationTest, PathsThatEscapeAreRefusedBeforeAnythingRuns) {
  for (const char* path : {"../evil.yaml", "/etc/evil.yaml", "base/../../evil.yaml", "a//b.yaml"}) {
    Files files = files_;
    files[path] = "x";
    auto rendered = render_path(files, options());
    ASSERT_FALSE(rendered.ok()) << path;
    EXPECT_THAT(rendered.error(), HasSubstr(std::string("'") + path + "'"));
    EXPECT_TRUE(kubectl_.argv.empty()) << path;
  }
  EXPECT_FALSE(std::filesystem::exists(scratch_.parent_path() / "evil.yaml"));
  EXPECT_TRUE(std::filesystem::is_empty(scratch_));
}

TEST_F(RenderKustomizationTest, KubectlMissingOrFailingSaysWhat) {
  kubectl_.answer = {.exit_code = -1, .err = "kubectl: No such file or directory"};
  auto missing = render_path(files_, options());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "rendering a kustomization needs kubectl on PATH (kubectl kustomize)");

  kubectl_.answer = {
      .exit_code = 1,
      .err = "error: accumulating resources: 'FOLDER/base/gone.yaml': no such file\n"};
  auto failed = render_path(files_, options());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error(),
            "kubectl kustomize failed: error: accumulating resources: 'base/gone.yaml': no such "
            "file");
  EXPECT_TRUE(std::filesystem::is_empty(scratch_));

  kubectl_.answer = {.exit_code = 137, .timed_out = true};
  auto slow = render_path(files_, options());
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error(), "kubectl kustomize did not finish within 120 s");
}

TEST_F(RenderKustomizationTest, ItsOutputIsCheckedLikeManifests) {
  kubectl_.answer.out = config_map("web") + "---\n" + config_map("web");
  auto rendered = render_path(files_, options());
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error(),
            "kubectl kustomize:6: ConfigMap shop/web is rendered twice (duplicate): first at "
            "kubectl kustomize:1");
}

TEST(RenderKind, NamesForMessages) {
  EXPECT_STREQ(render_kind_name(RenderKind::kManifests), "manifests");
  EXPECT_STREQ(render_kind_name(RenderKind::kKustomization), "kustomization");
  EXPECT_STREQ(render_kind_name(RenderKind::kFusionRegistry), "fusion.yaml");
}

}  // namespace
}  // namespace fusion::gitops
