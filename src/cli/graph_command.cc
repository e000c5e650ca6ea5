// fusion graph [svc…] [--format text|dot|mermaid] [--profile P]: the dependency graph.

#include "cli/commands.h"
#include "cli/session.h"
#include "graph/render.h"

namespace fusion {
namespace {

class GraphCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("services", services_, "Only these services and what they depend on");
    app.add_option("--format", format_, "Output format")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, GraphFormat>{{"text", GraphFormat::kText},
                                               {"dot", GraphFormat::kDot},
                                               {"mermaid", GraphFormat::kMermaid}}));
    app.add_option("--profile", profiles_, "Enable services of this profile (repeatable)");
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto checked = load_valid_registry(global, io);
    if (!checked) return kExitFailure;
    auto selection = select_services(checked->registry, services_, profiles_);
    if (!selection) {
      io.err << "fusion: error: " << selection.error() << "\n";
      return kExitUsage;
    }
    io.out << render_graph(checked->registry, *selection, format_);
    return kExitOk;
  }

 private:
  std::vector<std::string> services_;
  std::vector<std::string> profiles_;
  GraphFormat format_ = GraphFormat::kText;
};

}  // namespace

std::unique_ptr<Command> make_graph_command() { return std::make_unique<GraphCommand>(); }

}  // namespace fusion
