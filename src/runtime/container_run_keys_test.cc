// The compose-named keys as engine flags, files and env: what `fusion up` creates containers
// with (the every-key fixture), and that each key is part of the config hash.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/test_support.h"
#include "runtime/container_cli.h"
#include "runtime/container_spec.h"
#include "util/file.h"
#include "util/strings.h"

namespace fusion {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

class RunKeysSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(loaded_.diagnostics.has_errors()) << loaded_.text();
    ctx_.registry = &loaded_.registry;
    ctx_.registry_dir = "/stacks/every";
    ctx_.secrets = {{"db-password", "s3cret"}};
    ctx_.variable = [](const std::string& name) -> std::optional<std::string> {
      if (name == "SMTP_PASSWORD") return "smtp-pw";
      if (name == "APP_VERSION") return "2.0.0";
      return std::nullopt;
    };
    ctx_.read_text = [](const std::filesystem::path& path) -> Result<std::string> {
      if (path == "/stacks/every/config/app.env") return std::string("A=from-file\nB=b\n");
      return Error{"no such file"};
    };
  }
  ContainerSpec spec(const std::string& service) {
    const Service& svc = *loaded_.registry.find_service(service);
    auto s = make_container_spec(ctx_, svc, svc.image.value);
    EXPECT_TRUE(s.ok()) << s.error();
    return s.ok() ? *s : ContainerSpec{};
  }
  std::string args(const std::string& service) {
    return join(create_arguments(spec(service)), " ");
  }

  testing::Loaded loaded_ = testing::load_and_validate(
      *read_file(FUSION_SOURCE_DIR "/tests/fixtures/every-key/fusion.yaml"));
  RunContext ctx_;
};

TEST_F(RunKeysSpecTest, KeysBecomeTheFlagsBothEnginesTake) {
  std::string pg = args("postgres");
  EXPECT_THAT(pg, HasSubstr("--restart=unless-stopped --user=999:999 --stop-timeout=20"));
  EXPECT_THAT(pg, HasSubstr("--shm-size=268435456 --ulimit=nofile=20000:40000"));
  EXPECT_THAT(pg, HasSubstr("--sysctl=net.core.somaxconn=1024"));
  EXPECT_THAT(pg, HasSubstr("-v every-key_pgdata:/var/lib/postgresql/data:Z"));
  EXPECT_THAT(pg, HasSubstr("-v /stacks/every/.fusion/files/postgres/secret-db-password:"
                            "/run/secrets/db-password:ro"));
  std::string redis = args("redis");
  EXPECT_THAT(redis, HasSubstr("--tmpfs=/data:size=64Mi,mode=1777"));
  EXPECT_THAT(redis, HasSubstr("--cap-add=SETUID --cap-add=SETGID --cap-drop=ALL"));
  EXPECT_THAT(redis, HasSubstr("--security-opt=no-new-privileges:true"));
  EXPECT_THAT(redis, HasSubstr("--read-only"));
  std::string api = args("api");
  EXPECT_THAT(api, HasSubstr("--add-host=host.docker.internal:host-gateway "
                             "--add-host=metadata.internal:169.254.169.254"));
  EXPECT_THAT(api, HasSubstr("--workdir=/srv/app --hostname=api --stop-signal=SIGINT "
                             "--platform=linux/amd64 --pid=host --pull=missing"));
  EXPECT_THAT(api, HasSubstr("--group-add=1001"));
  EXPECT_THAT(api, HasSubstr("ghcr.io/example/app:2.0.0 app serve"));
  EXPECT_THAT(args("gateway"), HasSubstr("--name every-key-gateway"));
  EXPECT_THAT(args("transcoder"), HasSubstr("--gpus=1"));
}

TEST_F(RunKeysSpecTest, EntrypointEnvFileAndFilesWithValues) {
  ContainerSpec migrate = spec("migrate");
  std::string a = join(create_arguments(migrate), " ");
  // The engines take one entrypoint program: the rest of compose's list goes before the command.
  EXPECT_THAT(a, HasSubstr("--entrypoint=/usr/local/bin/docker-entrypoint.sh"));
  EXPECT_THAT(a, HasSubstr("ghcr.io/example/app:2.0.0 -- sh -c app migrate && echo \"$(date) "
                           "migrated\""));
  EXPECT_THAT(migrate.env, Contains(Pair("A", "from-file")));  // the optional one is skipped
  EXPECT_THAT(a, HasSubstr("--restart=on-failure:3"));
  ContainerSpec api = spec("api");
  ASSERT_EQ(api.files.size(), 2u);
  EXPECT_EQ(api.files[0].path, "/stacks/every/.fusion/files/api/secret-smtp_password");
  EXPECT_EQ(api.files[0].content, "smtp-pw");
  EXPECT_EQ(api.files[1].content, "welcome to every-key\n");
  EXPECT_THAT(join(create_arguments(api), " "),
              HasSubstr("-v /stacks/every/config/api-token.txt:/run/secrets/token:ro"));
  EXPECT_THAT(join(create_arguments(api), " "), HasSubstr("-v /stacks/every/.fusion/files/api/"
                                                          "config-motd:/etc/motd:ro"));
}

TEST_F(RunKeysSpecTest, EveryKeyIsInTheConfigHash) {
  std::string before = spec("postgres").labels.at(kConfigHashLabel);
  Service& pg = loaded_.registry.services[0];
  ASSERT_EQ(pg.name.value, "postgres");
  pg.stop_grace_period->value = Duration(21'000);
  std::string after = spec("postgres").labels.at(kConfigHashLabel);
  EXPECT_NE(before, after);
  pg.init = Located<bool>{false, {}};
  EXPECT_NE(spec("postgres").labels.at(kConfigHashLabel), after);
  EXPECT_THAT(join(create_arguments(spec("postgres")), " "), ::testing::Not(HasSubstr("--init")));
  ctx_.secrets["db-password"] = "rotated";  // a secret file's content recreates too
  EXPECT_NE(spec("postgres").labels.at(kConfigHashLabel), after);
}

}  // namespace
}  // namespace fusion
