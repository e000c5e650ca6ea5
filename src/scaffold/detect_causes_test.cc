// One tiny tree per cause of issue 17 (tests/fixtures/detect-causes/): the exact detection, and
// the lines of the generated Dockerfile that decide whether it builds and starts.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detect/detect.h"
#include "detect/detection_report.h"
#include "scaffold/dockerfile.h"
#include "scaffold/draft_registry.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string kCauses = std::string(FUSION_SOURCE_DIR) + "/tests/fixtures/detect-causes/";

std::vector<Detection> detect(const std::string& fixture) {
  auto snapshot = load_snapshot(kCauses + fixture);
  EXPECT_TRUE(snapshot) << snapshot.error();
  return snapshot ? detect_projects(*snapshot, fixture) : std::vector<Detection>{};
}

Detection only(const std::string& fixture) {
  std::vector<Detection> found = detect(fixture);
  EXPECT_EQ(found.size(), 1u) << render_detections(found, true);
  return found.empty() ? Detection{} : found.front();
}

Service service_for(const Detection& d, bool http_health = true) {
  Service s;
  s.name.value = d.name;
  if (d.port_number() != 0) {
    s.ports.push_back(PortMapping{.host_ip = "",
                                  .host_port = 0,
                                  .container_port = d.port_number(),
                                  .protocol = Protocol::kTcp,
                                  .pos = {}});
  }
  if (http_health) {
    HealthCheck h;
    h.kind = HealthKind::kHttp;
    h.http_path = d.health_path.known() ? d.health_path.value : "/";
    s.health = h;
  }
  return s;
}

std::string dockerfile(const Detection& d) {
  auto scaffold = scaffold_dockerfile(d, service_for(d), Templates{});
  EXPECT_TRUE(scaffold) << scaffold.error();
  return scaffold ? scaffold->dockerfile : "";
}

std::vector<std::string> values(const std::vector<Fact>& facts) {
  std::vector<std::string> out;
  for (const Fact& f : facts) out.push_back(f.value);
  return out;
}

TEST(DetectCausesTest, ADjangoAppWithALintingPackageJsonIsPython) {
  Detection d = only("django-with-lint-package-json");
  EXPECT_EQ(d.type, "python");
  EXPECT_EQ(d.framework.value, "django");
  EXPECT_EQ(d.start_command.value, "gunicorn --bind 0.0.0.0:8000 site.wsgi");
  ASSERT_EQ(d.candidates.size(), 2u);
  EXPECT_EQ(d.candidates[0].type, "python");
  EXPECT_EQ(d.candidates[1].type, "node");
  EXPECT_GT(d.candidates[0].score, d.candidates[1].score);
  EXPECT_THAT(d.candidates[0].reasons, ElementsAre("+1 manifest (requirements.txt)",
                                                   "+4 framework django (requirements.txt:1)",
                                                   "+2 entry point (site/wsgi.py:1)"));
  EXPECT_THAT(render_detections({d}), HasSubstr("chosen           python (score 7) over node (2)"));
}

TEST(DetectCausesTest, AOneLinePackageJsonKeepsItsDependencies) {
  Detection d = only("next-compact-json");
  EXPECT_EQ(d.framework.value, "nextjs");
  EXPECT_EQ(d.framework.evidence.where(), "package.json:1");
  EXPECT_EQ(d.start_command.value, "npm run start");
}

TEST(DetectCausesTest, BunLockIsBunWithItsOwnInstallAndPrune) {
  Detection d = only("bun-lock");
  EXPECT_EQ(d.package_manager.value, "bun");
  EXPECT_EQ(d.package_manager.evidence.where(), "bun.lock");
  EXPECT_EQ(d.start_command.value, "node src/index.js");
  EXPECT_EQ(d.port.value, "3200");
  EXPECT_EQ(d.health_path.value, "/api/health");
  std::string text = dockerfile(d);
  EXPECT_THAT(text, HasSubstr("RUN npm install -g bun@1.2.23 && bun install --frozen-lockfile\n"));
  EXPECT_THAT(text,
              HasSubstr("RUN rm -rf node_modules && bun install --frozen-lockfile --production\n"));
  EXPECT_THAT(text, Not(HasSubstr("npm prune")));
}

