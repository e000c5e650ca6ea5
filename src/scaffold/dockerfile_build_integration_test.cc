// Generated Dockerfiles built for real with podman, started, and probed with their own
// HEALTHCHECK: an Express service, a Vite site (its configured outDir), a Go net/http service
// without modules, and a static site. No image registry is reachable here, so the base images
// the Dockerfiles name are made offline by tests/fixtures/dockerfile-build/base-images (a
// Debian 12 root from debootstrap with Debian's nodejs, npm and golang-go, cached in
// ~/.cache/fusion-test-images and made when missing); npm install reaches the npm registry.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <thread>

#include "detect/detect.h"
#include "scaffold/dockerfile.h"
#include "util/file.h"
#include "util/subprocess.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kFixtures = fs::path(FUSION_SOURCE_DIR) / "tests/fixtures/dockerfile-build";

ProcessResult run(std::vector<std::string> argv, std::chrono::milliseconds timeout = 600s,
                  bool merge_stderr = true) {
  SystemProcessRunner runner;
  return runner.run({.argv = std::move(argv),
                     .cwd = {},
                     .env = {},
                     .timeout = timeout,
                     .merge_stderr = merge_stderr});
}

/// The images a Dockerfile's FROM lines name (stage names left out).
std::vector<std::string> base_images_of(const std::string& dockerfile) {
  std::vector<std::string> out;
  static const std::regex from(R"((?:^|\n)FROM (\S+))");
  static const std::regex copy_from(R"(--from=([a-z][^\s]*:[^\s]+))");
  for (const std::regex* pattern : {&from, &copy_from}) {
    for (std::sregex_iterator m(dockerfile.begin(), dockerfile.end(), *pattern), end; m != end;
         ++m) {
      out.push_back((*m)[1].str());
    }
  }
  return out;
}

class DockerfileBuildTest : public ::testing::TestWithParam<std::string> {
 protected:
  void TearDown() override {
    if (!container_.empty()) run({"podman", "rm", "-f", container_}, 60s);
    if (!image_.empty()) run({"podman", "rmi", "-f", image_}, 60s);
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  fs::path dir_;
  std::string image_, container_;
};

TEST_P(DockerfileBuildTest, BuildsStartsAndPassesItsHealthCheck) {
  const std::string& fixture = GetParam();
  dir_ = fs::temp_directory_path() / fmt::format("fusion-dockerfile-{}-{}", fixture, getpid());
  fs::remove_all(dir_);
  fs::copy(kFixtures / fixture, dir_, fs::copy_options::recursive);
  auto snapshot = load_snapshot(dir_);
  ASSERT_TRUE(snapshot) << snapshot.error();
  std::vector<Detection> found = detect_projects(*snapshot, fixture);
  ASSERT_EQ(found.size(), 1u);
  const Detection& d = found[0];
  ASSERT_TRUE(d.port.known()) << fixture;
  ASSERT_TRUE(d.health_path.known()) << fixture;

  Service service;
  service.name.value = d.name;
  service.ports.push_back(PortMapping{.host_ip = "",
                                      .host_port = 0,
                                      .container_port = d.port_number(),
                                      .protocol = Protocol::kTcp,
                                      .pos = {}});
  HealthCheck health;
  health.kind = HealthKind::kHttp;
  health.http_path = d.health_path.value;
  health.interval = Duration(1000);
  health.retries = 30;
  service.health = health;
  auto scaffold = scaffold_dockerfile(d, service, Templates{});
  ASSERT_TRUE(scaffold) << scaffold.error();
  ASSERT_TRUE(write_file_atomically(dir_ / "Dockerfile", scaffold->dockerfile));
  ASSERT_TRUE(write_file_atomically(dir_ / ".dockerignore", scaffold->dockerignore));

  std::vector<std::string> make = {(kFixtures / "base-images").string()};
  for (const std::string& image : base_images_of(scaffold->dockerfile)) make.push_back(image);
  ProcessResult bases = run(make, 1800s);
  ASSERT_TRUE(bases.ok()) << bases.out;

  image_ = fmt::format("localhost/fusion-dockerfile-test-{}:{}", fixture, getpid());
  ProcessResult built = run(
      {"podman", "build", "--pull=never", "--format", "docker", "-t", image_, dir_.string()}, 900s);
  ASSERT_TRUE(built.ok()) << scaffold->dockerfile << "\n" << built.out;

  // Without systemd podman warns that it cannot time the health checks: they are run here.
  ProcessResult started = run({"podman", "run", "-d", "--pull=never", image_}, 120s, false);
  ASSERT_TRUE(started.ok()) << started.out << started.err;
  container_ = started.out.substr(0, started.out.find('\n'));
  bool healthy = false;
  ProcessResult probe;
  for (int attempt = 0; attempt < 60 && !healthy; ++attempt) {
    probe = run({"podman", "healthcheck", "run", container_}, 30s);
    healthy = probe.ok();
    if (!healthy) std::this_thread::sleep_for(1s);
  }
  ProcessResult logs = run({"podman", "logs", container_}, 30s);
  EXPECT_TRUE(healthy) << scaffold->dockerfile << "\nhealth check: " << probe.out << "\nlogs:\n"
                       << logs.out;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DockerfileBuildTest,
                         ::testing::Values("express", "vite-site", "go-nethttp", "static-site"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace fusion
