#include "runtime/log_lines.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(LogLinesTest, ParsesRfc3339WithFractionsAndOffsets) {
  int64_t utc = parse_rfc3339_ns("2026-11-23T19:10:03.5Z");
  EXPECT_EQ(utc, 1795461003'500'000'000);
  EXPECT_EQ(parse_rfc3339_ns("2026-11-23T20:10:03.500000000+01:00"), utc);
  EXPECT_EQ(parse_rfc3339_ns("not a time"), 0);
  EXPECT_EQ(parse_rfc3339_ns("2026-11-23T19:10:03"), 0);  // no zone: not RFC 3339
}

TEST(LogLinesTest, MergesSourcesInTimeOrderAndSkipsWhatWasShown) {
  auto a = parse_log_lines(0, "2026-11-23T19:10:01Z a1\n2026-11-23T19:10:03Z a2\n", 0);
  auto b = parse_log_lines(1, "2026-11-23T19:10:02Z b1\n", 0);
  a.insert(a.end(), b.begin(), b.end());
  sort_by_time(a);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].text, "a1");
  EXPECT_EQ(a[1].text, "b1");
  EXPECT_EQ(a[2].text, "a2");
  auto newer = parse_log_lines(0, "2026-11-23T19:10:01Z a1\n2026-11-23T19:10:03Z a2\n",
                               parse_rfc3339_ns("2026-11-23T19:10:01Z"));
  ASSERT_EQ(newer.size(), 1u);
  EXPECT_EQ(newer[0].text, "a2");
}

TEST(LogLinesTest, PrefixesAreAlignedAndColouredOnlyWhenAsked) {
  EXPECT_EQ(format_log_line("db", 5, 0, "ready", false), "db    | ready");
  EXPECT_EQ(format_log_line("db", 2, 0, "ready", true), "\033[36mdb |\033[0m ready");
}

}  // namespace
}  // namespace fusion
