#include "runtime/env_file.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(EnvFileTest, ReadsWhatComposeReads) {
  auto entries = parse_env_file(
      "# sentry's .env\r\n"
      "SENTRY_EVENT_RETENTION_DAYS=90\r\n"
      "export OPENAI_API_KEY='sk-x y'\n"
      "  HEALTHCHECK_INTERVAL=30s # seconds\n"
      "PASSTHROUGH\n"
      "EMPTY=\n"
      "URL=\"postgres://u:p@db/x?a=b\"\n");
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries[0].name, "SENTRY_EVENT_RETENTION_DAYS");
  EXPECT_EQ(*entries[0].value, "90");
  EXPECT_EQ(*entries[1].value, "sk-x y");
  EXPECT_EQ(*entries[2].value, "30s");
  EXPECT_FALSE(entries[3].value.has_value());
  EXPECT_EQ(*entries[4].value, "");
  EXPECT_EQ(*entries[5].value, "postgres://u:p@db/x?a=b");
}

}  // namespace
}  // namespace fusion
