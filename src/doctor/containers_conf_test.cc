#include "doctor/containers_conf.h"

#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(ReadContainersConf, TheBuildsOwnFile) {
  ContainersConf conf = read_containers_conf(
      "[containers]\n"
      "default_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n"
      "[engine]\n"
      "runtime = \"runc\"\n"
      "events_logger = \"file\"\n"
      "[network]\n"
      "network_backend = \"netavark\"\n");
  ASSERT_TRUE(conf.default_ulimits);
  EXPECT_EQ(*conf.default_ulimits,
            (std::vector<std::string>{"nofile=20000:20000", "nproc=32768:32768"}));
  EXPECT_EQ(conf.runtime, "runc");
}

TEST(ReadContainersConf, DebiansCommentedDefaultsSetNothing) {
  ContainersConf conf = read_containers_conf(
      "[containers]\n"
      "# default_ulimits = [\n"
      "#  \"nofile=1280:2560\",\n"
      "# ]\n"
      "default_capabilities = [\n"
      "  \"CHOWN\",\n"
      "  \"KILL\"\n"
      "]\n"
      "[engine]\n"
      "#runtime = \"crun\"\n"
      "[engine.runtimes]\n"
      "runc = [\"/usr/bin/runc\"]\n");
  EXPECT_FALSE(conf.default_ulimits);
  EXPECT_EQ(conf.runtime, "");
}

TEST(ReadContainersConf, ArraysOverLinesCommentsAndLaterFilesWin) {
  ContainersConf first = read_containers_conf(
      "[engine]\nruntime = 'crun' # the fast one\n"
      "[containers]\ndefault_ulimits = [\n  \"nofile=1024:1024\", # soft and hard\n"
      "  'nproc=100:200',\n]\n");
  EXPECT_EQ(first.runtime, "crun");
  EXPECT_EQ(*first.default_ulimits,
            (std::vector<std::string>{"nofile=1024:1024", "nproc=100:200"}));
  // A drop-in that sets only the runtime keeps the ulimits of the file before it.
  ContainersConf merged = read_containers_conf("  [ engine ]\n  runtime=\"runc\"\n", first);
  EXPECT_EQ(merged.runtime, "runc");
  EXPECT_EQ(merged.default_ulimits->size(), 2u);
  // A runtime key of another table is not the engine's.
  EXPECT_EQ(read_containers_conf("[engine.runtimes]\nruntime = \"x\"\n").runtime, "");
}

TEST(FindUlimit, SoftHardSingleAndUnlimited) {
  std::vector<std::string> ulimits = {"nofile=1024:2048", "nproc=-1", "core=oops:1"};
  auto nofile = find_ulimit(ulimits, "nofile");
  ASSERT_TRUE(nofile);
  EXPECT_EQ(nofile->soft, 1024u);
  EXPECT_EQ(nofile->hard, 2048u);
  EXPECT_EQ(find_ulimit(ulimits, "nproc")->hard, UINT64_MAX);
  EXPECT_FALSE(find_ulimit(ulimits, "core"));
  EXPECT_FALSE(find_ulimit(ulimits, "memlock"));
}

TEST(ContainersConfFiles, TheVariableReplacesEveryOtherFile) {
  EXPECT_EQ(containers_conf_files("/tmp/c.conf", {"/etc/containers/containers.conf.d/a.conf"}),
            (std::vector<std::filesystem::path>{"/tmp/c.conf"}));
  EXPECT_EQ(containers_conf_files("", {"/etc/containers/containers.conf.d/a.conf"}).size(), 3u);
}

}  // namespace
}  // namespace fusion
