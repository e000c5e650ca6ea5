#pragma once
// For tests only: run the command line in-process and keep what it printed.

#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace fusion::testing {

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

inline CliRun run_command_line(std::vector<std::string> args) {
  std::ostringstream out, err;
  Streams io{out, err, false};
  int code = run_cli(args, io);
  return {code, out.str(), err.str()};
}

}  // namespace fusion::testing
