// Rendering a kustomization through the real `kubectl kustomize`: a base and an overlay with a
// patch, as a repository holds them; and kubectl missing from PATH.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "gitops/render.h"

namespace fusion::gitops {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;
namespace fs = std::filesystem;

/// PATH set to an empty folder while it lives: no program can be found, as on a host without
/// kubectl (posix_spawnp looks programs up on this process's PATH).
class EmptyPath {
 public:
  explicit EmptyPath(const fs::path& folder) {
    fs::create_directories(folder);
    const char* path = std::getenv("PATH");
    saved_ = path ? path : "";
    setenv("PATH", folder.c_str(), 1);
  }
  ~EmptyPath() { setenv("PATH", saved_.c_str(), 1); }
  EmptyPath(const EmptyPath&) = delete;
  EmptyPath& operator=(const EmptyPath&) = delete;

 private:
  std::string saved_;
};

class RenderKustomizeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per process and test: ctest runs the tests of this binary at once.
    scratch_ = fs::path(::testing::TempDir()) /
               ("render-integration-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }

  fs::path scratch_;
  SystemProcessRunner system_;
};

/// A repository path `deploy/prod` as git would hand it over: relative to that path, so the
/// base is a subfolder of it.
std::map<std::string, std::string> overlay_files() {
  return {
      {"kustomization.yaml", R"(apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- base
- namespace.yaml
patches:
- path: replicas.yaml
labels:
- pairs: {env: prod}
)"},
      {"namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"},
      {"replicas.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
)"},
      {"base/kustomization.yaml", "resources: [web.yaml, config.yaml]\n"},
      {"base/web.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27"}
)"},
      {"base/config.yaml",
       "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n"
       "data: {enabled: \"yes\"}\n"},
      {"README.md", "not rendered by kustomize, written anyway\n"},
  };
}

TEST_F(RenderKustomizeTest, RendersABaseAndAPatchThroughRealKubectl) {
  RenderOptions options{.target_namespace = "shop", .runner = &system_, .scratch_dir = scratch_};
  auto rendered = render_path(overlay_files(), options);
  ASSERT_TRUE(rendered.ok()) << rendered.error();
  EXPECT_EQ(rendered->kind, RenderKind::kKustomization);
  ASSERT_EQ(rendered->objects.size(), 3u);
  std::map<std::string, Json> by_kind;
  for (const Json& o : rendered->objects) by_kind[o["kind"]] = o;
  const Json& web = by_kind["Deployment"];
  EXPECT_EQ(web["spec"]["replicas"], 3);  // the patch applied
  EXPECT_EQ(web["metadata"]["labels"]["env"], "prod");
  EXPECT_EQ(web["metadata"]["namespace"], "shop");
  EXPECT_EQ(by_kind["ConfigMap"]["data"]["enabled"], "yes");  // a string stays a string
  EXPECT_EQ(by_kind["ConfigMap"]["metadata"]["namespace"], "shop");
  EXPECT_FALSE(by_kind["Namespace"]["metadata"].contains("namespace"));
  EXPECT_TRUE(fs::is_empty(scratch_));  // the folder it rendered in is gone

  auto again = render_path(overlay_files(), options);
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again->objects, rendered->objects);
}

TEST_F(RenderKustomizeTest, KustomizeErrorsSayWhatWithoutTheScratchFolder) {
  auto files = overlay_files();
  files["base/kustomization.yaml"] = "resources: [web.yaml, gone.yaml]\n";
  auto rendered = render_path(files, {.runner = &system_, .scratch_dir = scratch_});
  ASSERT_FALSE(rendered.ok());
  EXPECT_THAT(rendered.error(), HasSubstr("kubectl kustomize failed: "));
  EXPECT_THAT(rendered.error(), HasSubstr("gone.yaml"));
  EXPECT_EQ(rendered.error().find(scratch_.string()), std::string::npos) << rendered.error();
  EXPECT_TRUE(fs::is_empty(scratch_));
}

TEST_F(RenderKustomizeTest, KubectlMissingFromPathIsSaidPlainly) {
  auto rendered = [&] {
    EmptyPath empty(fs::path(::testing::TempDir()) / "render-integration-empty-path");
    return render_path(overlay_files(), {.runner = &system_, .scratch_dir = scratch_});
  }();
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error(),
            "rendering a kustomization needs kubectl on PATH (kubectl kustomize)");
  EXPECT_TRUE(fs::is_empty(scratch_));
}

}  // namespace
}  // namespace fusion::gitops
