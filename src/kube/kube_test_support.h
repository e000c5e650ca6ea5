#pragma once
// For tests against the real cluster (label kube): sessions from the kubeconfigs
// `scripts/kube-cluster env` names, a namespace of the test's own, and waiting on a condition.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "kube/kube_session.h"

namespace fusion {

/// A session from the kubeconfig in environment variable `variable`; the test fails (it never
/// skips) when there is none: CI starts the cluster.
inline std::unique_ptr<KubeSession> open_test_session(const char* variable = "KUBECONFIG") {
  static SystemProcessRunner runner;
  const char* path = std::getenv(variable);
  if (path == nullptr || *path == '\0') {
    ADD_FAILURE() << variable
                  << " is not set: start the test cluster with `scripts/kube-cluster start` "
                  << "and `eval $(scripts/kube-cluster env)`";
    return nullptr;
  }
  Result<std::unique_ptr<KubeSession>> session = open_kube_session({.kubeconfig = path}, runner);
  if (!session.ok()) {
    ADD_FAILURE() << session.error();
    return nullptr;
  }
  return std::move(session).value();
}

/// Polls `done` every 100 ms until it is true or `limit` passes; true when it became true.
template <class Condition>
bool wait_until(Condition done, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

/// A namespace of the test's own, deleted (with everything in it) when the test ends.
class TestNamespace {
 public:
  TestNamespace(KubeClient& client, const std::string& prefix) : client_(client) {
    std::random_device random;
    name_ = prefix + "-" + std::to_string(random() % 1000000);
    KubeResult<nlohmann::json> created = client_.apply(
        {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name_}}}});
    EXPECT_TRUE(created.ok()) << created.error().describe();
  }
  ~TestNamespace() { client_.remove({"v1", "Namespace", "", name_}); }
  const std::string& name() const { return name_; }

 private:
  KubeClient& client_;
  std::string name_;
};

}  // namespace fusion
