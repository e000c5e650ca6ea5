#include "util/duration.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(ParseDuration, AcceptsUnitSequences) {
  EXPECT_EQ(parse_duration("90s").value(), Duration(90'000));
  EXPECT_EQ(parse_duration("1m30s").value(), Duration(90'000));
  EXPECT_EQ(parse_duration("250ms").value(), Duration(250));
  EXPECT_EQ(parse_duration("1h").value(), Duration(3'600'000));
  EXPECT_EQ(parse_duration("2s500ms").value(), Duration(2'500));
  EXPECT_EQ(parse_duration("0s").value(), Duration(0));
}

TEST(ParseDuration, RejectsWithAReason) {
  EXPECT_EQ(parse_duration("90").error(),
            "invalid duration '90': missing unit h, m, s or ms (write e.g. 90s, 1m30s, 250ms)");
  EXPECT_EQ(parse_duration("30s1m").error(),
            "invalid duration '30s1m': units must go from largest to smallest (write e.g. 90s, "
            "1m30s, 250ms)");
  EXPECT_FALSE(parse_duration("").ok());
  EXPECT_FALSE(parse_duration("1.5s").ok());
  EXPECT_FALSE(parse_duration("-1s").ok());
  EXPECT_FALSE(parse_duration("1s1s").ok());
  EXPECT_FALSE(parse_duration("99999999999s").ok());
}

TEST(FormatDuration, RoundTrips) {
  for (const char* text : {"90ms", "1m30s", "1h", "2s500ms", "0s"}) {
    EXPECT_EQ(format_duration(parse_duration(text).value()), text);
  }
}

}  // namespace
}  // namespace fusion
