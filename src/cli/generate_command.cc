// fusion generate dockerfile|ci: see generate_scaffold.h.
// fusion generate [compose|kubernetes|env|inventory…] [--check] [--single] [-o DIR]: writes the
// files the stack needs from fusion.yaml (never fusion.local.yaml: generated files are shared),
// only those that change, each atomically. --check writes nothing, prints a unified diff and
// exits 1 when anything would change: the command for CI.

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/generate_scaffold.h"
#include "cli/session.h"
#include "generate/generators.h"
#include "generate/output_folder.h"
#include "generate/unified_diff.h"
#include "util/strings.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

const char* verb(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kCreate:
      return "create";
    case ChangeKind::kUpdate:
      return "update";
    case ChangeKind::kRemove:
      return "remove";
  }
  return "";
}

class GenerateCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    std::vector<std::string> names;
    for (const Generator& g : generators()) names.emplace_back(g.name);
    app.add_option("what", what_, "What to generate (default: all): " + join(names, ", "))
        ->check(CLI::IsMember(names));
    app.add_option("-o,--output", output_,
                   "Output folder (default: generated/ beside fusion.yaml)");
    app.add_option("--templates", templates_,
                   "Folder of mustache templates overriding fusion's (default: "
                   "fusion-templates/ beside fusion.yaml, when present)");
    app.add_flag("--check", check_,
                 "Write nothing; exit 1 and show the diff if files would change");
    app.add_flag("--single", single_, "One compose.yaml instead of one file per group");

    dockerfile_ = app.add_subcommand(
        "dockerfile", "Write a Dockerfile and .dockerignore for local-source services without one");
    dockerfile_->add_option("services", scaffold_.services, "Services (default: all from source)");
    ci_ = app.add_subcommand("ci",
                             "Write a GitHub Actions workflow: validate, --check, build images");
    for (CLI::App* sub : {dockerfile_, ci_}) {
      sub->add_flag("--check", scaffold_.check, "Write nothing; exit 1 if files would change");
      sub->add_option("--templates", scaffold_.templates,
                      "Folder of templates overriding fusion's");
    }
  }

  int run(const GlobalOptions& global, Streams& io) override {
    if (dockerfile_->parsed()) return run_generate_dockerfile(global, io, scaffold_);
    if (ci_->parsed()) return run_generate_ci(global, io, scaffold_);
    auto stack = load_generated_stack(global, io, output_);
    if (!stack) return kExitFailure;
    auto ctx =
        make_generate_context(stack->checked.registry, stack->registry_dir, stack->output_dir);
    if (!ctx) return report_error(io, ctx.error());
    GenerateContext context = std::move(ctx).value();

    context.registry_file = display_path(stack->checked.path);
    auto wanted = generate(context, stack->registry_dir);
    if (!wanted) return report_error(io, wanted.error());
    // What a target cannot express, once per service and key, at the key's position.
    for (const std::string& note : context.notes) io.err << note << "\n";
    OutputFolder folder(context.output_dir);
    OutputPlan plan = folder.plan(*wanted, [this](const std::string& path) { return owned(path); });
    for (const std::string& note : plan.notes) io.err << "fusion: note: " << note << "\n";
    if (!plan.refusals.empty()) {
      for (const std::string& r : plan.refusals) io.err << "fusion: error: " << r << "\n";
      io.err << "fusion: nothing was written\n";
      return kExitFailure;
    }
    return check_ ? report_drift(plan, io) : write(folder, plan, wanted->size(), io);
  }

 private:
  bool selected(const Generator& g) const {
    return what_.empty() || std::find(what_.begin(), what_.end(), g.name) != what_.end();
  }

  bool owned(const std::string& path) const {
    for (const Generator& g : generators()) {
      if (selected(g) && g.owns_path(path)) return true;
    }
    return false;
  }

  Result<FileSet> generate(const GenerateContext& ctx, const fs::path& registry_dir) const {
    GenerateOptions options;
    options.single_compose = single_;
    fs::path templates = templates_;
    if (templates.empty() && fs::is_directory(registry_dir / "fusion-templates")) {
      templates = registry_dir / "fusion-templates";
    }
    auto loaded = load_templates(templates);
    if (!loaded) return Error{loaded.error()};
    options.templates = std::move(loaded).value();
    return run_generators(ctx, options, what_);
  }

  int report_drift(const OutputPlan& plan, Streams& io) const {
    for (const FileChange& c : plan.changes) io.out << unified_diff(c.path, c.before, c.after);
    if (plan.changes.empty()) {
      io.err << "fusion: generated files are up to date\n";
      return kExitOk;
    }
    io.err << fmt::format("fusion: {} generated file{} out of date; run `fusion generate`\n",
                          plan.changes.size(), plan.changes.size() == 1 ? " is" : "s are");
    return kExitFailure;
  }

  int write(const OutputFolder& folder, const OutputPlan& plan, size_t generated,
            Streams& io) const {
    Status applied = folder.apply(plan);
    for (const FileChange& c : plan.changes) {
      io.out << fmt::format("{} {}\n", verb(c.kind), display_path(folder.root() / c.path));
    }
    if (!applied) return report_error(io, applied.error());
    size_t removed =
        std::count_if(plan.changes.begin(), plan.changes.end(),
                      [](const FileChange& c) { return c.kind == ChangeKind::kRemove; });
    io.out << fmt::format("{} files in {}: {} written, {} unchanged, {} removed\n", generated,
                          display_path(folder.root()), plan.changes.size() - removed,
                          generated - (plan.changes.size() - removed), removed);
    return kExitOk;
  }

  CLI::App* dockerfile_ = nullptr;
  CLI::App* ci_ = nullptr;
  ScaffoldOptions scaffold_;
  std::vector<std::string> what_;
  std::string output_, templates_;
  bool check_ = false;
  bool single_ = false;
};

}  // namespace

std::unique_ptr<Command> make_generate_command() { return std::make_unique<GenerateCommand>(); }

}  // namespace fusion
