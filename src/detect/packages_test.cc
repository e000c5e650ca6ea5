#include "detect/packages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fusion {
namespace {

std::vector<std::string> names_and_lines(const std::string& file, const std::string& text) {
  SourceSnapshot snapshot;
  snapshot.add(file, text);
  std::vector<std::string> out;
  for (const Package& p : read_packages(snapshot, file)) {
    out.push_back(p.name + "@" + std::to_string(p.evidence.line));
  }
  return out;
}

using ::testing::ElementsAre;

TEST(PackagesTest, RequirementsTxtNormalisesNamesAndSkipsOptions) {
  EXPECT_THAT(names_and_lines(
                  "requirements.txt",
                  "# web\nFlask==3.1.0\n-r base.txt\n\npsycopg[binary]>=3 ; python_version>'3'\n"
                  "Django_Extensions\n"),
              ElementsAre("flask@2", "psycopg@5", "django-extensions@6"));
}

TEST(PackagesTest, PyprojectReadsPep621ArraysAndPoetryTables) {
  EXPECT_THAT(
      names_and_lines("pyproject.toml",
                      "[project]\nname = \"x\"\ndependencies = [\n  \"fastapi[all]>=0.1\",\n"
                      "  \"redis\",\n]\n[tool.poetry.dependencies]\npython = \"^3.12\"\n"
                      "asyncpg = \"^0.30\"\n[tool.black]\nline-length = 100\n"),
      ElementsAre("fastapi@4", "redis@5", "asyncpg@9"));
  EXPECT_THAT(
      names_and_lines("pyproject.toml", "[project]\ndependencies = [\"a\", \"b[x]\"]\nc = 1\n"),
      ElementsAre("a@2", "b@2"));
}

TEST(PackagesTest, PackageJsonDependenciesAndDevDependencies) {
  EXPECT_THAT(names_and_lines("web/package.json",
                              "{\n  \"name\": \"web\",\n  \"scripts\": { \"build\": \"vite\" },\n"
                              "  \"dependencies\": {\n    \"react\": \"^18\"\n  },\n"
                              "  \"devDependencies\": {\n    \"vite\": \"^5\"\n  }\n}\n"),
              ElementsAre("react@5", "vite@8"));
}

TEST(PackagesTest, GoModRequireLinesAndBlocks) {
  EXPECT_THAT(names_and_lines("go.mod",
                              "module x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n"
                              "require (\n\tgithub.com/lib/pq v1.10.9\n\t// comment\n)\n"),
              ElementsAre("github.com/gin-gonic/gin@5", "github.com/lib/pq@7"));
}

TEST(PackagesTest, JavaRubyAndDotnetManifests) {
  EXPECT_THAT(names_and_lines("pom.xml",
                              "<project>\n<parent><artifactId>spring-boot-starter-parent"
                              "</artifactId></parent>\n<dependencyManagement><dependencies>"
                              "<dependency><artifactId>managed-only</artifactId></dependency>"
                              "</dependencies></dependencyManagement>\n<dependencies>\n"
                              "<dependency>\n  <artifactId>postgresql</artifactId>\n</dependency>"
                              "\n</dependencies>\n</project>\n"),
              ElementsAre("spring-boot-starter-parent@2", "postgresql@6"));
  EXPECT_THAT(names_and_lines(
                  "build.gradle",
                  "dependencies {\n  implementation 'org.springframework.kafka:spring-kafka'\n}\n"),
              ElementsAre("spring-kafka@2"));
  EXPECT_THAT(names_and_lines("Gemfile", "source \"x\"\ngem \"rails\", \"~> 7\"\n  gem 'pg'\n"),
              ElementsAre("rails@2", "pg@3"));
  EXPECT_THAT(names_and_lines("A.csproj",
                              "<Project>\n<ItemGroup>\n<PackageReference Include=\"Npgsql\" "
                              "Version=\"8\" />\n</ItemGroup>\n</Project>\n"),
              ElementsAre("Npgsql@3"));
}

}  // namespace
}  // namespace fusion
