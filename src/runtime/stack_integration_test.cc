// fusion up / down on a real podman: the test stack in tests/fixtures/stack (8 services built
// from local folders on the offline busybox base, on two networks; one never healthy, one
// blocked behind it, a one-shot migration) brought up, checked against the engine's own
// record, brought up again unchanged, after a one-file edit, and brought down.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "graph/service_graph.h"
#include "registry/test_support.h"
#include "runtime/docker.h"
#include "runtime/log_lines.h"
#include "runtime/podman.h"
#include "runtime/stack_down.h"
#include "runtime/stack_up.h"
#include "util/file.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using ::testing::UnorderedElementsAre;

class PodmanStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ProcessResult base =
        processes_.run({.argv = {std::string(FUSION_SOURCE_DIR) + "/scripts/busybox-image"},
                        .merge_stderr = true});
    ASSERT_TRUE(base.ok()) << base.out;
    dir_ = fs::temp_directory_path() / fmt::format("fusion-stack-{}", getpid());
    fs::remove_all(dir_);
    fs::copy(fs::path(FUSION_SOURCE_DIR) / "tests/fixtures/stack", dir_,
             fs::copy_options::recursive);
    web_port_ = static_cast<uint16_t>(20000 + getpid() % 20000);
    auto text = read_file(dir_ / "fusion.yaml");
    ASSERT_TRUE(text.ok());
    yaml_ = *text;
    replace(yaml_, "name: fusion-it", "name: " + stack_);
    replace(yaml_, "\"18480:80\"", fmt::format("\"{}:80\"", web_port_));
    loaded_ = testing::load_and_validate(yaml_);
    ASSERT_FALSE(loaded_.diagnostics.has_errors()) << loaded_.text();
    ctx_.registry = &loaded_.registry;
    ctx_.registry_dir = dir_;
    ctx_.secrets = {{"db-password", "s3cret"}};
  }

  void TearDown() override {
    (void)stack_down(loaded_.registry, runtime_, true);
    processes_.run({.argv = {"sh", "-c",
                             fmt::format("podman images -q --filter label={}={} | xargs -r podman "
                                         "rmi -f",
                                         kStackLabel, stack_)}});
    fs::remove_all(dir_);
  }

  static void replace(std::string& text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
  }

  PreparedUp prepare() {
    ServiceGraph graph(loaded_.registry);
    auto up = prepare_up(ctx_, graph, runtime_, dir_ / ".fusion/cache");
    EXPECT_TRUE(up.ok()) << up.error();
    return up.ok() ? std::move(up).value() : PreparedUp{};
  }

  std::map<std::string, std::string> run(const PreparedUp& up) {
    ServiceGraph graph(loaded_.registry);
    SteadyClock clock;
    // Every build starts at once: a build still queued when `broken` fails would be skipped as
    // blocked (needs-broken's), and the test would then depend on how loaded the machine is.
    auto outcome = run_up(ctx_, up, up_tasks(loaded_.registry, graph, up), runtime_, prober_, clock,
                          {.max_builds = 8});
    EXPECT_TRUE(outcome.ok()) << outcome.error();
    std::map<std::string, std::string> states;
    for (size_t t = 0; outcome.ok() && t < outcome->tasks.size(); ++t) {
      if (!outcome->tasks[t].barrier) {
        states[outcome->tasks[t].name] = task_state_name(outcome->states[t]);
        if (outcome->states[t] == TaskState::kFailed) {
          std::cerr << outcome->tasks[t].name << ": " << outcome->details[t] << "\n";
        }
      }
    }
    return states;
  }

  std::map<std::string, ContainerInfo> containers() {
    auto all = runtime_.containers_labelled(kStackLabel, stack_);
    EXPECT_TRUE(all.ok()) << all.error();
    std::map<std::string, ContainerInfo> by_service;
    for (const ContainerInfo& c : *all) by_service[c.labels.at(kServiceLabel)] = c;
    return by_service;
  }

  static std::vector<std::string> with_action(const PreparedUp& up, ContainerAction action) {
    std::vector<std::string> names;
    for (const PreparedService& s : up.services) {
      if (s.decision.action == action) names.push_back(s.service->name.value);
    }
    return names;
  }

  static std::vector<std::string> built(const PreparedUp& up) {
    std::vector<std::string> names;
    for (const PreparedService& s : up.services) {
      if (s.build) names.push_back(s.service->name.value);
    }
    return names;
  }

  std::string stack_ = fmt::format("fzit{}", getpid());
  SystemProcessRunner processes_;
  PodmanRuntime runtime_{processes_};
  RuntimeProber prober_{runtime_};
  fs::path dir_;
  uint16_t web_port_ = 0;
  std::string yaml_;
  testing::Loaded loaded_;
  RunContext ctx_;
};

