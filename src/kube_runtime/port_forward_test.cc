#include "kube_runtime/port_forward.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace fusion {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Ready = std::map<std::string, std::vector<std::string>>;

std::vector<std::string> described(const std::vector<ForwardAction>& actions) {
  static const char* kKinds[] = {"start", "stop", "ended", "wait"};
  std::vector<std::string> out;
  for (const ForwardAction& a : actions) {
    out.push_back(std::string(kKinds[a.kind]) + " " + std::to_string(a.target) +
                  (a.pod.empty() ? "" : " " + a.pod) + ": " + a.why);
  }
  return out;
}

TEST(ForwardTargets, PublishedTcpPortsOfTheChosenServicesEphemeralOnTheirOwnNumber) {
  auto l = testing::load_and_validate(R"(version: 1
name: shop
services:
  web: { image: web:1, ports: ["8080:80", "8443:443", "127.0.0.1:9000:9000/udp"] }
  api: { image: api:1, ports: ["9090"], expose: [7000] }
  db: { image: postgres:16, ports: ["5432:5432"] }
)");
  ASSERT_EQ(l.text(), "");
  EXPECT_THAT(
      forward_targets(l.registry, {}),
      ElementsAre(ForwardTarget{"web", {{8080, 80}, {8443, 443}}},
                  ForwardTarget{"api", {{9090, 9090}}}, ForwardTarget{"db", {{5432, 5432}}}));
  EXPECT_THAT(forward_targets(l.registry, {"db"}),
              ElementsAre(ForwardTarget{"db", {{5432, 5432}}}));
}

nlohmann::json pod(const std::string& name, const std::string& service, const std::string& created,
                   bool ready, bool deleting = false) {
  nlohmann::json p = {
      {"metadata",
       {{"name", name},
        {"creationTimestamp", created},
        {"labels", {{"app.kubernetes.io/name", service}}}}},
      {"status",
       {{"phase", "Running"},
        {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
  if (deleting) p["metadata"]["deletionTimestamp"] = "2026-11-27T10:09:00Z";
  return p;
}

TEST(ReadyPods, RunningReadyNotDeletingNewestFirst) {
  auto ready = ready_pods({pod("web-a", "web", "2026-11-27T10:00:00Z", true),
                           pod("web-b", "web", "2026-11-27T10:05:00Z", true),
                           pod("web-c", "web", "2026-11-27T10:06:00Z", false),
                           pod("web-d", "web", "2026-11-27T10:07:00Z", true, true),
                           pod("db-0", "db", "2026-11-27T09:00:00Z", true)});
  EXPECT_EQ(ready, (Ready{{"db", {"db-0"}}, {"web", {"web-b", "web-a"}}}));
}

class ForwardSupervisorTest : public ::testing::Test {
 protected:
  ForwardSupervisor supervisor{{{"web", {{8080, 80}}}, {"db", {{5432, 5432}}}}};
  TimePoint t0{};
  TimePoint at(int ms) { return t0 + Millis(ms); }
};

TEST_F(ForwardSupervisorTest, StartsOnTheNewestReadyPodAndWaitsForTheOthers) {
  auto actions = supervisor.step(at(0), {{"web", {"web-b", "web-a"}}}, {false, false});
  EXPECT_THAT(described(actions), ElementsAre("start 0 web-b: web: localhost 8080→80 to pod web-b",
                                              "wait 1: db: waiting for a ready pod (5432→5432)"));
  // Running, nothing changed: nothing to do; the wait is not said twice.
  EXPECT_THAT(supervisor.step(at(500), {{"web", {"web-b", "web-a"}}}, {true, false}), IsEmpty());
  EXPECT_THAT(
      described(supervisor.step(at(1000), {{"web", {"web-b"}}, {"db", {"db-0"}}}, {true, false})),
      ElementsAre("start 1 db-0: db: localhost 5432→5432 to pod db-0"));
}

TEST_F(ForwardSupervisorTest, APodReplacedMovesTheForwardAtOnce) {
  supervisor.step(at(0), {{"web", {"web-a"}}, {"db", {"db-0"}}}, {false, false});
  // A rollout: web-a terminating, web-b ready. The forward moves in the same step.
  auto actions = supervisor.step(at(60000), {{"web", {"web-b"}}, {"db", {"db-0"}}}, {true, true});
  EXPECT_THAT(described(actions),
              ElementsAre("stop 0 web-a: web: pod web-a is gone or not ready",
                          "start 0 web-b: web: localhost 8080→80 to pod web-b"));
  // Between the old pod going and the new one being ready, it waits.
  actions = supervisor.step(at(61000), {{"db", {"db-0"}}}, {true, true});
  EXPECT_THAT(described(actions), ElementsAre("stop 0 web-b: web: pod web-b is gone or not ready",
                                              "wait 0: web: waiting for a ready pod (8080→80)"));
  actions = supervisor.step(at(62000), {{"web", {"web-c"}}, {"db", {"db-0"}}}, {false, true});
  EXPECT_THAT(described(actions),
              ElementsAre("start 0 web-c: web: localhost 8080→80 to pod web-c"));
}

TEST_F(ForwardSupervisorTest, AForwardThatKeepsEndingBacksOffThenRecovers) {
  Ready ready = {{"web", {"web-a"}}, {"db", {"db-0"}}};
  supervisor.step(at(0), ready, {false, false});
  // The port is taken: kubectl ends at once, again and again: 1 s, 2 s, 4 s apart.
  EXPECT_THAT(described(supervisor.step(at(100), ready, {false, true})),
              ElementsAre("ended 0: web: the forward to web-a ended"));
  EXPECT_EQ(supervisor.next_retry(), at(1100));
  EXPECT_THAT(supervisor.step(at(1000), ready, {false, true}), IsEmpty());
  EXPECT_THAT(described(supervisor.step(at(1100), ready, {false, true})),
              ElementsAre("start 0 web-a: web: localhost 8080→80 to pod web-a"));
  supervisor.step(at(1200), ready, {false, true});
  EXPECT_EQ(supervisor.next_retry(), at(3200));
  supervisor.step(at(3200), ready, {false, true});
  supervisor.step(at(3300), ready, {false, true});
  EXPECT_EQ(supervisor.next_retry(), at(7300));
  supervisor.step(at(7300), ready, {false, true});
  // This time it ran for a minute before ending: started again at once.
  EXPECT_THAT(described(supervisor.step(at(67300), ready, {false, true})),
              ElementsAre("ended 0: web: the forward to web-a ended",
                          "start 0 web-a: web: localhost 8080→80 to pod web-a"));
}

TEST_F(ForwardSupervisorTest, BackoffIsCappedAtThirtySeconds) {
  Ready ready = {{"web", {"web-a"}}, {"db", {"db-0"}}};
  int now = 0;
  supervisor.step(at(now), ready, {false, false});
  for (int i = 0; i < 8; ++i) {
    supervisor.step(at(++now), ready, {false, true});
    now = static_cast<int>((*supervisor.next_retry() - t0).count() / 1000000);
    supervisor.step(at(now), ready, {false, true});
  }
  supervisor.step(at(++now), ready, {false, true});
  EXPECT_EQ(*supervisor.next_retry() - at(now), Millis(30000));
}

}  // namespace
}  // namespace fusion
