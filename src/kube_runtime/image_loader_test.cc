#include "kube_runtime/image_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

namespace fusion {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using Argv = std::vector<std::string>;

constexpr std::string_view kForms =
    "the accepted forms are containerd[:SOCKET], kind[:NAME], minikube[:PROFILE], k3d[:NAME], "
    "docker-desktop, registry:HOST[:PORT][/PREFIX]";

/// Records each argv and answers by argv[0]. A `save -o ARCHIVE` writes ARCHIVE, as the engine
/// would, even when it then fails; every command notes whether the last archive still exists.
class FakeProcesses : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override {
    std::lock_guard lock(mutex);
    commands.push_back(spec.argv);
    timeouts.insert(spec.timeout);
    auto o = std::find(spec.argv.begin(), spec.argv.end(), "-o");
    if (spec.argv.size() > 1 && spec.argv[1] == "save" && o + 1 < spec.argv.end()) {
      archives.push_back(*(o + 1));
      std::ofstream(archives.back()) << "tar";
    }
    archive_present.push_back(!archives.empty() && fs::exists(archives.back()));
    auto answer = answers.find(spec.argv[0]);
    return answer == answers.end() ? ProcessResult{.exit_code = 0} : answer->second;
  }
  std::mutex mutex;
  std::vector<Argv> commands;
  std::vector<std::string> archives;
  std::vector<bool> archive_present;
  std::set<std::chrono::milliseconds> timeouts;
  std::map<std::string, ProcessResult> answers;
};

json node(const std::string& name, const std::string& runtime, json labels = json::object(),
          json images = json::array()) {
  return {{"metadata", {{"name", name}, {"labels", labels}}},
          {"status", {{"nodeInfo", {{"containerRuntimeVersion", runtime}}}, {"images", images}}}};
}

json node_list(std::vector<json> nodes) {
  return {{"apiVersion", "v1"}, {"kind", "NodeList"}, {"items", nodes}};
}

// parse_loader

TEST(ImageLoaderParseTest, EachFormTakesItsTarget) {
  struct Case {
    std::string text;
    LoaderKind kind;
    std::string target;
  };
  for (const Case& c : std::vector<Case>{
           {"containerd:/run/k3s/containerd/containerd.sock", LoaderKind::kContainerd,
            "/run/k3s/containerd/containerd.sock"},
           {"kind:dev", LoaderKind::kKind, "dev"},
           {"minikube:work", LoaderKind::kMinikube, "work"},
           {"k3d:shop", LoaderKind::kK3d, "shop"},
           {"docker-desktop", LoaderKind::kDockerDesktop, ""},
           {"registry:localhost:5000/fusion", LoaderKind::kRegistry, "localhost:5000/fusion"},
           {"registry:ghcr.io/acme/dev/", LoaderKind::kRegistry, "ghcr.io/acme/dev"},
       }) {
    auto choice = parse_loader(c.text);
    ASSERT_TRUE(choice.ok()) << c.text << ": " << choice.error();
    EXPECT_EQ(choice->kind, c.kind) << c.text;
    EXPECT_EQ(choice->target, c.target) << c.text;
    EXPECT_EQ(choice->why, "loader '" + c.text + "' was given");
  }
}

TEST(ImageLoaderParseTest, AWordAloneTakesTheToolsDefault) {
  EXPECT_EQ(parse_loader("containerd")->target, "/run/containerd/containerd.sock");
  EXPECT_EQ(parse_loader("kind")->target, "kind");
  EXPECT_EQ(parse_loader("minikube")->target, "minikube");
  EXPECT_EQ(parse_loader("k3d")->target, "k3s-default");
  EXPECT_STREQ(loader_kind_name(parse_loader("k3d")->kind), "k3d");
}

TEST(ImageLoaderParseTest, AnUnknownWordGetsASuggestionAndTheForms) {
  auto choice = parse_loader("kinde:dev");
  ASSERT_FALSE(choice.ok());
  EXPECT_EQ(choice.error(), "loader 'kinde:dev': unknown loader 'kinde'; did you mean 'kind'?; " +
                                std::string(kForms));
  EXPECT_EQ(parse_loader("podman").error(),
            "loader 'podman': unknown loader 'podman'; " + std::string(kForms));
}