int64_t started_ns(const ContainerInfo& c) { return parse_rfc3339_ns(c.started_at); }

/// Every dependency started before its dependent; `completed` ones finished before it.
void expect_dependency_order(const Registry& registry,
                             const std::map<std::string, ContainerInfo>& running) {
  for (const Service& s : registry.services) {
    if (!running.contains(s.name.value)) continue;
    const ContainerInfo& c = running.at(s.name.value);
    for (const Dependency& d : s.depends_on) {
      const ContainerInfo& dep = running.at(d.service.value);
      EXPECT_LT(started_ns(dep), started_ns(c)) << d.service.value << " before " << s.name.value;
      if (d.condition == DependencyCondition::kCompleted) {
        EXPECT_LE(parse_rfc3339_ns(dep.finished_at), started_ns(c)) << s.name.value;
      }
    }
  }
  // Phases are barriers: every apps service starts after every infra service.
  for (const char* app : {"migrate", "api", "web"}) {
    for (const char* infra : {"db", "cache"}) {
      EXPECT_LT(started_ns(running.at(infra)), started_ns(running.at(app))) << app;
    }
  }
}

TEST_F(PodmanStackTest, UpInDependencyOrderThenNothingThenOneEditThenDown) {
  PreparedUp first = prepare();
  EXPECT_EQ(built(first).size(), 8u);
  std::map<std::string, std::string> states = run(first);
  EXPECT_EQ(states, (std::map<std::string, std::string>{{"api", "healthy"},
                                                        {"broken", "failed"},
                                                        {"cache", "healthy"},
                                                        {"db", "healthy"},
                                                        {"migrate", "completed"},
                                                        {"needs-broken", "blocked"},
                                                        {"web", "healthy"},
                                                        {"worker", "healthy"}}));
  auto running = containers();
  EXPECT_FALSE(running.contains("needs-broken"));  // blocked: never created
  expect_dependency_order(loaded_.registry, running);

  // DNS by service name and by alias across a network; the published port on the host.
  ProcessResult dns = runtime_.exec(running.at("web").name,
                                    {"wget", "-q", "-O-", "http://api-internal:8080/healthz"},
                                    std::chrono::seconds(5));
  EXPECT_EQ(dns.out, "ok\n");
  EXPECT_EQ(
      probe_http(fmt::format("http://127.0.0.1:{}/", web_port_), std::chrono::seconds(2)).verdict,
      ProbeResult::kPass);

  // Nothing changed: nothing built, nothing recreated, the same containers.
  PreparedUp again = prepare();
  EXPECT_THAT(built(again), UnorderedElementsAre());
  EXPECT_THAT(with_action(again, ContainerAction::kKeep),
              UnorderedElementsAre("api", "broken", "cache", "db", "migrate", "web", "worker"));
  run(again);
  for (const auto& [service, c] : containers()) EXPECT_EQ(c.id, running.at(service).id) << service;

  // One file of web's source: web alone is rebuilt and recreated.
  ASSERT_TRUE(write_file_atomically(dir_ / "services/web/www/index.html", "<p>edited</p>\n").ok());
  PreparedUp edited = prepare();
  EXPECT_THAT(built(edited), UnorderedElementsAre("web"));
  EXPECT_THAT(with_action(edited, ContainerAction::kRecreate), UnorderedElementsAre("web"));
  EXPECT_EQ(run(edited).at("web"), "healthy");
  for (const auto& [service, c] : containers()) {
    if (service == "web") {
      EXPECT_NE(c.id, running.at(service).id);
    } else {
      EXPECT_EQ(c.id, running.at(service).id) << service;
    }
  }

  auto down = stack_down(loaded_.registry, runtime_, true);
  ASSERT_TRUE(down.ok()) << down.error();
  EXPECT_TRUE(down->ok()) << down->errors.front();
  EXPECT_TRUE(containers().empty());
  EXPECT_THAT(*runtime_.networks_labelled(kStackLabel, stack_), UnorderedElementsAre());
}

}  // namespace
}  // namespace fusion

