// fusion new TEMPLATE NAME [--dir DIR]: a new service from a template (python-http, node-http,
// go-http, or a team's own under fusion-templates/new/), with its Dockerfile, and its entry
// inserted into fusion.yaml as text: the file's comments and layout stay as they were.
// Everything is rendered and the new registry validated before the first file is written.

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/session.h"
#include "detect/detect.h"
#include "generate/context.h"
#include "scaffold/dockerfile.h"
#include "scaffold/registry_insert.h"
#include "scaffold/service_template.h"
#include "util/file.h"
#include "util/strings.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

class NewCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("template", template_, "python-http, node-http, go-http, or a team's own")
        ->required();
    app.add_option("name", name_, "The service's name (a DNS label) and folder")->required();
    app.add_option("--dir", dir_, "The folder to create (default: NAME beside fusion.yaml)");
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto registry_path = fusion::registry_path(global);
    if (!registry_path) {
      return report_error(io, registry_path.error() + "; run `fusion init` first");
    }
    fs::path registry_dir = fs::absolute(*registry_path).parent_path();
    if (!is_dns1123_label(name_)) {
      return report_error(
          io, fmt::format("'{}' is not a service name: 1-63 of a-z, 0-9 and '-'", name_));
    }
    fs::path folder = dir_.empty() ? registry_dir / name_ : fs::absolute(dir_).lexically_normal();
    std::error_code ec;
    if (fs::exists(folder, ec) && !fs::is_empty(folder, ec)) {
      return report_error(io,
                          display_path(folder) + " exists and is not empty; nothing was written");
    }
    auto templates = load_templates(fs::is_directory(registry_dir / "fusion-templates")
                                        ? registry_dir / "fusion-templates"
                                        : fs::path());
    if (!templates) return report_error(io, templates.error());
    auto rendered = render_service_template(*templates, template_, name_);
    if (!rendered) return unknown_template(io, *templates);
    FileSet files = std::move(rendered).value();

    // The new folder as detection will see it, for the registry entry and the Dockerfile.
    SourceSnapshot snapshot;
    for (const auto& [path, content] : files) snapshot.add(path, content);
    Detection detection = detect_folder(snapshot, "", name_);
    std::string rel = relative_path(registry_dir, folder);
    auto registry_text = read_file(*registry_path);
    if (!registry_text) return report_error(io, registry_text.error());
    auto updated = insert_service(
        *registry_text, name_,
        new_service_entry(detection, rel.starts_with("./") ? rel.substr(2) : rel, template_));
    if (!updated) return report_error(io, updated.error() + "; nothing was written");
    auto checked = check_before_writing(*updated, *registry_path, io,
                                        "fusion.yaml would not validate with the new service");
    if (!checked) return kExitFailure;
    const Service* service = checked->registry.find_service(name_);
    auto dockerfile = scaffold_dockerfile(detection, *service, *templates);
    if (!dockerfile) return report_error(io, dockerfile.error());
    files["Dockerfile"] = dockerfile->dockerfile;
    files[".dockerignore"] = dockerfile->dockerignore;

    for (const auto& [path, content] : files) {
      fs::create_directories((folder / path).parent_path(), ec);
      Status written = write_file_atomically(folder / path, content);
      if (!written) return report_error(io, written.error());
      io.out << "create " << display_path(folder / path) << "\n";
    }
    Status registry_written = write_file_atomically(*registry_path, *updated);
    if (!registry_written) return report_error(io, registry_written.error());
    io.out << fmt::format("update {}: service '{}' ({}, port {})\n", display_path(*registry_path),
                          name_, detection.type, detection.port.value);
    return kExitOk;
  }

 private:
  int unknown_template(Streams& io, const Templates& templates) const {
    std::vector<std::string> names = service_templates(templates);
    std::string message = fmt::format("no template named '{}'", template_);
    if (auto close = closest_match(template_, names))
      message += fmt::format("; did you mean '{}'?", *close);
    return report_error(io, message + " (templates: " + join(names, ", ") + ")");
  }

  std::string template_, name_, dir_;
};

}  // namespace

std::unique_ptr<Command> make_new_command() { return std::make_unique<NewCommand>(); }

}  // namespace fusion
