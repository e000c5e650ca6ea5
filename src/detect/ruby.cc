// Ruby: Gemfile; Rails or Sinatra; bundler.

#include <fmt/format.h>

#include "detect/project_folder.h"

namespace fusion {
namespace {

/// Rails: psych (YAML) compiles against libyaml, gems from git need git, and the assets are
/// precompiled in the build (a dummy secret key suffices for that).
void rails_build(const ProjectFolder& project, Detection& d) {
  d.build_packages.push_back(found("libyaml-dev", d.framework.evidence));
  d.runtime_packages.push_back(found("libyaml-0-2", d.framework.evidence));
  static const std::regex git_source(R"re((?:^|\n)\s*gem\s[^\n]*\b(git|github):)re");
  if (auto git = project.search({project.path("Gemfile")}, git_source)) {
    d.build_packages.push_back(found("git", git->evidence));
  }
  bool assets = false;
  for (std::string_view gem :
       {"sprockets-rails", "propshaft", "importmap-rails", "jsbundling-rails", "cssbundling-rails",
        "tailwindcss-rails", "dartsass-rails"}) {
    assets = assets || find_package(d.packages, gem) != nullptr;
  }
  if (assets || !project.snapshot().files_under(project.path("app/assets"), "").empty()) {
    d.build_steps.push_back(
        convention("SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile",
                   "Rails compiles its assets at build time"));
  }
}

}  // namespace

std::optional<Detection> detect_ruby(const ProjectFolder& project) {
  if (!project.has("Gemfile")) return std::nullopt;
  Detection d;
  d.type = "ruby";
  d.language = found("ruby", project.file_evidence("Gemfile"));
  static const std::regex version(R"((\d\.\d+)(?:\.\d+)?)");
  auto pinned = project.search({project.path(".ruby-version")}, version);
  if (!pinned)
    pinned = project.search({project.path("Gemfile")}, std::regex(R"re(ruby\s+["'](\d\.\d+))re"));
  d.runtime_version = pinned.value_or(convention("3.3", "no Ruby version pinned"));
  d.package_manager = found("bundler", project.file_evidence("Gemfile"));
  d.packages = project.packages("Gemfile");
  d.framework = framework_from(d.packages, {{"rails", "rails"}, {"sinatra", "sinatra"}})
                    .value_or(unknown("neither rails nor sinatra in the Gemfile"));
  d.build_steps = {convention(
      "bundle config set --local without 'development test' && bundle install", "Gemfile")};
  if (d.framework.value == "rails") rails_build(project, d);
  const std::string& framework = d.framework.value;
  std::vector<std::string> files = project.sources(".rb");
  static const std::vector<std::regex> ports = {std::regex(R"(set\s+:port,\s*(\d{2,5}))"),
                                                std::regex(R"(port\s+ENV.*?(\d{4,5}))")};
  Fact fallback = framework == "rails"     ? convention("3000", "rails server's default port")
                  : framework == "sinatra" ? convention("4567", "Sinatra's default port")
                                           : unknown("no port in the Ruby sources");
  d.port = port_from(project, files, ports, fallback);
  uint16_t port = d.port_number();
  if (framework == "rails") {
    d.start_command =
        found(fmt::format("bin/rails server -b 0.0.0.0 -p {}", port), d.framework.evidence);
  } else if (project.has("config.ru")) {
    d.start_command = found(fmt::format("bundle exec rackup -o 0.0.0.0 -p {}", port),
                            project.file_evidence("config.ru"));
  } else if (auto app = project.search(files, std::regex(R"re(require\s+["'](sinatra)["'])re"))) {
    d.start_command = found(fmt::format("bundle exec ruby {} -o 0.0.0.0 -p {}",
                                        project.relative(app->evidence.file), port),
                            app->evidence);
  } else {
    d.start_command = unknown("no config.ru and no file requiring sinatra");
  }
  return d;
}

}  // namespace fusion
