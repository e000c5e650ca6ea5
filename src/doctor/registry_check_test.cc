#include "doctor/registry_check.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(CheckRegistry, ValidWithWarnings) {
  CheckResult check =
      check_registry({.path = "examples/shop/fusion.yaml", .services = 9, .warnings = 2});
  EXPECT_EQ(check.level, CheckLevel::kOk);
  EXPECT_EQ(check.message,
            "examples/shop/fusion.yaml is valid: 9 services (2 warnings: fusion validate)");
}

TEST(CheckRegistry, MissingIsAWarningOutsideAStackAndAFailureWhenNamed) {
  CheckResult outside = check_registry({.read_error = "no fusion.yaml in /tmp or above"});
  EXPECT_EQ(outside.level, CheckLevel::kWarn);
  CheckResult named = check_registry(
      {.named = true, .read_error = "cannot read nope.yaml: No such file or directory"});
  EXPECT_EQ(named.level, CheckLevel::kFail);
  EXPECT_EQ(named.message, "cannot read nope.yaml: No such file or directory");
}

TEST(CheckRegistry, InvalidNamesTheFirstError) {
  CheckResult check = check_registry(
      {.path = "fusion.yaml",
       .services = 2,
       .errors = 2,
       .first_error = "fusion.yaml:6:5: error: unknown key 'helth' in service 'api'"});
  EXPECT_EQ(check.level, CheckLevel::kFail);
  EXPECT_EQ(check.message,
            "fusion.yaml has 2 errors; the first: fusion.yaml:6:5: error: unknown key 'helth' in "
            "service 'api'");
  EXPECT_EQ(check.fix, "fusion validate lists them all");
}

}  // namespace
}  // namespace fusion
