// fusion's entry point: wires the real streams into the command line and catches the
// unrecoverable once.

#include <exception>
#include <iostream>

#include "cli/command.h"
#include "util/terminal.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  fusion::Streams io{std::cout, std::cerr, fusion::use_color(stderr),
                     fusion::is_smart_terminal(stdout)};
  try {
    return fusion::run_cli(std::vector<std::string>(argv + 1, argv + argc), io);
  } catch (const std::exception& e) {
    std::cerr << "fusion: error: " << e.what() << "\n";
    return fusion::kExitFailure;
  }
}
