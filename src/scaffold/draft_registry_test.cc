#include "scaffold/draft_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/session.h"
#include "detect/detect.h"

namespace fusion {
namespace {

using ::testing::HasSubstr;

const std::string kFixtures = std::string(FUSION_SOURCE_DIR) + "/tests/fixtures/detect/";

Draft draft_of(const std::string& fixture) {
  auto snapshot = load_snapshot(kFixtures + fixture);
  return draft_registry({fixture, detect_projects(*snapshot, fixture), {}});
}

bool validates(const std::string& text, std::string& diagnostics) {
  CheckedRegistry checked;
  checked.path = "fusion.yaml";
  check_registry_text(checked, text, nullptr, {});
  for (const auto& d : checked.diagnostics.items()) diagnostics += d.message + "\n";
  return !checked.diagnostics.has_errors();
}

TEST(DraftRegistryTest, EveryFixtureDraftValidates) {
  for (const char* fixture : {"python-fastapi", "python-flask", "python-django", "node-express",
                              "node-nestjs", "node-vite-react", "go-nethttp", "go-echo",
                              "rust-axum", "java-spring-maven", "java-spring-gradle", "ruby-rails",
                              "dotnet-aspnet", "static-site", "monorepo", "unknown-project"}) {
    Draft draft = draft_of(fixture);
    std::string diagnostics;
    EXPECT_TRUE(validates(draft.text, diagnostics)) << fixture << ":\n"
                                                    << diagnostics << draft.text;
  }
}

TEST(DraftRegistryTest, SuggestsBackingServicesWithEvidenceAndTodos) {
  Draft draft = draft_of("go-nethttp");
  EXPECT_THAT(draft.text, HasSubstr("  go-nethttp:\n    path: .\n"));
  EXPECT_THAT(draft.text,
              HasSubstr("      postgres: healthy  # go.mod:6: github.com/jackc/pgx/v5 v5.7.1"));
  EXPECT_THAT(
      draft.text,
      HasSubstr("      DATABASE_URL: postgres://app:${secret:postgres-password}@postgres:5432/app  "
                "# TODO: the variable your code reads"));
  EXPECT_THAT(draft.text,
              HasSubstr("  postgres:\n    group: backing\n    image: postgres:16.11\n"));
  EXPECT_THAT(draft.text, HasSubstr("  kafka:\n"));
  EXPECT_THAT(draft.text, HasSubstr("volumes:\n  postgres-data: {}\n"));
  EXPECT_THAT(draft.text,
              HasSubstr("health: { http: /healthz, port: 8081 }  # cmd/api/main.go:10"));
  EXPECT_EQ(draft.services, 3u);
  EXPECT_EQ(draft.todos, 4u);  // two variable names, two suggested services
  EXPECT_EQ(draft.without_dockerfile, std::vector<std::string>{"go-nethttp"});
}

TEST(DraftRegistryTest, TwoDatabasesGetTwoVariablesAndControlCharactersStayOutOfComments) {
  SourceSnapshot snapshot;
  snapshot.add("requirements.txt", "fastapi\nasyncpg\npymysql  # caf\xe9 \x1b[0m\n");
  Draft draft = draft_registry({"app", detect_projects(snapshot, "app"), {}});
  EXPECT_THAT(draft.text, HasSubstr("      DATABASE_URL: postgres://"));
  EXPECT_THAT(draft.text, HasSubstr("      MYSQL_URL: mysql://"));
  EXPECT_THAT(draft.text, HasSubstr("# requirements.txt:3: pymysql  # caf? ?[0m"));
  std::string diagnostics;
  EXPECT_TRUE(validates(draft.text, diagnostics)) << diagnostics;
}

TEST(DraftRegistryTest, UnrecognisedFoldersAreListedNotDropped) {
  Draft draft = draft_of("unknown-project");
  EXPECT_THAT(draft.text, HasSubstr("services: {}\n"));
  EXPECT_THAT(draft.text, HasSubstr("# not recognised: .: no package.json"));
}

}  // namespace
}  // namespace fusion
