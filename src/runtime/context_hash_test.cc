#include "runtime/context_hash.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

#include "util/file.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ContextHashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("fusion-context-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    write("Dockerfile", "FROM scratch\nCOPY . /app\n");
    write("src/main.py", "print('hi')\n");
    write("src/util with space.py", "x = 1\n");
    write("notes.log", "noise\n");
    write(".dockerignore", "*.log\n");
  }
  void TearDown() override { fs::remove_all(root_); }

  /// Writes a file dated an hour ago, so the stat cache trusts it (see kRacyWindowNs).
  void write(const std::string& rel, const std::string& text, std::chrono::minutes age = 60min) {
    fs::create_directories((root_ / rel).parent_path());
    ASSERT_TRUE(write_file_atomically(root_ / rel, text));
    fs::last_write_time(root_ / rel, fs::file_time_type::clock::now() - age);
  }

  ContextDigest hash(const BuildInput& input) {
    auto result = hash_build_context(input, cache_);
    EXPECT_TRUE(result) << result.error();
    return result ? *result : ContextDigest{};
  }
  ContextDigest hash() { return hash({.context = root_, .dockerfile = "Dockerfile"}); }

  fs::path root_;
  StatCache cache_;
};

TEST_F(ContextHashTest, AnUnchangedTreeIsNotReadAgain) {
  ContextDigest first = hash();
  EXPECT_EQ(first.digest.size(), 32u);
  EXPECT_EQ(first.files, 4u);  // Dockerfile, .dockerignore, two sources; not notes.log
  EXPECT_EQ(first.files_read, 4u);
  ContextDigest second = hash();
  EXPECT_EQ(second.digest, first.digest);
  EXPECT_EQ(second.files_read, 0u);
}

TEST_F(ContextHashTest, AnEditChangesTheDigestAndATouchDoesNot) {
  std::string before = hash().digest;
  write("src/main.py", "print('ho')\n", 30min);  // same size, new time
  ContextDigest edited = hash();
  EXPECT_NE(edited.digest, before);
  EXPECT_EQ(edited.files_read, 1u);
  fs::last_write_time(root_ / "src/main.py", fs::file_time_type::clock::now() - 20min);
  ContextDigest touched = hash();
  EXPECT_EQ(touched.digest, edited.digest);
  EXPECT_EQ(touched.files_read, 1u);
}

TEST_F(ContextHashTest, IgnoredFilesDoNotCountButTheDockerfileAlwaysDoes) {
  std::string before = hash().digest;
  write("notes.log", "more noise\n", 10min);
  EXPECT_EQ(hash().digest, before);
  write(".dockerignore", "*.log\nDockerfile\n");
  std::string ignoring_dockerfile = hash().digest;
  write("Dockerfile", "FROM scratch\nCOPY . /srv\n", 10min);
  EXPECT_NE(hash().digest, ignoring_dockerfile);
}

TEST_F(ContextHashTest, ArgsTargetModeAndLinksCount) {
  std::string plain = hash().digest;
  EXPECT_NE(hash({.context = root_, .dockerfile = "Dockerfile", .target = "", .args = {{"V", "1"}}})
                .digest,
            plain);
  EXPECT_NE(hash({.context = root_, .dockerfile = "Dockerfile", .target = "dev"}).digest, plain);
  fs::permissions(root_ / "src/main.py", fs::perms::owner_exec, fs::perm_options::add);
  std::string executable = hash().digest;
  EXPECT_NE(executable, plain);
  fs::create_symlink("main.py", root_ / "src/link");
  std::string linked = hash().digest;
  EXPECT_NE(linked, executable);
  fs::remove(root_ / "src/link");
  fs::create_symlink("other.py", root_ / "src/link");
  EXPECT_NE(hash().digest, linked);
}

TEST_F(ContextHashTest, FilesWrittenJustNowAreReadAgainNextTime) {
  hash();
  write("src/main.py", "print('new')\n", 0min);
  EXPECT_EQ(hash().files_read, 1u);
  EXPECT_EQ(hash().files_read, 1u);  // still racy: not trusted from the cache
}

TEST_F(ContextHashTest, TheCacheSurvivesSaveAndLoad) {
  ContextDigest first = hash();
  ASSERT_TRUE(cache_.save(root_ / "cache/stat-cache"));
  StatCache loaded = StatCache::load(root_ / "cache/stat-cache");
  EXPECT_EQ(loaded.size(), 4u);
  cache_ = loaded;
  // The cache folder is inside the context here; .dockerignore it like a user would.
  write(".dockerignore", "*.log\ncache\n", 60min);
  ContextDigest again = hash();
  EXPECT_EQ(again.files_read, 1u);  // only the rewritten .dockerignore
  EXPECT_EQ(StatCache::load(root_ / "missing").size(), 0u);
}

TEST_F(ContextHashTest, AMissingContextOrDockerfileIsAnError) {
  StatCache cache;
  EXPECT_FALSE(hash_build_context({.context = root_ / "nope", .dockerfile = "Dockerfile"}, cache));
  EXPECT_FALSE(hash_build_context({.context = root_, .dockerfile = "Missing"}, cache));
}

}  // namespace
}  // namespace fusion
