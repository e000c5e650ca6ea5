#include "registry/mount.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace fusion {
namespace {

TEST(MountTest, ColonsInsideVariablesAreNotSeparators) {
  auto m = parse_mount("${DATA_DIR:-./data/pg}:/var/lib/postgresql/data:Z");
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->source, "${DATA_DIR:-./data/pg}");
  EXPECT_EQ(m->target, "/var/lib/postgresql/data");
  EXPECT_FALSE(m->named);
  EXPECT_THAT(m->options, ::testing::ElementsAre("Z"));
  EXPECT_THAT(split_outside_braces("${A:-x:y}:/b:ro", ':'),
              ::testing::ElementsAre("${A:-x:y}", "/b", "ro"));
}

TEST(MountTest, EveryComposeFlag) {
  auto m = parse_mount("certs:/etc/certs:ro,z,nocopy,rshared");
  ASSERT_TRUE(m) << m.error();
  EXPECT_TRUE(m->named);
  EXPECT_TRUE(m->read_only);
  EXPECT_THAT(m->options, ::testing::ElementsAre("z", "nocopy", "rshared"));
  EXPECT_EQ(format_mount(*m), "certs:/etc/certs:ro,z,nocopy,rshared");
  auto anonymous = parse_mount("/var/cache:rw");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->source, "");
  EXPECT_EQ(format_mount(*anonymous), "/var/cache");
}

TEST(MountTest, MistakesSayWhat) {
  EXPECT_EQ(parse_mount("./a:/b:rx").error(),
            "invalid volume './a:/b:rx': unknown option 'rx' (ro, rw, z, Z, nocopy, or a "
            "propagation mode such as rshared)");
  EXPECT_EQ(parse_mount("data:relative").error(),
            "invalid volume 'data:relative': the container path must be absolute");
  EXPECT_EQ(parse_mount("a:/b:ro:z").error(),
            "invalid volume 'a:/b:ro:z': expected [SOURCE:]/container/path[:OPTIONS]");
}

}  // namespace
}  // namespace fusion
