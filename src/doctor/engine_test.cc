#include "doctor/engine.h"

#include <gtest/gtest.h>

#include "doctor/fake_programs.h"

namespace fusion {
namespace {

// The mounts of this project's VMs: cgroup v1 controllers and cgroup2 at .../unified.
constexpr const char* kHybridMounts =
    "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n"
    "tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
    "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n"
    "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0\n"
    "cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0\n";

TEST(CgroupLayout, FromProcMounts) {
  EXPECT_EQ(cgroup_layout_of_mounts(kHybridMounts), CgroupLayout::kHybrid);
  EXPECT_EQ(cgroup_layout_of_mounts("cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n"),
            CgroupLayout::kUnified);
  EXPECT_EQ(cgroup_layout_of_mounts("cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n"),
            CgroupLayout::kLegacy);
  EXPECT_EQ(cgroup_layout_of_mounts("proc /proc proc rw 0 0\n"), CgroupLayout::kUnknown);
}

TEST(EffectiveCapability, SysResourceIsBit24) {
  // This VM's: every capability but CAP_SYS_RESOURCE.
  std::string vm = "Name:\tcat\nCapPrm:\t000001fffeffffff\nCapEff:\t000001fffeffffff\n";
  EXPECT_FALSE(has_effective_capability(vm, 24));
  EXPECT_TRUE(has_effective_capability(vm, 23));
  EXPECT_TRUE(has_effective_capability("CapEff:\t000001ffffffffff\n", 24));
  EXPECT_FALSE(has_effective_capability("Name:\tx\n", 0));
}

TEST(ChooseEngine, OptionThenVariableThenPodmanWhenInstalled) {
  EXPECT_EQ(choose_engine("docker", "podman", true), "docker");
  EXPECT_EQ(choose_engine("", "docker", true), "docker");
  EXPECT_EQ(choose_engine("", "", true), "podman");
  EXPECT_EQ(choose_engine("", "", false), "docker");
}

TEST(GatherEngineFacts, PodmanInfoReachable) {
  FakePrograms programs;
  programs.answer("podman --version", "podman version 4.3.1\n");
  programs.answer("podman info --format json",
                  R"({"host": {"cgroupVersion": "v1", "ociRuntime": {"name": "crun"},
                      "security": {"rootless": false}}, "version": {"Version": "4.3.1"}})");
  programs.answer("runc --version", "runc version 1.1.5+ds1\n");
  EngineFacts facts = gather_engine_facts(programs, "podman");
  EXPECT_TRUE(facts.reachable);
  EXPECT_EQ(facts.server_version, "4.3.1");
  EXPECT_EQ(facts.oci_runtime, "crun");
  EXPECT_TRUE(facts.runc_installed);
  EXPECT_EQ(render_checks({check_engine(facts)}),
            "ok    podman 4.3.1, reachable, runtime crun\n1 check: 1 ok, 0 warnings, 0 failures\n");
}

TEST(GatherEngineFacts, DockerCliWithoutADaemon) {
  FakePrograms programs;
  programs.answer("docker --version", "Docker version 28.2.2, build e6534b4\n");
  programs.answer("docker info --format {{json .}}",
                  "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the "
                  "docker daemon running?\n",
                  1);
  programs.answers["docker info --format {{json .}}"].err =
      programs.answers["docker info --format {{json .}}"].out;
  EngineFacts facts = gather_engine_facts(programs, "docker");
  EXPECT_FALSE(facts.reachable);
  CheckResult check = check_engine(facts);
  EXPECT_EQ(check.level, CheckLevel::kFail);
  EXPECT_EQ(check.message,
            "docker 28.2.2 is installed but not reachable: Cannot connect to the Docker daemon at "
            "unix:///var/run/docker.sock. Is the docker daemon running?");
  EXPECT_NE(check.fix.find("DOCKER_HOST"), std::string::npos);
}

TEST(CheckEngine, NotInstalled) {
  FakePrograms programs;
  EngineFacts facts = gather_engine_facts(programs, "podman");
  CheckResult check = check_engine(facts);
  EXPECT_EQ(check.level, CheckLevel::kFail);
  EXPECT_EQ(check.message, "podman is not installed (fusion runs the stack on it)");
  EXPECT_EQ(check.fix, "apt-get install podman runc");
  EXPECT_EQ(programs.ran, std::vector<std::string>{"podman --version"});
}

