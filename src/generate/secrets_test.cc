#include "generate/secrets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "generate/generate_test_support.h"

namespace fusion {
namespace {

TEST(SecretsTest, StoreRoundTripsAndReportsBadLines) {
  SecretStore store = {{"db-password", "p=ss"}, {"api-key", "k"}};
  EXPECT_EQ(*parse_secret_store(render_secret_store(store)), store);
  auto bad = parse_secret_store("# c\nok=1\nnot a pair\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "line 3: expected name=value");
}

TEST(SecretsTest, NewValuesAreLongRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string v = *new_secret_value();
    EXPECT_EQ(v.size(), 43u);
    EXPECT_EQ(
        v.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(SecretsTest, ServiceEnvFilesResolveSecretsInsideValues) {
  auto f = testing::mapping_fixture();
  EXPECT_EQ(secrets_used(f.loaded.registry), std::vector<std::string>{"db-password"});
  SecretStore store = {{"db-password", "s3cr3t"}};
  EXPECT_EQ(render_service_secrets(f.service("db"), store), "POSTGRES_PASSWORD=s3cr3t\n");
  EXPECT_EQ(render_service_secrets(f.service("setup"), store),
            "DATABASE_URL=postgres://postgres:s3cr3t@db:5432/app\n");
  EXPECT_EQ(render_service_secrets(f.service("api"), store), "");
}

}  // namespace
}  // namespace fusion