TEST(ImageLoaderParseTest, BadTargetsAreRefused) {
  std::map<std::string, std::string> problems = {
      {"docker-desktop:x", "docker-desktop takes nothing after it"},
      {"kind:", "nothing follows the ':'"},
      {"registry", "registry needs HOST[:PORT][/PREFIX] after a ':'"},
      {"registry:https://ghcr.io/acme", "give the registry without a scheme"},
      {"registry:ghcr.io//acme", "the registry 'ghcr.io//acme' has an empty part"},
      {"registry:ghcr.io/acme@sha256", "a registry holds no spaces and no '@'"},
  };
  for (const auto& [text, problem] : problems) {
    auto choice = parse_loader(text);
    ASSERT_FALSE(choice.ok()) << text;
    EXPECT_EQ(choice.error(), "loader '" + text + "': " + problem + "; " + std::string(kForms));
  }
}

// choose_loader

TEST(ImageLoaderChooseTest, TheContextNameNamesTheTool) {
  json nodes = node_list({node("n1", "containerd://1.7.2")});
  struct Case {
    std::string context;
    LoaderKind kind;
    std::string target;
    std::string why;
  };
  for (const Case& c : std::vector<Case>{
           {"kind-dev", LoaderKind::kKind, "dev", "context 'kind-dev' is a kind cluster"},
           {"k3d-shop", LoaderKind::kK3d, "shop", "context 'k3d-shop' is a k3d cluster"},
           {"minikube", LoaderKind::kMinikube, "minikube",
            "context 'minikube' is a minikube cluster"},
           {"docker-desktop", LoaderKind::kDockerDesktop, "",
            "context 'docker-desktop' is a Docker Desktop cluster"},
           {"docker-for-desktop", LoaderKind::kDockerDesktop, "",
            "context 'docker-for-desktop' is a Docker Desktop cluster"},
       }) {
    auto choice = choose_loader(c.context, nodes, "/run/containerd/containerd.sock");
    ASSERT_TRUE(choice.ok()) << c.context << ": " << choice.error();
    EXPECT_EQ(choice->kind, c.kind) << c.context;
    EXPECT_EQ(choice->target, c.target) << c.context;
    EXPECT_EQ(choice->why, c.why);
  }
}

TEST(ImageLoaderChooseTest, AMinikubeNodeLabelGivesTheProfile) {
  json nodes = node_list({node("work", "docker://24.0.7", {{"minikube.k8s.io/name", "work"}})});
  auto choice = choose_loader("work", nodes, "/run/containerd/containerd.sock");
  ASSERT_TRUE(choice.ok()) << choice.error();
  EXPECT_EQ(choice->kind, LoaderKind::kMinikube);
  EXPECT_EQ(choice->target, "work");
  EXPECT_EQ(choice->why, "node 'work' is labelled minikube.k8s.io/name=work");
}

TEST(ImageLoaderChooseTest, AContainerdNodeImportsThroughTheGivenSocket) {
  json nodes = node_list({node("a", "cri-o://1.28.1"), node("b", "containerd://1.7.2")});
  auto choice = choose_loader("prod", nodes, "/run/k3s/containerd/containerd.sock");
  ASSERT_TRUE(choice.ok()) << choice.error();
  EXPECT_EQ(choice->kind, LoaderKind::kContainerd);
  EXPECT_EQ(choice->target, "/run/k3s/containerd/containerd.sock");
  EXPECT_EQ(
      choice->why,
      "node 'b' runs containerd://1.7.2; importing through /run/k3s/containerd/containerd.sock");
}

