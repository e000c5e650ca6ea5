// fusion schema: the JSON Schema of fusion.yaml, for editors.

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "registry/schema.h"

namespace fusion {
namespace {

class SchemaCommand : public Command {
 public:
  void configure(CLI::App&) override {}
  int run(const GlobalOptions&, Streams& io) override {
    io.out << registry_schema().dump(2) << "\n";
    return kExitOk;
  }
};

}  // namespace

std::unique_ptr<Command> make_schema_command() { return std::make_unique<SchemaCommand>(); }

}  // namespace fusion
