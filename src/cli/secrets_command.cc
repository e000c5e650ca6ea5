// fusion secrets [-o DIR]: creates the secret values the registry uses and lacks (kept in
// .fusion/secrets.env beside fusion.yaml), then writes each service's secrets env file, and
// each store secret mounted as a file, where the generated compose files and the local
// kustomize overlay read them. Prints file names, never values.

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/session.h"
#include "generate/secrets.h"
#include "util/file.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kPrivate = 0600;

class SecretsCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("-o,--output", output_,
                   "The generated folder (default: generated/ beside fusion.yaml)");
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto stack = load_generated_stack(global, io, output_);
    if (!stack) return kExitFailure;
    const fs::path& output = stack->output_dir;
    auto store = update_store(stack->checked.registry, stack->registry_dir / ".fusion", io);
    if (!store) return report_error(io, store.error());
    for (const Service& s : stack->checked.registry.services) {
      std::string env = render_service_secrets(s, *store);
      if (env.empty()) continue;
      if (Status ok = write_private(output, s.name.value + ".env", env, io); !ok) {
        return report_error(io, ok.error());
      }
    }
    for (const std::string& name : store_secret_files(stack->checked.registry)) {
      if (Status ok = write_private(output, name + ".secret", store->at(name), io); !ok) {
        return report_error(io, ok.error());
      }
    }
    return kExitOk;
  }

 private:
  /// `text` as `file` (0600) in the secrets folders the compose files and the local overlay
  /// read; prints the file names only.
  static Status write_private(const fs::path& output, const std::string& file,
                              const std::string& text, Streams& io) {
    for (fs::path dir :
         {output / "compose/secrets", output / "kubernetes/overlays/local/secrets"}) {
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec) return Error{fmt::format("{}: {}", dir.string(), ec.message())};
      if (Status ok = write_file_atomically(dir / file, text, kPrivate); !ok) return ok;
      io.out << "wrote " << display_path(dir / file) << "\n";
    }
    return ok_status();
  }

  static Result<SecretStore> update_store(const Registry& registry, const fs::path& dir,
                                          Streams& io) {
    auto updated = update_secret_store(registry, dir);
    if (!updated) return Error{updated.error()};
    for (const std::string& name : updated->created) {
      io.out << fmt::format("created secret {} in {}\n", name,
                            display_path(dir / kSecretStoreFile));
    }
    return std::move(updated).value().store;
  }

  std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_secrets_command() { return std::make_unique<SecretsCommand>(); }

}  // namespace fusion
