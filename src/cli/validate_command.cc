// fusion validate [--json]: every problem in the registry at once; exit 1 when there are errors.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/session.h"

namespace fusion {
namespace {

class ValidateCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_flag("--json", json_, "Print diagnostics as JSON on stdout, for tools");
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto checked = load_checked_registry(global);
    if (!checked) {
      io.err << "fusion: error: " << checked.error() << "\n";
      return kExitFailure;
    }
    if (json_) {
      io.out << to_json(checked->diagnostics, checked->sources).dump(2) << "\n";
      return checked->diagnostics.has_errors() ? kExitFailure : kExitOk;
    }
    if (!report_diagnostics(*checked, io)) return kExitFailure;
    size_t local = 0;
    for (const Service& s : checked->registry.services) local += s.local ? 1 : 0;
    io.out << fmt::format("{}: ok: {} services ({} from local source), {} phases\n",
                          checked->path.string(), checked->registry.services.size(), local,
                          checked->registry.phases.size());
    return kExitOk;
  }

 private:
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_validate_command() { return std::make_unique<ValidateCommand>(); }

}  // namespace fusion
