#pragma once
// For tests: a ContainerRuntime that keeps containers, images, networks and volumes in memory
// and records every call, and a Prober that answers from a table. No process runs.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "runtime/container_runtime.h"
#include "runtime/health_probe.h"

namespace fusion::testing {

class FakeRuntime : public ContainerRuntime {
 public:
  std::string name() const override { return "fake"; }
  bool image_exists(const std::string& reference) override {
    std::lock_guard lock(mutex_);
    return images.contains(reference);
  }
  Status build_image(const ImageBuild& build) override {
    std::lock_guard lock(mutex_);
    calls.push_back("build " + build.tag);
    if (failing_builds.contains(build.tag)) return Error{"step 2/3: COPY failed"};
    images.insert(build.tag);
    return ok_status();
  }
  std::vector<std::string> image_healthcheck(const std::string&) override { return {}; }
  Status ensure_network(const std::string& n, const std::map<std::string, std::string>&,
                        const std::vector<std::string>&) override {
    std::lock_guard lock(mutex_);
    networks.insert(n);
    return ok_status();
  }
  Status ensure_volume(const std::string& v, const std::map<std::string, std::string>&,
                       const std::vector<std::string>&) override {
    std::lock_guard lock(mutex_);
    volumes.insert(v);
    return ok_status();
  }
  Status remove_network(const std::string& n) override {
    std::lock_guard lock(mutex_);
    networks.erase(n);
    return ok_status();
  }
  Status remove_volume(const std::string& v) override {
    std::lock_guard lock(mutex_);
    volumes.erase(v);
    return ok_status();
  }
  Result<std::vector<std::string>> networks_labelled(const std::string&,
                                                     const std::string&) override {
    std::lock_guard lock(mutex_);
    return std::vector<std::string>(networks.begin(), networks.end());
  }
  Result<std::vector<std::string>> volumes_labelled(const std::string&,
                                                    const std::string&) override {
    std::lock_guard lock(mutex_);
    return std::vector<std::string>(volumes.begin(), volumes.end());
  }
  Result<std::vector<ContainerInfo>> containers_labelled(const std::string& label,
                                                         const std::string& value) override {
    std::lock_guard lock(mutex_);
    std::vector<ContainerInfo> out;
    for (const auto& [n, c] : containers) {
      auto it = c.labels.find(label);
      if (it != c.labels.end() && it->second == value) out.push_back(c);
    }
    return out;
  }
  Result<ContainerInfo> inspect(const std::string& container) override {
    std::lock_guard lock(mutex_);
    auto it = containers.find(container);
    if (it == containers.end()) return Error{"no such container: " + container};
    return it->second;
  }
  Status create(const ContainerSpec& spec) override {
    std::lock_guard lock(mutex_);
    calls.push_back("create " + spec.name);
    ContainerInfo c;
    c.name = spec.name;
    c.id = fmt::format("id{}", ++next_id_);
    c.image = spec.image;
    c.labels = spec.labels;
    c.state = ContainerState::kCreated;
    c.status = "created";
    c.ip_addresses = {{"net", "10.0.0.1"}};
    containers[spec.name] = c;
    return ok_status();
  }
  Status start(const std::string& container) override { return set_state(container, "start"); }
  Status stop(const std::string& container, std::chrono::seconds) override {
    return set_state(container, "stop");
  }
  Status remove(const std::string& container) override {
    std::lock_guard lock(mutex_);
    calls.push_back("remove " + container);
    containers.erase(container);
    return ok_status();
  }
  Result<int> wait(const std::string& container) override {
    std::lock_guard lock(mutex_);
    auto& c = containers.at(container);
    c.state = ContainerState::kExited;
    c.status = "exited";
    c.exit_code = exit_codes.contains(container) ? exit_codes.at(container) : 0;
    return c.exit_code;
  }
  ProcessResult exec(const std::string&, const std::vector<std::string>&,
                     std::chrono::milliseconds) override {
    return {.exit_code = 0};
  }
  Result<std::string> logs(const std::string& container, size_t, bool,
                           const std::string&) override {
    return container + " says hello\n";
  }

  /// Calls in order, e.g. "create shop-db"; builds and creates run on threads, so tests
  /// compare what they need, not the interleaving.
  std::vector<std::string> calls;
  std::map<std::string, ContainerInfo> containers;
  std::set<std::string> images, networks, volumes, failing_builds;
  std::map<std::string, int> exit_codes;

 private:
  Status set_state(const std::string& container, const std::string& verb) {
    std::lock_guard lock(mutex_);
    calls.push_back(verb + " " + container);
    auto it = containers.find(container);
    if (it == containers.end()) return Error{"no such container: " + container};
    bool up = verb == "start";
    it->second.state = up ? ContainerState::kRunning : ContainerState::kExited;
    it->second.status = up ? "running" : "exited";
    return ok_status();
  }
  std::mutex mutex_;
  int next_id_ = 0;
};

/// Passes every probe of a running container unless it is named in `unhealthy`.
class FakeProber : public Prober {
 public:
  explicit FakeProber(FakeRuntime& runtime) : runtime_(runtime) {}
  ProbeResult probe(const std::string& container, const HealthCheck&, uint16_t) override {
    auto info = runtime_.inspect(container);
    if (!info || info->state != ContainerState::kRunning) return {ProbeResult::kGone, "gone"};
    if (unhealthy.contains(container)) return {ProbeResult::kFail, "GET /healthz: 503"};
    return {ProbeResult::kPass, "GET /healthz: 200"};
  }
  std::set<std::string> unhealthy;

 private:
  FakeRuntime& runtime_;
};

}  // namespace fusion::testing
