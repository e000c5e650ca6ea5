#include "registry/yaml_tree.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace fusion {
namespace {

using Parsed = std::variant<YamlDocument, YamlSyntaxError>;

const YamlNode& root_of(const Parsed&& parsed) = delete;  // would dangle
const YamlNode& root_of(const Parsed& parsed) {
  EXPECT_TRUE(std::holds_alternative<YamlDocument>(parsed))
      << std::get<YamlSyntaxError>(parsed).message;
  return std::get<YamlDocument>(parsed).root();
}

const YamlNode* value_of(const YamlNode& map, std::string_view key) {
  for (const YamlNode::Entry& e : map.entries()) {
    if (e.key->Scalar() == key) return e.value;
  }
  return nullptr;
}

TEST(YamlTree, ScalarsKnowIfTheyArePlainAndWhereTheyAre) {
  auto parsed = YamlDocument::parse("a: 1\nb: \"1\"\nc: 'x y'\nd:\ne: ~\nf: null\ng: !!str 2\n");
  const YamlNode& root = root_of(parsed);
  ASSERT_EQ(root.entries().size(), 7u);
  EXPECT_TRUE(value_of(root, "a")->plain());
  EXPECT_FALSE(value_of(root, "b")->plain());
  EXPECT_EQ(value_of(root, "b")->length(), 3u);  // the quotes are underlined too
  EXPECT_EQ(value_of(root, "c")->column(), 4u);
  EXPECT_EQ(value_of(root, "c")->length(), 5u);
  EXPECT_TRUE(value_of(root, "d")->IsNull());
  EXPECT_TRUE(value_of(root, "e")->IsNull());
  EXPECT_TRUE(value_of(root, "f")->IsNull());
  EXPECT_FALSE(value_of(root, "g")->plain());
  EXPECT_EQ(value_of(root, "g")->Scalar(), "2");
}

TEST(YamlTree, DuplicateKeysAreKeptForTheLoaderToReport) {
  Parsed parsed = YamlDocument::parse("a: 1\na: 2\n");
  const YamlNode& root = root_of(parsed);
  EXPECT_EQ(root.entries().size(), 2u);
}

TEST(YamlTree, AliasesAndMergeKeys) {
  auto parsed = YamlDocument::parse(R"(x-common: &common
  image: base:1
  env: { A: b }
svc:
  <<: *common
  image: own:2
list: [&one 1, *one]
)");
  const YamlNode& root = root_of(parsed);
  const YamlNode* svc = value_of(root, "svc");
  ASSERT_EQ(svc->entries().size(), 2u);
  EXPECT_EQ(value_of(*svc, "image")->Scalar(), "own:2");  // the map's own key wins
  EXPECT_EQ(value_of(*svc, "env")->line(), 3u);           // merged entries point at the anchor
  EXPECT_EQ(value_of(root, "list")->items()[1]->Scalar(), "1");
}

TEST(YamlTree, MergeKeyTakesAListOfMaps) {
  Parsed parsed =
      YamlDocument::parse("a: &a { x: 1 }\nb: &b { y: 2, x: 3 }\nc: { <<: [*a, *b] }\n");
  const YamlNode& root = root_of(parsed);
  const YamlNode* c = value_of(root, "c");
  ASSERT_EQ(c->entries().size(), 2u);
  EXPECT_EQ(value_of(*c, "x")->Scalar(), "1");  // earlier maps win, as YAML 1.1 says
}

TEST(YamlTree, SyntaxErrorsHavePositions) {
  auto parsed = YamlDocument::parse("a: [1, 2\nb: c\n");
  ASSERT_TRUE(std::holds_alternative<YamlSyntaxError>(parsed));
  const auto& e = std::get<YamlSyntaxError>(parsed);
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.message,
            "did not find expected ',' or ']' (while parsing a flow sequence started on line 1)");
}

TEST(YamlTree, RejectsUnknownAnchorsAndSeveralDocuments) {
  EXPECT_EQ(std::get<YamlSyntaxError>(YamlDocument::parse("a: *nope\n")).message,
            "unknown anchor '*nope'");
  EXPECT_EQ(std::get<YamlSyntaxError>(YamlDocument::parse("a: 1\n---\nb: 2\n")).message,
            "more than one YAML document; fusion reads exactly one");
}

TEST(YamlTree, DeepNestingIsAnErrorNotAStackOverflow) {
  auto parsed = YamlDocument::parse(std::string(100'000, '['));
  ASSERT_TRUE(std::holds_alternative<YamlSyntaxError>(parsed));
  EXPECT_EQ(std::get<YamlSyntaxError>(parsed).message, "nesting deeper than 256 levels");
}

TEST(YamlTree, BillionLaughsIsRejected) {
  std::string doc = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'i'; ++c, ++prev) {
    doc += fmt::format("{0}: &{0} [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]\n",
                       c, prev);
  }
  auto parsed = YamlDocument::parse(doc);
  ASSERT_TRUE(std::holds_alternative<YamlSyntaxError>(parsed));
  EXPECT_EQ(std::get<YamlSyntaxError>(parsed).message,
            "aliases expand to too many nodes (is this a 'billion laughs' document?)");
}

TEST(YamlTree, EmptyTextIsANullRoot) {
  Parsed empty = YamlDocument::parse("");
  EXPECT_TRUE(root_of(empty).IsNull());
  Parsed comment = YamlDocument::parse("# only a comment\n");
  EXPECT_TRUE(root_of(comment).IsNull());
}

}  // namespace
}  // namespace fusion
