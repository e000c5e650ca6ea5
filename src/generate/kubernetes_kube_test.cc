// What `fusion generate kubernetes` writes, rendered by `kubectl kustomize` and offered to the
// real API server of scripts/kube-cluster as a server-side dry-run apply: every object must be
// accepted as it is (validation, defaulting, the v1.20 rule that ports name their protocol).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "generate/generators.h"
#include "kube/kube_test_support.h"
#include "kube/manifest.h"
#include "registry/test_support.h"
#include "util/file.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

/// The objects of `registry_file`'s kustomize base, as `kubectl kustomize` renders them.
std::vector<ManifestObject> render_base(const fs::path& registry_file) {
  Result<std::string> text = read_file(registry_file);
  EXPECT_TRUE(text.ok()) << text.error();
  testing::Loaded loaded = testing::load_and_validate(text.value());
  EXPECT_EQ(loaded.text(), "") << registry_file;
  fs::path folder = registry_file.parent_path();
  Result<GenerateContext> context =
      make_generate_context(loaded.registry, folder, folder / "generated");
  EXPECT_TRUE(context.ok()) << context.error();
  Result<FileSet> files = run_generators(context.value(), {}, {"kubernetes"});
  EXPECT_TRUE(files.ok()) << files.error();
  fs::path out = fs::temp_directory_path() /
                 ("fusion-kube-render-" + registry_file.parent_path().filename().string());
  fs::remove_all(out);
  for (const auto& [path, content] : files.value()) {
    fs::create_directories((out / path).parent_path());
    std::ofstream(out / path) << content;
  }
  SystemProcessRunner runner;
  ProcessResult rendered =
      runner.run({.argv = {"kubectl", "kustomize", (out / "kubernetes" / "base").string()}});
  EXPECT_TRUE(rendered.ok()) << rendered.err;
  fs::remove_all(out);
  Result<std::vector<ManifestObject>> manifests =
      parse_manifests(rendered.out, registry_file.string());
  EXPECT_TRUE(manifests.ok()) << manifests.error();
  return manifests.ok() ? manifests.value() : std::vector<ManifestObject>{};
}

void expect_server_accepts(const fs::path& registry_file, size_t at_least) {
  std::unique_ptr<KubeSession> session = open_test_session();
  ASSERT_TRUE(session);
  KubeClient& client = *session->client;
  TestNamespace ns(client, "fusion-dryrun");
  std::vector<ManifestObject> manifests = render_base(registry_file);
  EXPECT_GE(manifests.size(), at_least);
  std::string refused;
  for (ManifestObject& manifest : manifests) {
    ObjectRef ref = object_ref_of(manifest.object);
    KubeResult<ApiResource> resource = client.discovery().resource_for(ref.api_version, ref.kind);
    if (resource.ok() && resource->namespaced) manifest.object["metadata"]["namespace"] = ns.name();
    KubeResult<nlohmann::json> applied =
        client.apply(manifest.object, {.force = true, .dry_run = true});
    if (!applied.ok())
      refused +=
          object_ref_of(manifest.object).describe() + ": " + applied.error().describe() + "\n";
  }
  EXPECT_EQ(refused, "") << registry_file;
}

TEST(GeneratedManifestsOnACluster, ShopIsAcceptedWhole) {
  expect_server_accepts(FUSION_SOURCE_DIR "/examples/shop/fusion.yaml", 9);
}

TEST(GeneratedManifestsOnACluster, PlatformIsAcceptedWhole) {
  expect_server_accepts(FUSION_SOURCE_DIR "/examples/platform/fusion.yaml", 57);
}

TEST(GeneratedManifestsOnACluster, EveryMappedKeyIsAccepted) {
  expect_server_accepts(FUSION_SOURCE_DIR "/tests/fixtures/every-key/fusion.yaml", 5);
}

}  // namespace
}  // namespace fusion
