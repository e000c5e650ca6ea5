#include "runtime/dockerignore.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(DockerIgnoreTest, PatternsAreAnchoredAtTheContextRoot) {
  DockerIgnore ignore = DockerIgnore::parse("# comment\n*.log\n/tmp\nbuild/\n");
  EXPECT_TRUE(ignore.excluded("app.log"));
  EXPECT_FALSE(ignore.excluded("src/app.log"));  // `*.log` is top-level only
  EXPECT_TRUE(ignore.excluded("tmp"));
  EXPECT_TRUE(ignore.excluded("tmp/x/y"));  // below an excluded folder
  EXPECT_TRUE(ignore.excluded("build/out.o"));
  EXPECT_FALSE(ignore.excluded("src/build.c"));
}

TEST(DockerIgnoreTest, DoubleStarCrossesFolders) {
  DockerIgnore ignore = DockerIgnore::parse("**/*.pyc\nnode_modules\ndocs/**/draft-*\n");
  EXPECT_TRUE(ignore.excluded("a.pyc"));
  EXPECT_TRUE(ignore.excluded("pkg/sub/a.pyc"));
  EXPECT_TRUE(ignore.excluded("node_modules/left-pad/index.js"));
  EXPECT_FALSE(ignore.excluded("web/node_modules/x"));
  EXPECT_TRUE(ignore.excluded("docs/draft-1.md"));
  EXPECT_TRUE(ignore.excluded("docs/a/b/draft-2.md"));
  EXPECT_FALSE(ignore.excluded("docs/a/final.md"));
}

TEST(DockerIgnoreTest, TheLastMatchingRuleWinsAndExceptionsReinclude) {
  DockerIgnore ignore = DockerIgnore::parse("*.md\n!README.md\nREADME*.md\n!README-keep.md\n");
  EXPECT_TRUE(ignore.has_exceptions());
  EXPECT_TRUE(ignore.excluded("CHANGES.md"));
  EXPECT_TRUE(ignore.excluded("README.md"));  // `README*.md` comes after `!README.md`
  EXPECT_FALSE(ignore.excluded("README-keep.md"));
}

TEST(DockerIgnoreTest, WildcardsClassesAndEscapes) {
  DockerIgnore ignore = DockerIgnore::parse("file?.txt\n[a-c]*.bin\n\\*literal\nlog[!0-9]\n");
  EXPECT_TRUE(ignore.excluded("file1.txt"));
  EXPECT_FALSE(ignore.excluded("file10.txt"));
  EXPECT_TRUE(ignore.excluded("b-data.bin"));
  EXPECT_FALSE(ignore.excluded("d-data.bin"));
  EXPECT_TRUE(ignore.excluded("*literal"));
  EXPECT_FALSE(ignore.excluded("xliteral"));
  EXPECT_TRUE(ignore.excluded("logx"));
  EXPECT_FALSE(ignore.excluded("log1"));
}

TEST(DockerIgnoreTest, EmptyAndDotPatternsExcludeNothing) {
  DockerIgnore ignore = DockerIgnore::parse("\n   \n.\n./\n");
  EXPECT_FALSE(ignore.excluded("anything"));
}

}  // namespace
}  // namespace fusion
