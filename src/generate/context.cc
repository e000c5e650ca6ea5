#include "generate/context.h"

#include "registry/interpolation.h"
#include "workspace/workspace.h"

namespace fusion {

namespace fs = std::filesystem;

Result<GenerateContext> make_generate_context(const Registry& registry,
                                              const fs::path& registry_dir,
                                              const fs::path& output_dir) {
  GenerateContext ctx;
  ctx.registry = &registry;
  ctx.registry_dir = fs::absolute(registry_dir).lexically_normal();
  ctx.output_dir = fs::absolute(output_dir).lexically_normal();
  for (const Service& s : registry.services) {
    ctx.services.emplace(s.name.value, &s);
    for (const Dependency& d : s.depends_on) {
      if (d.condition == DependencyCondition::kCompleted) {
        ctx.awaited_to_complete.insert(d.service.value);
      }
    }
  }
  if (!registry.repos.empty()) {
    auto workspace = make_workspace(registry, ctx.registry_dir);
    if (!workspace) return Error{workspace.error()};
    for (const RepoTarget& repo : workspace->repos) ctx.repo_dirs[repo.name] = repo.path;
  }
  return ctx;
}

fs::path source_dir(const GenerateContext& ctx, const Service& service) {
  if (service.repo.present()) {
    auto it = ctx.repo_dirs.find(service.repo.value);
    if (it != ctx.repo_dirs.end()) return it->second;
  }
  return (ctx.registry_dir / service.path.value).lexically_normal();
}

fs::path build_context_dir(const GenerateContext& ctx, const Service& service) {
  fs::path dir = source_dir(ctx, service);
  if (service.build && service.build->context.present()) dir /= service.build->context.value;
  return dir.lexically_normal();
}

std::string relative_path(const fs::path& from, const fs::path& target) {
  std::string rel = target.lexically_normal().lexically_relative(from.lexically_normal()).string();
  if (rel.empty() || rel == ".") return ".";
  if (!rel.starts_with("../")) rel = "./" + rel;
  if (rel.size() > 1 && rel.back() == '/') rel.pop_back();
  return rel;
}

std::string service_image(const Registry& registry, const Service& service) {
  if (service.image.present()) return service.image.value;
  return "localhost/" + registry.name.value + "/" + service.name.value + ":local";
}

SplitEnv split_env(const Service& service) {
  SplitEnv split;
  for (const EnvVar& var : service.env) {
    if (var.secret) {
      split.secret_templates.emplace_back(var.name.value, "${secret:" + var.secret->value + "}");
      continue;
    }
    bool holds_secret = false;
    for (const Reference& ref : scan_references(var.value).references) {
      holds_secret = holds_secret || ref.kind == Reference::Kind::kSecret;
    }
    (holds_secret ? split.secret_templates : split.plain).emplace_back(var.name.value, var.value);
  }
  return split;
}

std::string service_hostname(const Registry& registry, const Service& service) {
  if (!service.subdomain.present()) return "";
  if (!registry.domain.present()) return service.subdomain.value;
  return service.subdomain.value + "." + registry.domain.value;
}

}  // namespace fusion
