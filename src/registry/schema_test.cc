#include "registry/schema.h"

#include <gtest/gtest.h>

#include <regex>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "registry/keys.h"
#include "registry/yaml_tree.h"
#include "util/file.h"

namespace fusion {
namespace {

using nlohmann::json;

/// YAML → JSON with YAML 1.2 core-schema typing of plain scalars, as editors' YAML servers do.
json to_json(const YamlNode& node) {
  switch (node.kind()) {
    case YamlNode::Kind::kMap: {
      json out = json::object();
      for (const YamlNode::Entry& e : node.entries()) out[e.key->Scalar()] = to_json(*e.value);
      return out;
    }
    case YamlNode::Kind::kSequence: {
      json out = json::array();
      for (const YamlNode* item : node.items()) out.push_back(to_json(*item));
      return out;
    }
    case YamlNode::Kind::kScalar: {
      const std::string& s = node.Scalar();
      if (!node.plain()) return s;
      if (s == "true" || s == "false") return s == "true";
      static const std::regex kInteger("[-+]?[0-9]+");
      static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
      if (std::regex_match(s, kInteger)) return std::stoll(s);
      if (std::regex_match(s, kFloat)) {
        return std::stod(s);
      }
      return s;
    }
    case YamlNode::Kind::kNull:
      break;
  }
  return nullptr;
}

/// Every validation error, one per line; empty when the document conforms.
std::string schema_errors(const json& document) {
  json schema_doc = registry_schema();
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  if (validator.validate(schema, target, &results)) return "";
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string path;
    for (const std::string& p : error.context) path += p;
    out += path + ": " + error.description + "\n";
  }
  return out;
}

json example(const std::string& name) {
  auto text = read_file(std::string(FUSION_SOURCE_DIR) + "/examples/" + name + "/fusion.yaml");
  EXPECT_TRUE(text.ok()) << text.error();
  auto doc = YamlDocument::parse(*text);
  return to_json(std::get<YamlDocument>(doc).root());
}

TEST(Schema, BothExamplesConform) {
  EXPECT_EQ(schema_errors(example("shop")), "");
  EXPECT_EQ(schema_errors(example("platform")), "");
}

TEST(Schema, RejectsWhatTheLoaderRejects) {
  json doc = example("shop");
  doc["services"]["postgres"]["helth"] = json::object();
  EXPECT_NE(schema_errors(doc), "");
  doc = example("shop");
  doc["services"]["postgres"]["health"]["interval"] = "2 seconds";
  EXPECT_NE(schema_errors(doc), "");
  doc = example("shop");
  doc["services"]["postgres"]["depends_on"] = {{"redis", "service_healthy"}};
  EXPECT_NE(schema_errors(doc), "");
  doc = example("shop");
  doc["version"] = 2;
  EXPECT_NE(schema_errors(doc), "");
}

std::vector<std::string> property_names(const json& object) {
  std::vector<std::string> names;
  for (const auto& [k, v] : object["properties"].items()) names.push_back(k);
  std::sort(names.begin(), names.end());
  return names;
}

template <size_t N>
std::vector<std::string> sorted(const std::array<std::string_view, N>& keys) {
  std::vector<std::string> names(keys.begin(), keys.end());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(Schema, PropertiesAreTheLoadersKeys) {
  json schema = registry_schema();
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(property_names(schema), sorted(keys::kTop));
  const json& service = schema["$defs"]["service"];
  EXPECT_EQ(property_names(service), sorted(keys::kService));
  EXPECT_EQ(property_names(service["properties"]["health"]), sorted(keys::kHealth));
  EXPECT_EQ(property_names(service["properties"]["resources"]), sorted(keys::kResources));
  EXPECT_EQ(property_names(schema["properties"]["phases"]["additionalProperties"]),
            sorted(keys::kPhase));
}

}  // namespace
}  // namespace fusion

namespace fusion {
namespace {

TEST(Schema, CommittedCopyIsCurrent) {
  auto committed = read_file(std::string(FUSION_SOURCE_DIR) + "/docs/fusion.schema.json");
  ASSERT_TRUE(committed.ok()) << committed.error();
  EXPECT_EQ(*committed, registry_schema().dump(2) + "\n")
      << "docs/fusion.schema.json is stale: run 'build/fusion schema > docs/fusion.schema.json'";
}

}  // namespace
}  // namespace fusion
