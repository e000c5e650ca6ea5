// fusion import compose FILE… [-o fusion.yaml] [--name NAME] [--force]: a registry from compose
// files, merged as `docker-compose -f a -f b` merges them. Everything compose had that fusion.yaml
// cannot hold is listed; the result is validated before it is written, and an existing file is
// never replaced without --force.

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/session.h"
#include "importer/compose_import.h"
#include "runtime/env_file.h"
#include "util/file.h"

namespace fusion {
namespace {

constexpr int kExitImportedWithNotes = 3;

namespace fs = std::filesystem;

class ImportCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.require_subcommand(1);
    CLI::App* compose = app.add_subcommand("compose", "Import compose files (merged in order)");
    compose->add_option("files", files_, "Compose files, later ones overriding earlier ones")
        ->required()
        ->check(CLI::ExistingFile);
    compose->add_option("-o,--output", output_, "The registry to write (default: fusion.yaml)");
    compose->add_option("--name", name_, "The stack's name (default: compose's name, or 'app')");
    compose->add_flag("--force", force_, "Replace an existing output file");
  }

  int run(const GlobalOptions&, Streams& io) override {
    fs::path output = fs::absolute(output_).lexically_normal();
    if (fs::exists(output) && !force_) {
      return report_error(io, display_path(output) +
                                  " exists; choose another with -o, or "
                                  "replace it with --force");
    }
    std::vector<ComposeFileText> texts;
    for (const std::string& file : files_) {
      auto text = read_file(file);
      if (!text) return report_error(io, text.error());
      texts.push_back({file, std::move(text).value()});
    }
    auto merged = merge_compose_files(
        texts, [](const std::string& path) -> Result<std::string> { return read_file(path); });
    if (!merged) return report_error(io, merged.error());
    ImportOptions options;
    options.name = name_;
    options.compose_dir = fs::absolute(files_.front()).parent_path();
    options.registry_dir = output.parent_path();
    // Compose's own values for ${VAR}: the project's .env, as `docker compose` reads it.
    if (auto dotenv = read_file(options.compose_dir / ".env")) {
      for (const EnvFileEntry& entry : parse_env_file(*dotenv)) {
        if (entry.value) options.variables[entry.name] = *entry.value;
      }
    }
    options.command = {"fusion", "import", "compose"};
    for (const std::string& f : files_) options.command.push_back(f);
    ImportResult result = import_compose(*merged, options);
    for (const ImportNote& note : result.notes) {
      io.err << (note.where.empty() ? "" : note.where + ": ") << "note: " << note.message << "\n";
    }
    if (!check_before_writing(result.registry_text, output, io,
                              "the imported registry does not validate")) {
      return kExitFailure;
    }
    Status written = write_file_atomically(output, result.registry_text);
    if (!written) return report_error(io, written.error());
    io.out << fmt::format("wrote {}: {} service{}, {} note{}\n", display_path(output),
                          result.services, result.services == 1 ? "" : "s", result.notes.size(),
                          result.notes.size() == 1 ? "" : "s");
    // Written either way; 3 tells a script that notes were left for a human to review.
    return result.notes.empty() ? kExitOk : kExitImportedWithNotes;
  }

 private:
  std::vector<std::string> files_;
  std::string output_ = "fusion.yaml", name_;
  bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> make_import_command() { return std::make_unique<ImportCommand>(); }

}  // namespace fusion
