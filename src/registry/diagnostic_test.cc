#include "registry/diagnostic.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fusion {
namespace {

TEST(Diagnostics, SortsByPositionAndDropsExactRepeats) {
  SourceSet sources;
  uint32_t f = sources.add("fusion.yaml", "a: 1\nb: 2\n");
  Diagnostics d;
  d.error({f, 2, 1, 1}, "second");
  d.warning({f, 1, 4, 1}, "first");
  d.error({f, 2, 1, 1}, "second");
  d.sort();
  ASSERT_EQ(d.items().size(), 2u);
  EXPECT_EQ(d.items()[0].message, "first");
  EXPECT_EQ(d.error_count(), 1u);
}

TEST(Diagnostics, RendersLikeACompilerWithAndWithoutColour) {
  SourceSet sources;
  uint32_t f = sources.add("fusion.yaml", "services:\n  api:\r\n    helth: x\n");
  Diagnostic d{Severity::kError, {f, 3, 5, 5}, "unknown key"};
  EXPECT_EQ(render_text(d, sources, false),
            "fusion.yaml:3:5: error: unknown key\n"
            "    3 |     helth: x\n"
            "      |     ^~~~~\n");
  EXPECT_EQ(render_text(d, sources, true),
            "\033[1mfusion.yaml:3:5:\033[0m \033[1;31merror:\033[0m unknown key\n"
            "    3 |     helth: x\n"
            "      |     \033[1;32m^~~~~\033[0m\n");
  Diagnostic crlf{Severity::kWarning, {f, 2, 3, 3}, "carriage return is not shown"};
  EXPECT_EQ(render_text(crlf, sources, false),
            "fusion.yaml:2:3: warning: carriage return is not shown\n"
            "    2 |   api:\n"
            "      |   ^~~\n");
}

TEST(Diagnostics, PositionsPastTheLineAreClamped) {
  SourceSet sources;
  uint32_t f = sources.add("f.yaml", "ab\n");
  Diagnostic d{Severity::kError, {f, 1, 2, 40}, "m"};
  EXPECT_EQ(render_text(d, sources, false), "f.yaml:1:2: error: m\n    1 | ab\n      |  ^\n");
  Diagnostic beyond{Severity::kError, {f, 9, 1, 1}, "m"};
  EXPECT_EQ(render_text(beyond, sources, false), "f.yaml:9:1: error: m\n");
}

TEST(Diagnostics, Json) {
  SourceSet sources;
  uint32_t f = sources.add("fusion.yaml", "x\n");
  Diagnostics d;
  d.error({f, 1, 1, 1}, "bad");
  d.warning({}, "global");
  nlohmann::json j = to_json(d, sources);
  EXPECT_EQ(j["errors"], 1);
  EXPECT_EQ(j["warnings"], 1);
  EXPECT_EQ(j["diagnostics"][0]["file"], "fusion.yaml");
  EXPECT_EQ(j["diagnostics"][0]["line"], 1);
  EXPECT_EQ(j["diagnostics"][0]["severity"], "error");
  EXPECT_FALSE(j["diagnostics"][1].contains("file"));
}

}  // namespace
}  // namespace fusion
