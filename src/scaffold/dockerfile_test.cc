// Generated Dockerfiles for every fixture type: what each must contain.

#include "scaffold/dockerfile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "detect/detect.h"

namespace fusion {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kFixtures = std::string(FUSION_SOURCE_DIR) + "/tests/fixtures/detect/";

Service http_service(const std::string& name, uint16_t port) {
  Service s;
  s.name.value = name;
  s.ports.push_back(PortMapping{.host_ip = "",
                                .host_port = 0,
                                .container_port = port,
                                .protocol = Protocol::kTcp,
                                .pos = {}});
  HealthCheck h;
  h.kind = HealthKind::kHttp;
  h.http_path = "/health";
  h.start_period = Duration(5000);
  s.health = h;
  return s;
}

std::vector<std::string> from_lines(const std::string& dockerfile) {
  std::vector<std::string> out;
  static const std::regex from(R"((?:^|\n)FROM (\S+))");
  for (std::sregex_iterator m(dockerfile.begin(), dockerfile.end(), from), end; m != end; ++m) {
    out.push_back((*m)[1].str());
  }
  return out;
}

class DockerfileFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(DockerfileFixtureTest, PinnedNonRootWithTheRegistrysHealthCheck) {
  auto snapshot = load_snapshot(kFixtures + GetParam());
  ASSERT_TRUE(snapshot);
  Detection d = detect_projects(*snapshot, GetParam()).at(0);
  Service service = http_service(d.name, d.port_number());
  auto scaffold = scaffold_dockerfile(d, service, Templates{});
  ASSERT_TRUE(scaffold) << scaffold.error();
  const std::string& text = scaffold->dockerfile;
  EXPECT_TRUE(scaffolded_by_fusion(text));
  std::vector<std::string> bases = from_lines(text);
  ASSERT_FALSE(bases.empty()) << text;
  for (const std::string& base : bases) {  // an exact version in every tag, never "latest"
    EXPECT_TRUE(std::regex_match(base, std::regex(R"([a-z0-9./\-]+:[0-9][0-9A-Za-z._\-]*)")))
        << base;
  }
  bool compiled = d.type != "static" && d.type != "python" && d.type != "ruby" && d.type != "node";
  if (compiled || d.type == "python") {
    EXPECT_GE(bases.size(), 2u) << "multi-stage";
  }
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\nUSER (10001|10001:10001|node|app)\n)")))
      << text;
  EXPECT_THAT(text, HasSubstr("EXPOSE " + d.port.value + "\n"));
  EXPECT_THAT(text, HasSubstr("HEALTHCHECK --interval=2s --timeout=2s --start-period=5s "
                              "--retries=30 CMD [\"wget\",\"-q\",\"-O\",\"/dev/null\","
                              "\"http://127.0.0.1:" +
                              d.port.value + "/health\"]"));
  EXPECT_THAT(text, HasSubstr("\nCMD [\""));
  EXPECT_THAT(text, Not(HasSubstr("{{")));
  EXPECT_THAT(scaffold->dockerignore, HasSubstr("**/.env"));
  EXPECT_TRUE(scaffolded_by_fusion(scaffold->dockerignore));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DockerfileFixtureTest,
                         ::testing::Values("python-fastapi", "python-flask", "python-django",
                                           "node-express", "node-nestjs", "node-vite-react",
                                           "go-nethttp", "go-gin", "rust-axum", "rust-actix",
                                           "java-spring-maven", "java-spring-gradle", "ruby-rails",
                                           "ruby-sinatra", "dotnet-aspnet", "static-site"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(DockerfileTest, TypeSpecificContent) {
  auto render = [](const std::string& fixture) {
    auto snapshot = load_snapshot(kFixtures + fixture);
    Detection d = detect_projects(*snapshot, fixture).at(0);
    return scaffold_dockerfile(d, http_service(d.name, d.port_number()), Templates{})
        .value()
        .dockerfile;
  };
  EXPECT_THAT(
      render("python-fastapi"),
      HasSubstr("CMD [\"uvicorn\",\"app.main:app\",\"--host\",\"0.0.0.0\",\"--port\",\"8000\"]"));
  // poetry's `python = "^3.11"` is a minimum: fusion's default 3.12 satisfies it.
  EXPECT_THAT(render("python-fastapi"), HasSubstr("FROM python:3.12.8-slim-bookworm AS build"));
  EXPECT_THAT(render("node-nestjs"), HasSubstr("CMD [\"node\",\"dist/main.js\"]"));
  EXPECT_THAT(render("node-nestjs"),
              HasSubstr("RUN corepack enable && pnpm install --frozen-lockfile"));
  EXPECT_THAT(render("rust-axum"),
              HasSubstr("COPY --from=build /src/target/release/ledger /app/ledger"));
  EXPECT_THAT(render("ruby-rails"), HasSubstr("build-essential libyaml-dev libpq-dev"));
  EXPECT_THAT(render("ruby-rails"),
              HasSubstr("install -y --no-install-recommends libyaml-0-2 libpq5"));
  EXPECT_THAT(render("java-spring-maven"), HasSubstr("FROM eclipse-temurin:17.0.13_11-jre"));
  EXPECT_THAT(render("dotnet-aspnet"), HasSubstr("CMD [\"dotnet\",\"Shipping.Api.dll\"]"));
  EXPECT_THAT(render("node-vite-react"), HasSubstr("COPY --from=build /app/dist /www"));
}

TEST(DockerfileTest, NoHealthCheckInTheRegistrySaysWhereToAddOne) {
  Service s;
  s.name.value = "api";
  EXPECT_THAT(healthcheck_instruction(s, 8080), HasSubstr("No health check in fusion.yaml"));
  HealthCheck h;
  h.kind = HealthKind::kExec;
  h.command = {"pg_isready", "-U", "app"};
  s.health = h;
  EXPECT_THAT(healthcheck_instruction(s, 0), HasSubstr("CMD [\"pg_isready\",\"-U\",\"app\"]"));
}

TEST(DockerfileTest, UnknownTypeIsAnError) {
  Detection unknown_project;
  auto scaffold = scaffold_dockerfile(unknown_project, Service{}, Templates{});
  ASSERT_FALSE(scaffold);
  EXPECT_THAT(scaffold.error(),
              HasSubstr("no Dockerfile template for a project of type 'unknown'"));
}

}  // namespace
}  // namespace fusion
