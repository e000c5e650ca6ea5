#include "scaffold/registry_insert.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fusion {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kBody = {"path: billing", "ports: [\"8000\"]"};

TEST(RegistryInsertTest, AddsAtTheEndOfServicesKeepingEverythingElse) {
  std::string before =
      "# the shop\nversion: 1\nname: shop   # keep me\n\nservices:\n  # the API\n  api:\n"
      "    image: 'a:1'\n\n# volumes below\nvolumes:\n  data: {}\n";
  auto after = insert_service(before, "billing", kBody);
  ASSERT_TRUE(after) << after.error();
  EXPECT_EQ(*after,
            "# the shop\nversion: 1\nname: shop   # keep me\n\nservices:\n  # the API\n  api:\n"
            "    image: 'a:1'\n\n  billing:\n    path: billing\n    ports: [\"8000\"]\n"
            "\n# volumes below\nvolumes:\n  data: {}\n");
}

TEST(RegistryInsertTest, FollowsTheFilesIndentationAndWorksAtTheEnd) {
  auto after = insert_service("version: 1\nservices:\n    api:\n        image: a:1", "web", kBody);
  ASSERT_TRUE(after) << after.error();
  EXPECT_EQ(*after,
            "version: 1\nservices:\n    api:\n        image: a:1\n\n    web:\n"
            "        path: billing\n        ports: [\"8000\"]\n");
}

TEST(RegistryInsertTest, AddsServicesWhenThereAreNone) {
  EXPECT_EQ(insert_service("version: 1\nname: x\n", "web", kBody).value(),
            "version: 1\nname: x\n\nservices:\n  web:\n    path: billing\n    ports: [\"8000\"]\n");
  EXPECT_EQ(insert_service("version: 1\nservices:\nname: x\n", "web", kBody).value(),
            "version: 1\nservices:\n\n  web:\n    path: billing\n    ports: [\"8000\"]\nname: x\n");
}

TEST(RegistryInsertTest, RefusesDuplicatesFlowStyleAndBrokenFiles) {
  EXPECT_THAT(insert_service("services:\n  web:\n    image: a\n", "web", kBody).error(),
              HasSubstr("already has a service 'web'"));
  EXPECT_THAT(insert_service("services: { web: { image: a } }\n", "api", kBody).error(),
              HasSubstr("flow style"));
  EXPECT_THAT(insert_service("services: {}\n", "api", kBody).error(), HasSubstr("flow style"));
  EXPECT_THAT(insert_service("services: [\n", "api", kBody).error(), HasSubstr("fusion.yaml:"));
}

}  // namespace
}  // namespace fusion
