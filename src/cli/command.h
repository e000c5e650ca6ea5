#pragma once
// What every command gets: the global options, where to write, and a uniform shape so the table
// in commands.cc lists them all in one place.

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

namespace fusion {

/// Exit codes: 0 ok, 1 failure (including invalid registry), 2 usage.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct GlobalOptions {
  std::string file{};     ///< -f; empty: walk up from the current folder
  std::string overlay{};  ///< --overlay; empty: fusion.local.yaml beside the registry, if any
};

struct Streams {
  std::ostream& out;
  std::ostream& err;
  bool color = false;           ///< colour diagnostics on err
  bool smart_terminal = false;  ///< out is a terminal: live status lines rewritten in place
};

class Command {
 public:
  virtual ~Command() = default;
  /// Declares the command's own flags and arguments on its subcommand.
  virtual void configure(CLI::App& app) = 0;
  virtual int run(const GlobalOptions& global, Streams& io) = 0;
};

struct CommandEntry {
  const char* name;
  const char* summary;
  std::unique_ptr<Command> (*make)();
};

/// Every command fusion has, in the order `fusion --help` lists them.
const std::vector<CommandEntry>& command_table();

/// Parses `args` (without the program name) and runs the chosen command.
int run_cli(const std::vector<std::string>& args, Streams& io);

}  // namespace fusion
