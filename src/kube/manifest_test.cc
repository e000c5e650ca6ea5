#include "kube/manifest.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(Manifests, SplitsDocumentsOnSeparatorLinesAndKeepsTheirLines) {
  Result<std::vector<ManifestObject>> manifests = parse_manifests(R"(# a leading comment
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data: {mode: "yes", text: --- not a separator}
--- # the next one
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  paused: no
)",
                                                                  "deploy.yaml");
  ASSERT_TRUE(manifests.ok()) << manifests.error();
  ASSERT_EQ(manifests->size(), 4u);
  EXPECT_EQ(manifests->at(0).origin, "deploy.yaml:3");
  EXPECT_EQ(manifests->at(0).object["data"]["mode"], "yes");
  EXPECT_EQ(manifests->at(0).object["data"]["text"], "--- not a separator");
  EXPECT_EQ(manifests->at(2).object["metadata"]["name"], "c");
  EXPECT_EQ(manifests->at(3).origin, "deploy.yaml:15");
  EXPECT_EQ(manifests->at(3).object["spec"]["replicas"], 3);
  EXPECT_EQ(manifests->at(3).object["spec"]["paused"], false);  // YAML 1.1, as kubectl reads it
}

TEST(Manifests, TypesPlainScalarsAsKubernetesDoes) {
  Result<std::vector<ManifestObject>> manifests = parse_manifests(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: types}
x: [0x1F, 0755, 1_000, -7, 1.5, 1e3, .inf, ~, null, "", on, Off, "on", 1.2.3, 0.10, v1, -]
)",
                                                                  "t.yaml");
  ASSERT_TRUE(manifests.ok()) << manifests.error();
  EXPECT_EQ(
      manifests->at(0).object["x"].dump(),
      R"([31,493,1000,-7,1.5,1000.0,null,null,null,"",true,false,"on","1.2.3",0.1,"v1","-"])");
}

TEST(Manifests, ErrorsPointIntoTheFile) {
  Result<std::vector<ManifestObject>> broken = parse_manifests(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: ok}
---
apiVersion: v1
kind: ConfigMap
metadata: [unclosed
)",
                                                               "bad.yaml");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().rfind("bad.yaml:", 0), 0u) << broken.error();
  EXPECT_NE(broken.error().find("bad.yaml:8:"), std::string::npos) << broken.error();
  EXPECT_EQ(parse_manifests("apiVersion: v1\nkind: Secret\n", "s.yaml").error(),
            "s.yaml:1: the Secret has no metadata.name");
  EXPECT_EQ(parse_manifests("- a\n- b\n", "l.yaml").error(), "l.yaml:1: a manifest must be a map");
}

}  // namespace
}  // namespace fusion