HostFacts this_vm() {
  HostFacts host;
  host.nofile_hard = 20000;
  host.nproc_hard = 96364;
  host.can_raise_rlimits = false;
  host.cgroups = CgroupLayout::kHybrid;
  return host;
}

EngineFacts rootful_podman(std::string runtime) {
  EngineFacts engine;
  engine.name = "podman";
  engine.reachable = true;
  engine.oci_runtime = std::move(runtime);
  engine.runc_installed = true;
  return engine;
}

TEST(CheckPodmanConfig, ThisVmWithoutAConfigFailsWithTheFix) {
  CheckResult check = check_podman_config(rootful_podman("runc"), this_vm());
  EXPECT_EQ(check.level, CheckLevel::kFail);
  EXPECT_EQ(check.message,
            "podman cannot raise rlimits here: containers ask for nofile 1048576 and nproc "
            "1048576 (podman's default) but the hard limits are 20000 and 96364 and this process "
            "lacks CAP_SYS_RESOURCE");
  EXPECT_EQ(check.fix,
            "put this in ~/.config/fusion/containers.conf:\n"
            "[containers]\n"
            "default_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n"
            "[engine]\n"
            "runtime = \"runc\"\n"
            "then: export CONTAINERS_CONF=~/.config/fusion/containers.conf (podman then reads "
            "that file alone)");
}

TEST(CheckPodmanConfig, CrunOnHybridCgroupsAndNoRunc) {
  HostFacts host = this_vm();
  host.can_raise_rlimits = true;
  EngineFacts engine = rootful_podman("crun");
  engine.runc_installed = false;
  CheckResult check = check_podman_config(engine, host);
  EXPECT_EQ(check.level, CheckLevel::kFail);
  EXPECT_EQ(check.message, "crun refuses this machine's hybrid cgroup layout");
  EXPECT_TRUE(check.fix.starts_with("apt-get install runc, then put this in"));
  EXPECT_NE(check.fix.find("runtime = \"runc\""), std::string::npos);
}

TEST(CheckPodmanConfig, TheBuildsConfigMakesItOk) {
  HostFacts host = this_vm();
  host.containers_conf_variable = "/work/build/containers.conf";
  host.containers_conf_exists = true;
  host.conf_files = {"/work/build/containers.conf"};
  host.conf = read_containers_conf(
      "[containers]\ndefault_ulimits = [\"nofile=20000:20000\", \"nproc=32768:32768\"]\n"
      "[engine]\nruntime = \"runc\"\n");
  CheckResult check = check_podman_config(rootful_podman("runc"), host);
  EXPECT_EQ(check.level, CheckLevel::kOk);
  EXPECT_EQ(check.message,
            "podman's limits fit this machine (nofile 20000, nproc 32768: "
            "/work/build/containers.conf), runtime runc on hybrid v1/v2 cgroups");
}

TEST(CheckPodmanConfig, ALimitAboveTheHardOneStillFails) {
  HostFacts host = this_vm();
  host.containers_conf_variable = "/etc/fusion.conf";
  host.containers_conf_exists = true;
  host.conf.default_ulimits = {"nofile=65536:65536"};
  CheckResult check = check_podman_config(rootful_podman("runc"), host);
  EXPECT_EQ(check.level, CheckLevel::kFail);
  EXPECT_TRUE(check.fix.starts_with("put this in /etc/fusion.conf:\n"));
  EXPECT_TRUE(
      check.fix.ends_with("(CONTAINERS_CONF already names it; podman reads that file alone)"));
}

TEST(CheckPodmanConfig, RootlessAndCapableMachinesNeedNothing) {
  HostFacts host = this_vm();
  host.cgroups = CgroupLayout::kUnified;
  EngineFacts rootless = rootful_podman("crun");
  rootless.rootless = true;
  EXPECT_EQ(check_podman_config(rootless, host).level, CheckLevel::kOk);
  host.can_raise_rlimits = true;
  EXPECT_EQ(check_podman_config(rootful_podman("crun"), host).level, CheckLevel::kOk);
}

TEST(CheckPodmanConfig, AVariableNamingNoFile) {
  HostFacts host = this_vm();
  host.containers_conf_variable = "/nowhere/containers.conf";
  CheckResult check = check_podman_config(rootful_podman("runc"), host);
  EXPECT_EQ(check.level, CheckLevel::kFail);
  EXPECT_EQ(check.message, "CONTAINERS_CONF names /nowhere/containers.conf, which does not exist");
}

}  // namespace
}  // namespace fusion
