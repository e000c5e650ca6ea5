#include "util/strings.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("health", "helth"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("wbe", "web"), 1u);  // a swap is one typo
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);
}

TEST(ClosestMatch, SuggestsPlausibleTyposOnly) {
  std::vector<std::string> keys = {"image", "health", "ports", "depends_on"};
  EXPECT_EQ(closest_match("helth", keys), "health");
  EXPECT_EQ(closest_match("depends-on", keys), "depends_on");
  EXPECT_EQ(closest_match("port", keys), "ports");
  EXPECT_EQ(closest_match("zzzzzz", keys), std::nullopt);
  EXPECT_EQ(closest_match("ab", keys), std::nullopt);  // too short to be a typo of anything
}

TEST(Dns1123Label, AcceptsKubernetesLabelsOnly) {
  EXPECT_TRUE(is_dns1123_label("core-api"));
  EXPECT_TRUE(is_dns1123_label("a"));
  EXPECT_TRUE(is_dns1123_label("3scale"));
  EXPECT_FALSE(is_dns1123_label(""));
  EXPECT_FALSE(is_dns1123_label("Core"));
  EXPECT_FALSE(is_dns1123_label("core_api"));
  EXPECT_FALSE(is_dns1123_label("-api"));
  EXPECT_FALSE(is_dns1123_label("api-"));
  EXPECT_FALSE(is_dns1123_label(std::string(64, 'a')));
  EXPECT_TRUE(is_dns1123_label(std::string(63, 'a')));
}

TEST(Split, KeepsEmptyParts) {
  auto parts = split("a::b", ':');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[2], "b");
}

TEST(QuotedList, ReadsLikeEnglish) {
  EXPECT_EQ(quoted_list({"a"}), "'a'");
  EXPECT_EQ(quoted_list({"a", "b", "c"}), "'a', 'b' and 'c'");
}

TEST(ShellSplit, QuotesAndEscapes) {
  EXPECT_EQ(shell_split(R"(sh -c "echo \"hi\" 'x'" a\ b '')").value(),
            (std::vector<std::string>{"sh", "-c", "echo \"hi\" 'x'", "a b", ""}));
  EXPECT_EQ(shell_split("a 'b").error(), "unterminated single quote");
}

TEST(StringsTest, PrintableLineReplacesWhatYamlRejects) {
  EXPECT_EQ(printable_line("a\tb\nc\x1b[0m \xc2\x85 \xef\xbb\xbf caf\xc3\xa9 \xe9"),
            "a\tb?c?[0m ? ? caf\xc3\xa9 ?");
}

TEST(StringsTest, ValidUtf8KeepsWellFormedTextAndReplacesTheRest) {
  EXPECT_EQ(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82");
  EXPECT_EQ(valid_utf8("caf\xe9!"), "caf?!");                            // Latin-1
  EXPECT_EQ(valid_utf8("\xc0\xaf \xed\xa0\x80 \xe2\x82"), "?? ??? ??");  // overlong, surrogate, cut
}

TEST(StringsTest, TailLinesAndIndent) {
  EXPECT_EQ(tail_lines("a\nb\nc\n\n", 2), "b\nc\n");
  EXPECT_EQ(tail_lines("one", 5), "one\n");
  EXPECT_EQ(indent("a\n\nb", "  | "), "  | a\n  | b\n");
}

}  // namespace
}  // namespace fusion