TEST(DetectCausesTest, APnpmWorkspaceMemberBuildsFromTheRootAndItsLibraryIsNoService) {
  std::vector<Detection> found = detect("pnpm-workspace");
  ASSERT_EQ(found.size(), 2u) << render_detections(found, true);
  const Detection& api = found[0];
  const Detection& shared = found[1];
  EXPECT_EQ(api.folder, "apps/api");
  EXPECT_TRUE(api.service());
  EXPECT_EQ(api.framework.value, "fastify");
  EXPECT_EQ(api.package_manager.value, "pnpm");
  EXPECT_EQ(api.package_manager.evidence.where(), "pnpm-lock.yaml");
  EXPECT_EQ(api.start_command.value, "node dist/main.js");
  EXPECT_EQ(api.port.value, "4100");
  ASSERT_TRUE(api.workspace);
  EXPECT_EQ(api.workspace->kind, "pnpm");
  EXPECT_EQ(api.workspace->member, "apps/api");
  EXPECT_EQ(shared.folder, "packages/shared");
  EXPECT_TRUE(shared.library);

  std::string text = dockerfile(api);
  EXPECT_THAT(text, HasSubstr("WORKDIR /app\nCOPY . .\nRUN corepack enable && pnpm install "
                              "--frozen-lockfile\n"));
  EXPECT_THAT(text, HasSubstr("WORKDIR /app/apps/api\nRUN pnpm run build\n"));
  EXPECT_THAT(text, HasSubstr("RUN pnpm prune --prod --ignore-scripts\n"));
  EXPECT_THAT(text, HasSubstr("WORKDIR /app/apps/api\n# The official"));
  EXPECT_THAT(text, HasSubstr("CMD [\"node\",\"dist/main.js\"]"));
  EXPECT_THAT(text, Not(HasSubstr("RUN npm prune")));

  Draft draft = draft_registry({"mono", found, {}});
  EXPECT_THAT(draft.text, HasSubstr("  api:\n    path: apps/api\n    build: { context: ../.., "
                                    "dockerfile: apps/api/Dockerfile }"));
  EXPECT_THAT(draft.text, Not(HasSubstr("  shared:")));
  EXPECT_THAT(draft.text, HasSubstr("# a library, not a service: packages/shared"));
}

TEST(DetectCausesTest, AUvWorkspaceMemberSyncsItsPackageFromTheRootLock) {
  std::vector<Detection> found = detect("uv-workspace");
  ASSERT_EQ(found.size(), 2u) << render_detections(found, true);
  const Detection& common = found[0];
  const Detection& api = found[1];
  EXPECT_TRUE(common.library);
  EXPECT_EQ(api.folder, "services/api");
  EXPECT_EQ(api.package_manager.evidence.where(), "uv.lock");
  EXPECT_EQ(api.start_command.value, "uvicorn api.main:app --host 0.0.0.0 --port 8000");
  EXPECT_EQ(api.health_path.value, "/health-check/");
  std::string text = dockerfile(api);
  EXPECT_THAT(text,
              HasSubstr("RUN pip install uv==0.5.11 && uv sync --frozen --no-dev --package api\n"));
  EXPECT_THAT(text, HasSubstr("WORKDIR /app/services/api\n"));
}

TEST(DetectCausesTest, AFlaskAppFactoryIsCalledAndAClientPortIsNotTheServicePort) {
  Detection d = only("flask-factory");
  EXPECT_EQ(d.port.value, "5000");
  EXPECT_EQ(d.port.evidence.where(), "");
  EXPECT_EQ(d.start_command.value, "gunicorn --bind 0.0.0.0:5000 'app:create_app()'");
  EXPECT_EQ(d.health_path.value, "/ping");
  EXPECT_THAT(dockerfile(d),
              HasSubstr("CMD [\"gunicorn\",\"--bind\",\"0.0.0.0:5000\",\"app:create_app()\"]"));
}

TEST(DetectCausesTest, TheProcfilesWebProcessIsTheStartCommandAndPort) {
  Detection d = only("procfile-python");
  EXPECT_EQ(d.start_command.value, "uvicorn service.app:api --host 0.0.0.0 --port 7000");
  EXPECT_EQ(d.start_command.evidence.where(), "Procfile:2");
  EXPECT_EQ(d.port.value, "7000");
  EXPECT_EQ(d.port.evidence.where(), "Procfile:2");
}

TEST(DetectCausesTest, AStartScriptThatRunsADevToolGivesWayToStartProd) {
  Detection d = only("node-dev-start");
  EXPECT_EQ(d.start_command.value, "node src/server.js");
  EXPECT_EQ(d.start_command.evidence.where(), "package.json:5");
  std::string text = dockerfile(d);
  EXPECT_THAT(text, HasSubstr("RUN yarn install --frozen-lockfile\n"));
  EXPECT_THAT(text, HasSubstr("RUN yarn install --frozen-lockfile --production"));
}

