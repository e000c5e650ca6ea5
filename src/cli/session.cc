#include "cli/session.h"

#include <fmt/format.h>

#include "graph/cycle_check.h"
#include "registry/discovery.h"
#include "registry/loader.h"
#include "registry/overlay.h"
#include "registry/validator.h"
#include "util/file.h"

namespace fusion {

void check_registry_text(CheckedRegistry& checked, std::string registry_text,
                         const std::string* overlay_text, const std::vector<std::string>& local) {
  std::filesystem::path dir = checked.path.parent_path();
  uint32_t file = checked.sources.add(checked.path.string(), std::move(registry_text));
  std::optional<Registry> loaded = load_registry(checked.sources, file, checked.diagnostics);
  if (!loaded) return;
  checked.registry = std::move(*loaded);
  if (overlay_text) {
    std::filesystem::path name =
        checked.overlay_path.empty() ? dir / kOverlayFileName : checked.overlay_path;
    uint32_t overlay_file = checked.sources.add(name.string(), *overlay_text);
    Overlay overlay = load_overlay(checked.sources, overlay_file, checked.diagnostics);
    apply_overlay(overlay, checked.registry, checked.diagnostics);
  }
  std::vector<Text> chosen;
  for (const std::string& name : local) chosen.push_back(Text{name, {}});
  choose_local(chosen, checked.registry, checked.diagnostics);
  validate(checked.registry, checked.diagnostics);
  check_cycles(checked.registry, checked.diagnostics);
  checked.diagnostics.sort();
}

Result<std::filesystem::path> registry_path(const GlobalOptions& global) {
  if (!global.file.empty()) return std::filesystem::path(global.file);
  auto found = find_registry(std::filesystem::current_path());
  if (!found) return Error{found.error()};
  return std::filesystem::relative(*found);
}

Result<CheckedRegistry> load_checked_registry(const GlobalOptions& global,
                                              const LoadOptions& options) {
  CheckedRegistry checked;
  auto path = registry_path(global);
  if (!path) return Error{path.error()};
  checked.path = *path;
  auto text = read_file(checked.path);
  if (!text) return Error{text.error()};
  std::optional<std::string> overlay_text;
  std::optional<std::filesystem::path> overlay;
  if (options.overlay) {
    overlay = global.overlay.empty() ? find_overlay(checked.path)
                                     : std::optional<std::filesystem::path>(global.overlay);
  }
  if (overlay) {
    checked.overlay_path = *overlay;
    auto read = read_file(*overlay);
    if (!read) return Error{read.error()};
    overlay_text = std::move(read).value();
  }
  check_registry_text(checked, std::move(text).value(), overlay_text ? &*overlay_text : nullptr,
                      options.local);
  return checked;
}

bool report_diagnostics(const CheckedRegistry& checked, Streams& io) {
  const Diagnostics& d = checked.diagnostics;
  io.err << render_text(d, checked.sources, io.color);
  size_t errors = d.error_count(), warnings = d.items().size() - errors;
  if (errors == 0 && warnings == 0) return true;
  std::vector<std::string> counts;
  if (errors) counts.push_back(fmt::format("{} error{}", errors, errors == 1 ? "" : "s"));
  if (warnings) counts.push_back(fmt::format("{} warning{}", warnings, warnings == 1 ? "" : "s"));
  io.err << fmt::format("{}: {}\n", checked.path.string(), fmt::join(counts, ", "));
  return errors == 0;
}

}  // namespace fusion

namespace fusion {

std::optional<CheckedRegistry> load_valid_registry(const GlobalOptions& global, Streams& io,
                                                   const LoadOptions& options) {
  auto checked = load_checked_registry(global, options);
  if (!checked) {
    io.err << "fusion: error: " << checked.error() << "\n";
    return std::nullopt;
  }
  if (!report_diagnostics(*checked, io)) return std::nullopt;
  return std::move(checked).value();
}

std::optional<GeneratedStack> load_generated_stack(const GlobalOptions& global, Streams& io,
                                                   const std::string& output_option) {
  LoadOptions shared;
  shared.overlay = false;
  auto checked = load_valid_registry(global, io, shared);
  if (!checked) return std::nullopt;
  GeneratedStack stack{std::move(*checked), {}, {}};
  stack.registry_dir = std::filesystem::absolute(stack.checked.path).parent_path();
  stack.output_dir = output_option.empty() ? stack.registry_dir / "generated"
                                           : std::filesystem::path(output_option);
  return stack;
}

std::string display_path(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path relative = std::filesystem::proximate(path, ec);
  if (ec || relative.string().size() >= path.string().size()) return path.string();
  return relative.string();
}

int report_error(Streams& io, std::string_view message) {
  io.err << "fusion: error: " << message << "\n";
  return kExitFailure;
}

std::optional<CheckedRegistry> check_before_writing(const std::string& text,
                                                    const std::filesystem::path& path, Streams& io,
                                                    std::string_view what) {
  CheckedRegistry checked;
  checked.path = path;
  check_registry_text(checked, text, nullptr, {});
  if (!checked.diagnostics.has_errors()) return checked;
  report_diagnostics(checked, io);
  report_error(io, std::string(what) + "; nothing was written");
  return std::nullopt;
}

}  // namespace fusion