TEST(ImageLoaderChooseTest, OtherwiseItAsksForLoaderAndSaysWhatItSaw) {
  json nodes = node_list({node("a", "cri-o://1.28.1"), node("b", "")});
  auto choice = choose_loader("prod", nodes, "/run/containerd/containerd.sock");
  ASSERT_FALSE(choice.ok());
  EXPECT_EQ(choice.error(),
            "cannot tell how to load images into the cluster of context 'prod' (node 'a' runs "
            "cri-o://1.28.1, 'b' runs an unknown runtime); pass --loader, or set `loader:` in "
            "fusion.local.yaml, as one of containerd[:SOCKET], kind[:NAME], minikube[:PROFILE], "
            "k3d[:NAME], docker-desktop, registry:HOST[:PORT][/PREFIX]");
  for (const json& odd : {json(), json::object(), json{{"items", 3}}, json{{"items", {1, "x"}}}}) {
    auto none = choose_loader("kind-", odd, "/s");
    ASSERT_FALSE(none.ok()) << odd.dump();
    EXPECT_THAT(none.error(), HasSubstr("context 'kind-' ("));
  }
}

// cluster_reference

TEST(ImageLoaderReferenceTest, ARegistryKeepsTheLastComponentAndTag) {
  LoaderChoice registry{.kind = LoaderKind::kRegistry, .target = "localhost:5000/fusion"};
  EXPECT_EQ(cluster_reference(registry, "localhost/shop-api:0123abcd"),
            "localhost:5000/fusion/shop-api:0123abcd");
  EXPECT_EQ(cluster_reference(registry, "busybox:1.36"), "localhost:5000/fusion/busybox:1.36");
  EXPECT_EQ(cluster_reference(registry, "ghcr.io/acme/tools/cli"), "localhost:5000/fusion/cli");
}

TEST(ImageLoaderReferenceTest, LoadersIntoTheNodesKeepTheEnginesName) {
  for (LoaderKind kind : {LoaderKind::kContainerd, LoaderKind::kKind, LoaderKind::kMinikube,
                          LoaderKind::kK3d, LoaderKind::kDockerDesktop}) {
    LoaderChoice choice{.kind = kind, .target = "dev"};
    EXPECT_EQ(cluster_reference(choice, "localhost/shop-api:0123abcd"),
              "localhost/shop-api:0123abcd");
  }
}

// cluster_has_image

json nodes_with_images(std::vector<std::string> second_node_names) {
  return node_list(
      {node("a", "containerd://1.7.2", json::object(),
            json::array({{{"names", {"registry.k8s.io/pause:3.9"}}}})),
       node("b", "containerd://1.7.2", json::object(),
            json::array({{{"names", json::array()}}, {{"names", second_node_names}}}))});
}

TEST(ImageLoaderHasImageTest, ReferencesAreComparedNormalised) {
  std::vector<std::pair<std::string, std::string>> same = {
      {"busybox:1.36", "docker.io/library/busybox:1.36"},
      {"docker.io/library/busybox:1.36", "busybox:1.36"},
      {"x/y:t", "docker.io/x/y:t"},
      {"busybox", "docker.io/library/busybox:latest"},
      {"index.docker.io/library/busybox:1.36", "busybox:1.36"},
      {"localhost/shop-api:0123abcd", "localhost/shop-api:0123abcd"},
      {"localhost:5000/fusion/api", "localhost:5000/fusion/api:latest"},
      {"busybox@sha256:abc", "docker.io/library/busybox@sha256:abc"},
  };
  for (const auto& [wanted, listed] : same) {
    EXPECT_TRUE(cluster_has_image(nodes_with_images({"other:1", listed}), wanted))
        << wanted << " vs " << listed;
  }
  EXPECT_TRUE(cluster_has_image(nodes_with_images({}), "registry.k8s.io/pause:3.9"));
}

TEST(ImageLoaderHasImageTest, DifferentReferencesAreNotTheSame) {
  std::vector<std::pair<std::string, std::string>> different = {
      {"busybox:1.36", "docker.io/library/busybox:1.35"},
      {"busybox", "docker.io/library/busybox:1.36"},
      {"localhost/shop-api:0123abcd", "docker.io/library/shop-api:0123abcd"},
      {"x/y:t", "docker.io/library/y:t"},
      {"ghcr.io/x/y:t", "docker.io/x/y:t"},
      {"localhost:5000/api:1", "localhost/api:1"},
      {"busybox@sha256:abc", "docker.io/library/busybox@sha256:abd"},
      {"busybox@sha256:abc", "docker.io/library/busybox:latest"},
  };
  for (const auto& [wanted, listed] : different) {
    EXPECT_FALSE(cluster_has_image(nodes_with_images({listed}), wanted))
        << wanted << " vs " << listed;
  }
  EXPECT_FALSE(cluster_has_image(json(), "busybox"));
  EXPECT_FALSE(cluster_has_image(json{{"items", {{{"status", {{"images", "x"}}}}}}}, "busybox"));
}