TEST(DetectCausesTest, AGoPortFromTheConfigBeatsTheFrameworkDefaultAndIndirectModulesNeedNothing) {
  Detection d = only("go-config-port");
  EXPECT_EQ(d.framework.value, "gin");
  EXPECT_EQ(d.port.value, "9090");
  EXPECT_EQ(d.port.evidence.where(), "config.yaml:2");
  EXPECT_THAT(d.needs, IsEmpty());
  EXPECT_EQ(d.health_path.value, "/livez");
}

TEST(DetectCausesTest, RailsHealthRouteSystemPackagesAndAssets) {
  Detection d = only("rails-up");
  EXPECT_EQ(d.health_path.value, "/up");
  EXPECT_EQ(d.health_path.evidence.where(), "config/routes.rb:2");
  EXPECT_THAT(values(d.build_packages), ElementsAre("libyaml-dev", "git"));
  std::string text = dockerfile(d);
  EXPECT_THAT(text, HasSubstr("build-essential libyaml-dev git libpq-dev "));
  EXPECT_THAT(text, HasSubstr("install -y --no-install-recommends libyaml-0-2 libpq5 "));
  EXPECT_THAT(text, HasSubstr("RUN SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile\n"));
}

TEST(DetectCausesTest, RustWithOpenSslGetsItsHeadersAndANewerToolchain) {
  Detection d = only("rust-openssl");
  EXPECT_THAT(values(d.build_packages), ElementsAre("pkg-config", "libssl-dev"));
  EXPECT_EQ(d.build_packages[0].evidence.where(), "Cargo.toml:9");
  std::string text = dockerfile(d);
  EXPECT_THAT(text, HasSubstr("FROM rust:1.91.0-slim-bookworm AS build\n"));
  EXPECT_THAT(text, HasSubstr("install -y --no-install-recommends pkg-config libssl-dev "));
  EXPECT_THAT(text, HasSubstr("install -y --no-install-recommends libssl3 ca-certificates "));
}

TEST(DetectCausesTest, PrismaNamesItsDatabase) {
  Detection d = only("node-prisma");
  ASSERT_EQ(d.needs.size(), 1u);
  EXPECT_EQ(d.needs[0].service, "postgres");
  EXPECT_EQ(d.needs[0].evidence.where(), "prisma/schema.prisma:6");
}

TEST(DetectCausesTest, VitesConfiguredOutDirIsServed) {
  Detection d = only("vite-outdir");
  EXPECT_EQ(d.type, "node-static");
  EXPECT_EQ(d.served_folder, "public_html");
  EXPECT_THAT(dockerfile(d), HasSubstr("COPY --from=build /app/public_html /www\n"));
}

TEST(DetectCausesTest, DotnetTenIsBuiltWithTheTenSdk) {
  Detection d = only("dotnet-10");
  EXPECT_EQ(d.runtime_version.value, "10.0");
  EXPECT_EQ(d.health_path.value, "/healthz");
  std::string text = dockerfile(d);
  EXPECT_THAT(text, HasSubstr("FROM mcr.microsoft.com/dotnet/sdk:10.0.100 AS build\n"));
  EXPECT_THAT(text, HasSubstr("FROM mcr.microsoft.com/dotnet/aspnet:10.0.0\n"));
}

TEST(DetectCausesTest, APythonFusionHasNoImageForIsAnErrorNotADowngrade) {
  Detection d = only("python-too-new");
  auto scaffold = scaffold_dockerfile(d, service_for(d), Templates{});
  ASSERT_FALSE(scaffold);
  EXPECT_EQ(scaffold.error(),
            ".python-version:1: the project asks for python 3.15, and fusion pins base images "
            "only for python (3.11, 3.12, 3.13, 3.14); set the version the project builds with, "
            "or write the Dockerfile by hand");
}

TEST(DetectCausesTest, NoPortNoExpose) {
  Detection d = only("node-worker-no-port");
  EXPECT_FALSE(d.port.known());
  auto scaffold = scaffold_dockerfile(d, service_for(d, false), Templates{});
  ASSERT_TRUE(scaffold) << scaffold.error();
  EXPECT_THAT(scaffold->dockerfile, Not(HasSubstr("EXPOSE")));
  EXPECT_THAT(scaffold->dockerfile, Not(HasSubstr("PORT=")));
}

