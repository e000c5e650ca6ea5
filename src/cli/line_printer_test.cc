#include "cli/line_printer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace fusion {
namespace {

TEST(LinePrinterTest, OnATerminalTheBlockIsRewrittenInPlaceBelowFinishedLines) {
  std::ostringstream out;
  LinePrinter printer(out, true, 12);
  printer.status_block({"[0/2]", "  db starting", "  api building"});
  printer.line("db healthy");
  printer.status("[1/2] a very long status line");
  printer.finish();
  EXPECT_EQ(out.str(),
            "[0/2]\n  db starti\n  api build"  // cut to 11 columns
            "\r\033[2A\033[J"
            "db healthy\n"                     // up two lines, clear, print
            "[0/2]\n  db starti\n  api build"  // the block again below it
            "\r\033[2A\033[J"
            "[1/2] a ver"  // one-line block replaces three
            "\r\033[J");   // finish clears it
}

TEST(LinePrinterTest, ElsewhereOnlyLinesWithATimestamp) {
  std::ostringstream out;
  LinePrinter printer(out, false);
  printer.status_block({"[0/1]", "  db starting"});
  printer.line("db healthy");
  printer.finish();
  ASSERT_EQ(out.str().size(), std::string("12:34:56 db healthy\n").size());
  EXPECT_EQ(out.str().substr(8), " db healthy\n");
}

}  // namespace
}  // namespace fusion
