#include "generate/yaml_emitter.h"

#include <gtest/gtest.h>

#include <random>

#include "registry/yaml_tree.h"

namespace fusion {
namespace {

TEST(YamlEmitterTest, BlockStyleInInsertionOrder) {
  YamlData doc;
  doc["services"]["web"]["image"] = "nginx:1.27";
  doc["services"]["web"]["ports"] = {"8080:80"};
  doc["services"]["api"]["replicas"] = 2;
  doc["services"]["api"]["read_only"] = true;
  doc["volumes"]["data"] = YamlData::object();
  EXPECT_EQ(emit_yaml(doc),
            "services:\n"
            "  web:\n"
            "    image: nginx:1.27\n"
            "    ports:\n"
            "    - \"8080:80\"\n"
            "  api:\n"
            "    replicas: 2\n"
            "    read_only: true\n"
            "volumes:\n"
            "  data: {}\n");
}

TEST(YamlEmitterTest, QuotesStringsThatWouldReadAsAnotherType) {
  for (const char* text : {"yes",     "No",         "ON",    "off",  "y",
                           "true",    "null",       "~",     "",     "0123",
                           "8080",    "1.5",        ".5",    "1e3",  "0x1F",
                           "8080:80", "2001-12-14", "-1",    ".inf", "-.Inf",
                           "<<",      "16.11",      "0b101", "0o17", "2001-12-14T21:59:43Z",
                           "1_000"}) {
    EXPECT_TRUE(plain_scalar_changes_type(text)) << text;
  }
  for (const char* text : {"nginx", "yesterday", "postgres:16.11", "/healthz", "a1", "v1.2", "-x",
                           "redis://redis:6379/0", "${LOG_LEVEL:-info}"}) {
    EXPECT_FALSE(plain_scalar_changes_type(text)) << text;
  }
}

TEST(YamlEmitterTest, EveryStringReadsBackAsTheSameString) {
  YamlData doc;
  std::vector<std::string> texts = {
      "yes",       "0123",    "*",   ":",         "a: b",          "# not a comment",
      "- item",    "8080:80", "",    "  padded ", "multi\nline\n", "quote\"s",
      "tab\there", "ünïcode", "{x}", "@at",       "`tick"};
  for (size_t i = 0; i < texts.size(); ++i) doc["k" + std::to_string(i)] = texts[i];
  std::string text = emit_yaml(doc);
  auto parsed = YamlDocument::parse(text);
  ASSERT_TRUE(std::holds_alternative<YamlDocument>(parsed)) << text;
  const YamlNode& root = std::get<YamlDocument>(parsed).root();
  ASSERT_EQ(root.entries().size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const YamlNode& node = *root.entries()[i].value;
    ASSERT_TRUE(node.IsScalar()) << texts[i] << " emitted as\n" << text;
    EXPECT_EQ(node.Scalar(), texts[i]);
    // A plain scalar is read by type; quoted ones are always strings.
    EXPECT_FALSE(node.plain() && plain_scalar_changes_type(texts[i])) << texts[i];
  }
}

TEST(YamlEmitterTest, MultiLineStringsUseLiteralStyle) {
  YamlData doc;
  doc["script"] = "set -e\necho hi\n";
  doc["no_newline"] = "a\n\nb";
  EXPECT_EQ(emit_yaml(doc), "script: |\n  set -e\n  echo hi\nno_newline: |-\n  a\n\n  b\n");
}

TEST(YamlEmitterTest, NestedCollections) {
  YamlData doc = YamlData::parse(R"({"a": [[1, 2], [], {"b": [3], "c": {}}, {"d": {"e": 4}}]})");
  EXPECT_EQ(emit_yaml(doc),
            "a:\n"
            "- - 1\n"
            "  - 2\n"
            "- []\n"
            "- b:\n"
            "  - 3\n"
            "  c: {}\n"
            "- d:\n"
            "    e: 4\n");
}

/// Reads `yaml` back as fusion's loader does (libyaml) and rebuilds the data: strings stay
/// strings only when quoted or when plain text cannot be read as another type.
YamlData read_back(const YamlNode& node) {
  switch (node.kind()) {
    case YamlNode::Kind::kMap: {
      YamlData m = YamlData::object();
      for (const YamlNode::Entry& e : node.entries()) m[e.key->Scalar()] = read_back(*e.value);
      return m;
    }
    case YamlNode::Kind::kSequence: {
      YamlData s = YamlData::array();
      for (const YamlNode* item : node.items()) s.push_back(read_back(*item));
      return s;
    }
    case YamlNode::Kind::kScalar:
      if (node.plain() && plain_scalar_changes_type(node.Scalar())) return "<typed>";
      return node.Scalar();
    case YamlNode::Kind::kNull:
      break;
  }
  return nullptr;
}

TEST(YamlEmitterTest, RandomStringsReadBackUnchanged) {
  // Characters YAML treats specially, at every position, in many combinations.
  const std::vector<std::string> units = {"a",  "b",  "0", "9", " ", "-", ":", "#",    ",",
                                          "[",  "]",  "{", "}", "&", "*", "!", "|",    ">",
                                          "'",  "\"", "%", "@", "`", "?", "~", "\\",   "\n",
                                          "\t", "/",  ".", "$", "=", "<", "+", "\x01", "\xc3\xa9"};
  std::mt19937 random(42);
  for (int round = 0; round < 2000; ++round) {
    YamlData doc;
    for (int k = 0; k < 4; ++k) {
      std::string text;
      size_t length = random() % 8;
      for (size_t i = 0; i < length; ++i) text += units[random() % units.size()];
      doc["key " + text + std::to_string(k)] = text;
      doc["list"].push_back(text);
    }
    std::string yaml = emit_yaml(doc);
    auto parsed = YamlDocument::parse(yaml);
    ASSERT_TRUE(std::holds_alternative<YamlDocument>(parsed))
        << std::get<YamlSyntaxError>(parsed).message << " at line "
        << std::get<YamlSyntaxError>(parsed).line << "\n"
        << yaml;
    EXPECT_EQ(read_back(std::get<YamlDocument>(parsed).root()).dump(), doc.dump()) << yaml;
  }
}

}  // namespace
}  // namespace fusion
