#include "registry/interpolation.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(ScanReferences, FindsVariablesDefaultsAndSecrets) {
  ScanResult r =
      scan_references("postgres://app:${secret:pg-password}@${DB_HOST:-postgres}:$PORT/x$$y");
  ASSERT_TRUE(r.errors.empty());
  ASSERT_EQ(r.references.size(), 3u);
  EXPECT_EQ(r.references[0].kind, Reference::Kind::kSecret);
  EXPECT_EQ(r.references[0].name, "pg-password");
  EXPECT_EQ(r.references[0].offset, 15u);
  EXPECT_EQ(r.references[1].name, "DB_HOST");
  EXPECT_TRUE(r.references[1].has_default);
  EXPECT_EQ(r.references[1].default_value, "postgres");
  EXPECT_EQ(r.references[2].name, "PORT");
  EXPECT_FALSE(r.references[2].has_default);
}

TEST(ScanReferences, ReportsMalformedReferences) {
  ScanResult r = scan_references("a ${UNTERMINATED");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].offset, 2u);
  EXPECT_EQ(r.errors[0].message, "unterminated '${'; close it with '}' or write '$$' for a dollar");
  r = scan_references("${1ABC} ${A B}");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[1].offset, 8u);
}

TEST(ScanReferences, DollarEscapesAndLoneDollars) {
  EXPECT_TRUE(scan_references("$$HOME costs $5 and $").references.empty());
  EXPECT_TRUE(scan_references("$$HOME costs $5 and $").errors.empty());
}

TEST(Substitute, ReplacesReferencesAndUnescapesDollars) {
  auto value = [](const Reference& ref) -> std::optional<std::string> {
    if (ref.kind == Reference::Kind::kSecret) return "s3cr3t";
    if (ref.name == "KEEP") return std::nullopt;
    return ref.has_default ? ref.default_value : "";
  };
  EXPECT_EQ(substitute("postgres://app:${secret:pg}@db/${DB:-app}?x=$$1&y=$UNSET&z=${KEEP}", value),
            "postgres://app:s3cr3t@db/app?x=$1&y=&z=${KEEP}");
}

}  // namespace
}  // namespace fusion