// The loaders

class ImageLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fusion-image-loader-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    scratch_ = root_ / "scratch";  // made by the loader
  }
  void TearDown() override { fs::remove_all(root_); }

  Status load(const std::string& loader, const std::string& engine, const std::string& image) {
    auto choice = parse_loader(loader);
    EXPECT_TRUE(choice.ok()) << choice.error();
    return make_image_loader(*choice, processes_, engine, scratch_)->load(image);
  }
  /// The one archive written, checked to sit under the scratch folder and to be gone now.
  std::string archive() {
    EXPECT_EQ(processes_.archives.size(), 1u);
    if (processes_.archives.empty()) return "";
    const std::string& path = processes_.archives[0];
    EXPECT_TRUE(path.starts_with(scratch_.string() + "/")) << path;
    EXPECT_FALSE(fs::exists(path)) << path;
    EXPECT_FALSE(fs::exists(fs::path(path).parent_path())) << path;
    return path;
  }

  fs::path root_;
  fs::path scratch_;
  FakeProcesses processes_;
};

TEST_F(ImageLoaderTest, ContainerdSavesADockerArchiveThenImportsIt) {
  ASSERT_TRUE(load("containerd:/run/c.sock", "podman", "localhost/shop-api:0123abcd").ok());
  std::string tar = archive();
  EXPECT_TRUE(tar.ends_with("/shop-api_0123abcd.tar")) << tar;
  EXPECT_EQ(processes_.commands, (std::vector<Argv>{{"podman", "save", "--format", "docker-archive",
                                                     "-o", tar, "localhost/shop-api:0123abcd"},
                                                    {"ctr", "--address", "/run/c.sock", "-n",
                                                     "k8s.io", "images", "import", tar}}));
  EXPECT_EQ(processes_.archive_present, (std::vector<bool>{true, true}));
  EXPECT_EQ(processes_.timeouts, (std::set<std::chrono::milliseconds>{std::chrono::minutes(10)}));
}

TEST_F(ImageLoaderTest, KindLoadsTheArchiveDockerSaved) {
  ASSERT_TRUE(load("kind:dev", "docker", "shop-api:1").ok());
  std::string tar = archive();
  EXPECT_EQ(processes_.commands,
            (std::vector<Argv>{{"docker", "save", "-o", tar, "shop-api:1"},
                               {"kind", "load", "image-archive", tar, "--name", "dev"}}));
}

TEST_F(ImageLoaderTest, MinikubeLoadsIntoTheProfile) {
  ASSERT_TRUE(load("minikube:work", "podman", "localhost/web:2").ok());
  std::string tar = archive();
  EXPECT_EQ(processes_.commands,
            (std::vector<Argv>{
                {"podman", "save", "--format", "docker-archive", "-o", tar, "localhost/web:2"},
                {"minikube", "-p", "work", "image", "load", tar}}));
}

TEST_F(ImageLoaderTest, K3dImportsIntoTheCluster) {
  ASSERT_TRUE(load("k3d", "docker", "web:2").ok());
  std::string tar = archive();
  EXPECT_EQ(processes_.commands,
            (std::vector<Argv>{{"docker", "save", "-o", tar, "web:2"},
                               {"k3d", "image", "import", tar, "-c", "k3s-default"}}));
}

TEST_F(ImageLoaderTest, ARegistryIsTaggedAndPushedWithoutAnArchive) {
  ASSERT_TRUE(load("registry:localhost:5000/fusion", "podman", "localhost/shop-api:0123abcd").ok());
  EXPECT_EQ(processes_.commands,
            (std::vector<Argv>{{"podman", "tag", "localhost/shop-api:0123abcd",
                                "localhost:5000/fusion/shop-api:0123abcd"},
                               {"podman", "push", "localhost:5000/fusion/shop-api:0123abcd"}}));
  EXPECT_TRUE(processes_.archives.empty());
}