TEST(DetectCausesTest, GoWithoutModulesBuildsItsFiles) {
  Detection d = only("go-no-modules");
  EXPECT_EQ(d.type, "go");
  EXPECT_EQ(d.framework.value, "net/http");
  EXPECT_EQ(d.port.value, "8081");
  EXPECT_EQ(d.health_path.value, "/healthz");
  std::string text = dockerfile(d);
  EXPECT_THAT(text, Not(HasSubstr("go.mod")));
  EXPECT_THAT(text, HasSubstr("-o /out/server $(ls *.go | grep -v '_test\\.go$')\n"));
}

TEST(DetectCausesTest, ACargoWorkspaceBuildsItsBinaryAndLeavesItsLibraryOut) {
  std::vector<Detection> found = detect("cargo-workspace");
  ASSERT_EQ(found.size(), 2u) << render_detections(found, true);
  EXPECT_TRUE(found[0].library);
  EXPECT_EQ(found[0].folder, "crates/core-lib");
  EXPECT_EQ(found[1].folder, "crates/server");
  EXPECT_EQ(found[1].build_steps.at(0).value, "cargo build --release --locked --bin server");
  EXPECT_EQ(found[1].port.value, "8090");
}

/// `generate dockerfile` then `init --force`: fusion's own HEALTHCHECK is not the sources' word.
TEST(DetectCausesTest, InitAfterGenerateKeepsTheHealthCheckTheSourcesShow) {
  const std::string fusions =
      "# Generated by `fusion generate dockerfile` for service 'api' (node, express).\n"
      "FROM node:22.12.0-bookworm-slim\n"
      "HEALTHCHECK --interval=2s CMD [\"wget\",\"-q\",\"-O\",\"/dev/null\","
      "\"http://127.0.0.1:4000/status/health\"]\nCMD [\"node\",\"server.js\"]\n";
  SourceSnapshot snapshot;
  snapshot.add("package.json", R"({"main":"server.js","dependencies":{"express":"4"}})");
  snapshot.add("server.js", "app.get('/healthz', ok);\napp.listen(4000);\n");
  snapshot.add("Dockerfile", fusions);
  Detection d = detect_projects(snapshot, "api").at(0);
  ASSERT_TRUE(d.dockerfile);
  EXPECT_TRUE(d.dockerfile->by_fusion);
  Draft draft = draft_registry({"stack", {d}, {}});
  EXPECT_THAT(draft.text, HasSubstr("    health: { http: /healthz, port: 4000 }  # server.js:1"));
  EXPECT_THAT(draft.text, Not(HasSubstr("container: true")));

  snapshot.add("server.js", "app.listen(4000);\n");  // no route: fusion's own path is kept
  d = detect_projects(snapshot, "api").at(0);
  draft = draft_registry({"stack", {d}, {}});
  EXPECT_THAT(draft.text,
              HasSubstr("    health: { http: /status/health, port: 4000 }  # Dockerfile:3"));

  snapshot.add("Dockerfile", fusions.substr(fusions.find('\n') + 1));  // the user's own now
  d = detect_projects(snapshot, "api").at(0);
  draft = draft_registry({"stack", {d}, {}});
  EXPECT_THAT(draft.text, HasSubstr("    health: { container: true }"));
}

TEST(DetectCausesTest, MinimumVersionsTakeTheDefaultOrTheOldestNewerPin) {
  Detection d;
  d.type = "go";
  d.runtime_minimum = true;
  d.runtime_version = found("1.24", Evidence{"go.mod", 3, "go 1.24"});
  d.start_command = convention("/app/server", "");
  d.build_steps = {convention("go mod download", ""), convention("go build", "")};
  d.name = "api";
  EXPECT_THAT(dockerfile(d), HasSubstr("FROM golang:1.24.9-bookworm AS build"));
  d.runtime_version.value = "1.21";
  EXPECT_THAT(dockerfile(d), HasSubstr("FROM golang:1.23.4-bookworm AS build"));
  d.runtime_version.value = "1.26";
  auto scaffold = scaffold_dockerfile(d, service_for(d), Templates{});
  ASSERT_FALSE(scaffold);
  EXPECT_THAT(scaffold.error(), HasSubstr("go.mod:3: the project asks for go 1.26 or newer"));
}

}  // namespace
}  // namespace fusion
