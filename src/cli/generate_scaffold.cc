#include "cli/generate_scaffold.h"

#include <fmt/format.h>

#include <set>

#include "cli/session.h"
#include "detect/detect.h"
#include "generate/context.h"
#include "scaffold/ci_workflow.h"
#include "scaffold/dockerfile.h"
#include "scaffold/scaffold_file.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

struct Loaded {
  CheckedRegistry checked;
  GenerateContext ctx;
  Templates templates;
};

/// The registry as committed (no fusion.local.yaml), its context and the templates.
std::optional<Loaded> load(const GlobalOptions& global, Streams& io,
                           const ScaffoldOptions& options) {
  auto checked = load_valid_registry(global, io, LoadOptions{.local = {}, .overlay = false});
  if (!checked) return std::nullopt;
  Loaded loaded{std::move(*checked), {}, {}};
  fs::path dir = fs::absolute(loaded.checked.path).parent_path();
  auto ctx = make_generate_context(loaded.checked.registry, dir, dir / "generated");
  if (!ctx) {
    report_error(io, ctx.error());
    return std::nullopt;
  }
  loaded.ctx = std::move(ctx).value();
  loaded.ctx.registry = &loaded.checked.registry;
  fs::path templates = options.templates;
  if (templates.empty() && fs::is_directory(dir / "fusion-templates"))
    templates = dir / "fusion-templates";
  auto t = load_templates(templates);
  if (!t) {
    report_error(io, t.error());
    return std::nullopt;
  }
  loaded.templates = std::move(t).value();
  return loaded;
}

std::vector<const Service*> selected_services(const Registry& registry,
                                              const ScaffoldOptions& options, Streams& io,
                                              bool& ok) {
  std::vector<const Service*> out;
  for (const std::string& name : options.services) {
    const Service* s = registry.find_service(name);
    if (!s || !s->has_source()) {
      io.err << fmt::format("fusion: error: {} '{}'\n",
                            s ? "no local source (path or repo) for service" : "no service named",
                            name);
      ok = false;
    } else {
      out.push_back(s);
    }
  }
  if (options.services.empty()) {
    for (const Service& s : registry.services) {
      if (s.has_source()) out.push_back(&s);
    }
  }
  return out;
}

std::string dockerfile_name(const Service& s) {
  return s.build && s.build->dockerfile.present() ? s.build->dockerfile.value : "Dockerfile";
}

bool report(Streams& io, const fs::path& path, const Result<ScaffoldOutcome>& outcome,
            const std::string& detail) {
  if (!outcome) {
    io.err << "fusion: error: " << outcome.error() << "\n";
    return false;
  }
  io.out << fmt::format(
      "{} {}{}\n", outcome_verb(*outcome), display_path(path),
      *outcome == ScaffoldOutcome::kLeftAlone || detail.empty() ? "" : "  (" + detail + ")");
  return true;
}

/// The file was (or, with --check, would be) created or rewritten.
bool changed(const Result<ScaffoldOutcome>& outcome) {
  return outcome &&
         (*outcome == ScaffoldOutcome::kCreated || *outcome == ScaffoldOutcome::kUpdated);
}

/// `path` as the workflow names it: relative to the repository root, without "./".
std::string in_repository(const fs::path& repo, const fs::path& path) {
  std::string rel = relative_path(repo, path);
  return rel.starts_with("./") ? rel.substr(2) : rel;
}

}  // namespace

int run_generate_dockerfile(const GlobalOptions& global, Streams& io,
                            const ScaffoldOptions& options) {
  auto loaded = load(global, io, options);
  if (!loaded) return kExitFailure;
  bool ok = true;
  size_t changes = 0;
  std::set<fs::path> done;  // services built from one folder share its Dockerfile
  for (const Service* s : selected_services(loaded->checked.registry, options, io, ok)) {
    fs::path context = build_context_dir(loaded->ctx, *s);
    if (!done.insert(context / dockerfile_name(*s)).second) continue;
    auto snapshot = load_snapshot(context);
    if (!snapshot) {
      io.err << fmt::format("fusion: error: service '{}': {}\n", s->name.value, snapshot.error());
      ok = false;
      continue;
    }
    // A Dockerfile below the context (`build: { context: ../.., dockerfile: apps/web/Dockerfile
    // }`) builds a workspace member from the workspace root: detect the member's folder, with
    // the root's lockfile and workspace in view.
    std::string member(
        parent_folder(fs::path(dockerfile_name(*s)).lexically_normal().generic_string()));
    if (member.starts_with("..")) member.clear();
    Detection detection = detect_folder(*snapshot, member, s->name.value);
    fs::path dockerfile = context / dockerfile_name(*s);
    auto scaffold = scaffold_dockerfile(detection, *s, loaded->templates);
    if (!scaffold) {
      // A hand-written Dockerfile needs no template: say so rather than fail.
      if (fs::exists(dockerfile)) {
        report(io, dockerfile, ScaffoldOutcome::kLeftAlone, "");
      } else {
        io.err << fmt::format("fusion: error: service '{}': {}\n", s->name.value, scaffold.error());
        ok = false;
      }
      continue;
    }
    auto written =
        write_scaffolded(dockerfile, scaffold->dockerfile, scaffolded_by_fusion, options.check);
    std::string detail =
        detection.type + (detection.framework.known() ? ", " + detection.framework.value : "");
    ok &= report(io, dockerfile, written, detail);
    changes += changed(written);
    if (written && *written != ScaffoldOutcome::kLeftAlone) {
      fs::path ignore = context / ".dockerignore";
      auto ignored =
          write_scaffolded(ignore, scaffold->dockerignore, scaffolded_by_fusion, options.check);
      ok &= report(io, ignore, ignored, "");
      changes += changed(ignored);
    }
    for (const std::string& note : scaffold->notes) {
      io.err << fmt::format("fusion: note: service '{}': {}\n", s->name.value, note);
    }
  }
  if (options.check && changes > 0) {
    io.err << fmt::format(
        "fusion: {} scaffolded file(s) out of date; run `fusion generate dockerfile`\n", changes);
    return kExitFailure;
  }
  return ok ? kExitOk : kExitFailure;
}

int run_generate_ci(const GlobalOptions& global, Streams& io, const ScaffoldOptions& options) {
  auto loaded = load(global, io, options);
  if (!loaded) return kExitFailure;
  const fs::path& repo = loaded->ctx.registry_dir;
  CiWorkflowInput input;
  input.stack = loaded->checked.registry.name.value;
  input.registry_file = in_repository(repo, fs::absolute(loaded->checked.path));
  bool ok = true;
  for (const Service* s : selected_services(loaded->checked.registry, options, io, ok)) {
    fs::path context = build_context_dir(loaded->ctx, *s);
    std::string rel = in_repository(repo, context);
    if (rel.starts_with("../")) continue;  // another repository's service: its own CI builds it
    input.images.push_back(
        {s->name.value, rel, in_repository(repo, context / dockerfile_name(*s))});
  }
  auto text = render_ci_workflow(input, loaded->templates);
  if (!text) return report_error(io, text.error());
  fs::path path = repo / kCiWorkflowPath;
  auto written = write_scaffolded(path, *text, ci_workflow_by_fusion, options.check);
  ok &= report(io, path, written,
               fmt::format("{} image{}", input.images.size(), input.images.size() == 1 ? "" : "s"));
  if (options.check && changed(written)) return kExitFailure;
  return ok ? kExitOk : kExitFailure;
}

}  // namespace fusion