TEST_F(ImageLoaderTest, DockerDesktopSharesDockersImagesButNotPodmans) {
  EXPECT_TRUE(load("docker-desktop", "docker", "shop-api:1").ok());
  EXPECT_TRUE(processes_.commands.empty());
  Status podman = load("docker-desktop", "podman", "localhost/shop-api:1");
  ASSERT_FALSE(podman.ok());
  EXPECT_THAT(podman.error(), HasSubstr("built by podman; pass --loader registry:HOST/PREFIX"));
  EXPECT_TRUE(processes_.commands.empty());
}

TEST_F(ImageLoaderTest, AFailedImportNamesTheCommandAndItsLastLinesAndRemovesTheArchive) {
  processes_.answers["kind"] = {
      .exit_code = 1,
      .out = "one\ntwo\nthree\n\nfour\nfive\nsix\r\nERROR: no nodes found for cluster \"dev\"\n"};
  Status status = load("kind:dev", "docker", "shop-api:1");
  ASSERT_FALSE(status.ok());
  std::string tar = archive();
  EXPECT_EQ(status.error(),
            "cannot load 'shop-api:1' into kind cluster 'dev': `kind load "
            "image-archive " +
                tar +
                " --name dev` failed (exit 1):\n  three\n  four\n  five\n  six\n"
                "  ERROR: no nodes found for cluster \"dev\"");
  EXPECT_EQ(processes_.archive_present, (std::vector<bool>{true, true}));
}

TEST_F(ImageLoaderTest, AFailedSaveStopsTheLoadAndRemovesItsPartialArchive) {
  processes_.answers["podman"] = {.exit_code = 125, .out = "Error: localhost/x:1: image not known"};
  Status status = load("containerd", "podman", "localhost/x:1");
  ASSERT_FALSE(status.ok());
  std::string tar = archive();
  EXPECT_EQ(processes_.commands.size(), 1u);
  EXPECT_EQ(status.error(),
            "cannot load 'localhost/x:1' into containerd at /run/containerd/containerd.sock: "
            "`podman save --format docker-archive -o " +
                tar +
                " localhost/x:1` failed (exit 125):\n  Error: localhost/x:1: image not known");
}

TEST_F(ImageLoaderTest, ATimeoutOrAMissingProgramIsSaidSo) {
  processes_.answers["docker"] = {.exit_code = 137, .timed_out = true};
  processes_.answers["k3d"] = {.exit_code = -1, .err = "k3d: not found on PATH"};
  Status timed_out = load("registry:r.example/p", "docker", "api:1");
  EXPECT_EQ(timed_out.error(),
            "cannot load 'api:1' into registry r.example/p: `docker tag api:1 r.example/p/api:1` "
            "timed out after 10 minutes");
  processes_.answers.erase("docker");
  Status missing = load("k3d:c", "docker", "api:1");
  EXPECT_THAT(missing.error(), HasSubstr(" -c c` could not start:\n  k3d: not found on PATH"));
  EXPECT_THAT(missing.error(), Not(HasSubstr("exit")));
}

TEST_F(ImageLoaderTest, LoadsAtOnceUseTheirOwnArchives) {
  auto choice = parse_loader("kind:dev");
  auto loader = make_image_loader(*choice, processes_, "docker", scratch_);
  std::vector<std::thread> threads;
  std::vector<Status> results(4, ok_status());
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = loader->load("shop-api:1"); });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& r : results) EXPECT_TRUE(r.ok()) << r.error();
  std::set<std::string> distinct(processes_.archives.begin(), processes_.archives.end());
  EXPECT_EQ(distinct.size(), 4u);
  for (const std::string& tar : distinct) EXPECT_FALSE(fs::exists(tar)) << tar;
  EXPECT_TRUE(fs::is_empty(scratch_));
}

}  // namespace
}  // namespace fusion
