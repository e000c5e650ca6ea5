// Detection on the fixture projects under tests/fixtures/detect: every type the issue names,
// read from real manifests, with the evidence (file:line) of the facts that came from files.

#include "detect/detect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fusion {
namespace {

using ::testing::ElementsAreArray;

const std::string kFixtures = std::string(FUSION_SOURCE_DIR) + "/tests/fixtures/detect/";

struct Expected {
  std::string fixture, type, language, framework, framework_at, manager, port, port_at, start;
  std::vector<std::string> needs;

  friend void PrintTo(const Expected& e, std::ostream* os) { *os << e.fixture; }
};

std::vector<std::string> need_names(const Detection& d) {
  std::vector<std::string> names;
  for (const BackingNeed& n : d.needs) names.push_back(n.service);
  return names;
}

class FixtureTest : public ::testing::TestWithParam<Expected> {};

TEST_P(FixtureTest, DetectsTypeFrameworkManagerPortStartAndNeeds) {
  const Expected& e = GetParam();
  auto snapshot = load_snapshot(kFixtures + e.fixture);
  ASSERT_TRUE(snapshot) << snapshot.error();
  std::vector<Detection> found = detect_projects(*snapshot, e.fixture);
  ASSERT_EQ(found.size(), 1u);
  const Detection& d = found[0];
  EXPECT_EQ(d.folder, "");
  EXPECT_EQ(d.type, e.type);
  EXPECT_EQ(d.language.value, e.language);
  EXPECT_EQ(d.framework.value, e.framework);
  EXPECT_EQ(d.framework.evidence.where(), e.framework_at);
  EXPECT_EQ(d.package_manager.value, e.manager);
  EXPECT_EQ(d.port.value, e.port);
  EXPECT_EQ(d.port.evidence.where(), e.port_at) << d.port.evidence.text;
  EXPECT_EQ(d.start_command.value, e.start);
  EXPECT_THAT(need_names(d), ElementsAreArray(e.needs));
  EXPECT_FALSE(d.build_steps.empty() && d.type != "static");
}

// Ports with an empty "at" are conventions (the framework's default), not read from a file.
INSTANTIATE_TEST_SUITE_P(
    Fixtures, FixtureTest,
    ::testing::Values(Expected{"python-fastapi",
                               "python",
                               "python",
                               "fastapi",
                               "pyproject.toml:9",
                               "poetry",
                               "8000",
                               "",
                               "uvicorn app.main:app --host 0.0.0.0 --port 8000",
                               {"postgres", "redis"}},
                      Expected{"python-flask",
                               "python",
                               "python",
                               "flask",
                               "requirements.txt:2",
                               "pip",
                               "5001",
                               "wsgi.py:14",
                               "gunicorn --bind 0.0.0.0:5001 wsgi:application",
                               {"postgres"}},
                      Expected{"python-django",
                               "python",
                               "python",
                               "django",
                               "pyproject.toml:6",
                               "uv",
                               "8000",
                               "",
                               "gunicorn --bind 0.0.0.0:8000 shop.wsgi",
                               {"postgres", "redis"}},
                      Expected{"python-pipenv",
                               "python",
                               "python",
                               "fastapi",
                               "Pipfile:7",
                               "pipenv",
                               "8100",
                               "service.py:7",
                               "uvicorn service:api --host 0.0.0.0 --port 8100",
                               {"rabbitmq"}},
                      Expected{"node-express",
                               "node",
                               "javascript",
                               "express",
                               "package.json:14",
                               "npm",
                               "4000",
                               "src/server.js:6",
                               "node src/server.js",
                               {"postgres", "kafka"}},
                      Expected{"node-nestjs",
                               "node",
                               "typescript",
                               "nestjs",
                               "package.json:11",
                               "pnpm",
                               "3100",
                               "src/main.ts:6",
                               "node dist/main.js",
                               {"redis"}},
                      Expected{"node-fastify",
                               "node",
                               "javascript",
                               "fastify",
                               "package.json:9",
                               "yarn",
                               "3300",
                               "index.js:5",
                               "node index.js",
                               {"mongo"}},
                      Expected{"node-nextjs",
                               "node",
                               "javascript",
                               "nextjs",
                               "package.json:11",
                               "npm",
                               "3000",
                               "",
                               "npm run start",
                               {}},
                      Expected{"node-vite-react",
                               "node-static",
                               "javascript",
                               "vite",
                               "package.json:17",
                               "npm",
                               "8080",
                               "",
                               "httpd -f -p 8080 -h /www",
                               {}},
                      Expected{"go-nethttp",
                               "go",
                               "go",
                               "net/http",
                               "cmd/api/main.go:5",
                               "go modules",
                               "8081",
                               "cmd/api/main.go:13",
                               "/app/server",
                               {"postgres", "kafka"}},
                      Expected{"go-gin",
                               "go",
                               "go",
                               "gin",
                               "go.mod:5",
                               "go modules",
                               "8080",
                               "",
                               "/app/server",
                               {"redis"}},
                      Expected{"go-echo",
                               "go",
                               "go",
                               "echo",
                               "go.mod:6",
                               "go modules",
                               "1323",
                               "server.go:12",
                               "/app/server",
                               {"rabbitmq"}},
                      Expected{"rust-axum",
                               "rust",
                               "rust",
                               "axum",
                               "Cargo.toml:8",
                               "cargo",
                               "7000",
                               "src/main.rs:6",
                               "/app/ledger",
                               {"postgres"}},
                      Expected{"rust-actix",
                               "rust",
                               "rust",
                               "actix-web",
                               "Cargo.toml:7",
                               "cargo",
                               "8090",
                               "src/main.rs:11",
                               "/app/media-api",
                               {"redis"}},
                      Expected{"java-spring-maven",
                               "java-maven",
                               "java",
                               "spring-boot",
                               "pom.xml:20",
                               "maven",
                               "8082",
                               "src/main/resources/application.properties:2",
                               "java -jar /app/app.jar",
                               {"postgres"}},
                      Expected{"java-spring-gradle",
                               "java-gradle",
                               "java",
                               "spring-boot",
                               "build.gradle:21",
                               "gradle",
                               "8080",
                               "",
                               "java -jar /app/app.jar",
                               {"kafka"}},
                      Expected{"ruby-rails",
                               "ruby",
                               "ruby",
                               "rails",
                               "Gemfile:5",
                               "bundler",
                               "3000",
                               "",
                               "bin/rails server -b 0.0.0.0 -p 3000",
                               {"postgres", "redis"}},
                      Expected{"ruby-sinatra",
                               "ruby",
                               "ruby",
                               "sinatra",
                               "Gemfile:3",
                               "bundler",
                               "4600",
                               "app.rb:4",
                               "bundle exec ruby app.rb -o 0.0.0.0 -p 4600",
                               {}},
                      Expected{"dotnet-aspnet",
                               "dotnet",
                               "c#",
                               "aspnetcore",
                               "Shipping.Api.csproj:1",
                               "nuget",
                               "8080",
                               "",
                               "dotnet Shipping.Api.dll",
                               {"postgres", "redis"}},
                      Expected{"static-site",
                               "static",
                               "html",
                               "static files",
                               "",
                               "none",
                               "8080",
                               "",
                               "httpd -f -p 8080 -h /www",
                               {}}),
    [](const ::testing::TestParamInfo<Expected>& param) {
      std::string name = param.param.fixture;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

TEST(DetectTest, RuntimeVersionsComeFromTheFilesThatPinThem) {
  auto version = [](const std::string& fixture) {
    auto snapshot = load_snapshot(kFixtures + fixture);
    return detect_projects(*snapshot, fixture).at(0).runtime_version;
  };
  EXPECT_EQ(version("python-django").value, "3.12");
  EXPECT_EQ(version("python-django").evidence.where(), "pyproject.toml:4");
  EXPECT_EQ(version("node-nextjs").evidence.where(), ".nvmrc:1");
  EXPECT_EQ(version("go-gin").value, "1.23");
  EXPECT_EQ(version("java-spring-maven").value, "17");
  EXPECT_EQ(version("java-spring-gradle").value, "21");
  EXPECT_EQ(version("ruby-sinatra").value, "3.2");
  EXPECT_EQ(version("dotnet-aspnet").value, "8.0");
  EXPECT_EQ(version("rust-axum").value, "1.80");
  EXPECT_TRUE(version("python-flask").evidence.file.empty());  // a default, and says so
}

TEST(DetectTest, MonorepoReportsEachServiceAndRespectsItsDockerfile) {
  auto snapshot = load_snapshot(kFixtures + "monorepo");
  ASSERT_TRUE(snapshot) << snapshot.error();
  std::vector<Detection> found = detect_projects(*snapshot, "monorepo");
  std::vector<std::string> folders;
  for (const Detection& d : found) folders.push_back(d.folder + "=" + d.type);
  EXPECT_THAT(folders, ElementsAreArray({"docs=static", "services/api=python",
                                         "services/web=node-static", "services/worker=go"}));
  const Detection& api = found[1];
  EXPECT_EQ(api.name, "api");
  EXPECT_EQ(api.framework.value, "fastapi");
  EXPECT_EQ(api.start_command.value, "uvicorn api.server:service --host 0.0.0.0 --port 9000");
  EXPECT_EQ(api.start_command.evidence.where(), "services/api/Dockerfile:8");
  ASSERT_TRUE(api.dockerfile);
  EXPECT_EQ(api.port.value, "9000");
  EXPECT_EQ(api.port.evidence.where(), "services/api/Dockerfile:6");
  ASSERT_TRUE(api.dockerfile->healthcheck);
  EXPECT_EQ(api.dockerfile->healthcheck->evidence.where(), "services/api/Dockerfile:7");
  EXPECT_EQ(found[3].port.value, "9100");
  EXPECT_EQ(found[3].port.evidence.where(), "services/worker/main.go:10");
}

TEST(DetectTest, UnknownProjectSaysWhatItLookedFor) {
  auto snapshot = load_snapshot(kFixtures + "unknown-project");
  std::vector<Detection> found = detect_projects(*snapshot, "unknown-project");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0].recognised());
  ASSERT_FALSE(found[0].notes.empty());
  EXPECT_THAT(found[0].notes[0], ::testing::HasSubstr("no package.json, pyproject.toml"));
}

TEST(DetectTest, FrameworkUnknownIsReportedNotGuessed) {
  SourceSnapshot snapshot;
  snapshot.add("requirements.txt", "requests==2.32.3\n");
  snapshot.add("main.py", "print('hello')\n");
  Detection d = detect_projects(snapshot, "tool").at(0);
  EXPECT_EQ(d.type, "python");
  EXPECT_FALSE(d.framework.known());
  EXPECT_THAT(d.framework.evidence.text, ::testing::HasSubstr("none of fastapi, django or flask"));
  EXPECT_FALSE(d.port.known());
  EXPECT_FALSE(d.start_command.known());
}

TEST(DetectTest, ServiceNamesAreDnsLabels) {
  EXPECT_EQ(service_name_for("Shipping.Api"), "shipping-api");
  EXPECT_EQ(service_name_for("my_service__v2"), "my-service-v2");
  EXPECT_EQ(service_name_for("..."), "app");
  EXPECT_EQ(service_name_for(std::string(62, 'a') + "-b"), std::string(62, 'a'));  // no '-' end
}

}  // namespace
}  // namespace fusion
