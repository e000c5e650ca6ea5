#include "util/table.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(TableTest, PadsColumnsToTheWidestCellAndTrimsLineEnds) {
  EXPECT_EQ(
      render_table({{"NAME", "STATE", "URL"}, {"db", "running", ""}, {"web-front", "-", "x"}}),
      "NAME       STATE    URL\n"
      "db         running\n"
      "web-front  -        x\n");
}

}  // namespace
}  // namespace fusion