namespace fusion {
namespace {

/// The same engine through the docker CLI and podman's Docker-compatible socket.
class DockerStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    socket_ = fmt::format("/tmp/fusion-docker-{}.sock", getpid());
    service_ = processes_
                   .run({.argv = {"sh", "-c",
                                  fmt::format("podman system service --time=0 unix://{} "
                                              ">/dev/null 2>&1 & echo $!",
                                              socket_)}})
                   .out;
    for (int i = 0; i < 100 && !fs::exists(socket_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(fs::exists(socket_));
  }
  void TearDown() override {
    if (loaded_.registry.name.present()) (void)stack_down(loaded_.registry, docker_, true);
    processes_.run({.argv = {"kill", service_.substr(0, service_.find('\n'))}});
    fs::remove(socket_);
  }

  std::string socket_, service_;
  SystemProcessRunner processes_;
  DockerRuntime docker_{
      processes_,
      {{"DOCKER_HOST", "unix:///tmp/fusion-docker-" + std::to_string(getpid()) + ".sock"}}};
  RuntimeProber prober_{docker_};
  testing::Loaded loaded_;
};

TEST_F(DockerStackTest, UpWaitsForHealthAndCompletionThenDownRemovesEverything) {
  ProcessResult base = processes_.run(
      {.argv = {std::string(FUSION_SOURCE_DIR) + "/scripts/busybox-image"}, .merge_stderr = true});
  ASSERT_TRUE(base.ok()) << base.out;
  loaded_ = testing::load_and_validate(fmt::format(R"(version: 1
name: fzdk{}
services:
  db:
    image: localhost/fusion-busybox:latest
    command: [sh, -c, "sleep 0.5; mkdir -p /www; exec httpd -f -p 8080 -h /www"]
    ports: ["8080"]
    health: {{ tcp: 8080, interval: 1s, retries: 10 }}
  api:
    image: localhost/fusion-busybox:latest
    command: [sh, -c, "mkdir -p /www; echo ok > /www/healthz; exec httpd -f -p 8080 -h /www"]
    ports: ["8080"]
    depends_on: {{ db: healthy }}
    health: {{ http: /healthz, port: 8080, interval: 1s, retries: 10 }}
  check:
    image: localhost/fusion-busybox:latest
    command: [sh, -c, "wget -q -O- http://api:8080/healthz"]
    depends_on: {{ api: healthy }}
  after:
    image: localhost/fusion-busybox:latest
    command: [sleep, "1000"]
    depends_on: {{ check: completed }}
)",
                                                   getpid()));
  ASSERT_FALSE(loaded_.diagnostics.has_errors()) << loaded_.text();
  RunContext ctx{&loaded_.registry, fs::temp_directory_path(), {}, nullptr, {}, {}};
  ServiceGraph graph(loaded_.registry);
  auto up = prepare_up(ctx, graph, docker_, fs::temp_directory_path() / "fusion-docker-cache");
  ASSERT_TRUE(up.ok()) << up.error();
  SteadyClock clock;
  auto outcome = run_up(ctx, *up, up_tasks(loaded_.registry, graph, *up), docker_, prober_, clock,
                        {.max_builds = 1});
  ASSERT_TRUE(outcome.ok()) << outcome.error();
  std::map<std::string, std::string> states;
  for (size_t t = 0; t < outcome->tasks.size(); ++t) {
    states[outcome->tasks[t].name] = task_state_name(outcome->states[t]);
  }
  EXPECT_EQ(
      states,
      (std::map<std::string, std::string>{
          {"after", "running"}, {"api", "healthy"}, {"check", "completed"}, {"db", "healthy"}}));
  auto logs = docker_.logs(loaded_.registry.name.value + "-check", 0, false, "");
  ASSERT_TRUE(logs.ok()) << logs.error();
  EXPECT_EQ(*logs, "ok\n");  // `check` reached api by its service name
  auto down = stack_down(loaded_.registry, docker_, true);
  ASSERT_TRUE(down.ok()) << down.error();
  EXPECT_EQ(down->containers.size(), 4u);
  EXPECT_TRUE(docker_.containers_labelled(kStackLabel, loaded_.registry.name.value)->empty());
}

}  // namespace
}  // namespace fusion
