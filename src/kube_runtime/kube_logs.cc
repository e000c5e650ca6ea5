#include "kube_runtime/kube_logs.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/strings.h"

namespace fusion {
namespace {

using Json = nlohmann::json;

constexpr const char* kServiceNameLabel = "app.kubernetes.io/name";

std::string service_of(const Json& pod) {
  return pod["metadata"].value("labels", Json::object()).value(kServiceNameLabel, "");
}

Result<std::vector<Json>> list_pods(KubeClient& client, const std::string& namespace_,
                                    const std::string& selector) {
  auto pods = client.list("v1", "Pod", namespace_, {.label_selector = selector});
  if (!pods) return Error{"listing the stack's pods: " + pods.error().describe()};
  return std::move(pods.value().items);
}

}  // namespace

PodLogReader::PodLogReader(KubeClient& client, std::string namespace_name, std::string selector)
    : client_(client), namespace_(std::move(namespace_name)), selector_(std::move(selector)) {}

Result<std::vector<LogSource>> PodLogReader::sources() {
  auto pods = list_pods(client_, namespace_, selector_);
  if (!pods) return Error{pods.error()};
  std::vector<LogSource> out;
  for (const Json& pod : *pods) {
    std::string name = pod["metadata"].value("name", "");
    for (const Json& c : pod["spec"].value("containers", Json::array())) {
      out.push_back({service_of(pod), name + "/" + c.value("name", "")});
    }
  }
  return out;
}

Result<std::string> PodLogReader::read(const LogSource& source, size_t tail,
                                       const std::string& since) {
  size_t slash = source.id.find('/');
  auto log = client_.pod_log(namespace_, source.id.substr(0, slash),
                             {.container = source.id.substr(slash + 1),
                              .tail_lines = tail,
                              .timestamps = true,
                              .since_time = since});
  if (!log) return Error{log.error().describe()};
  return std::move(log).value();
}

std::string last_pod_log_lines(KubeClient& client, const std::string& namespace_,
                               const std::string& selector, const std::string& service,
                               size_t lines) {
  auto pods = list_pods(client, namespace_, selector);
  if (!pods) return "";
  const Json* newest = nullptr;
  for (const Json& pod : *pods) {
    if (service_of(pod) != service) continue;
    // RFC 3339 in UTC: text order is time order.
    std::string created = pod["metadata"].value("creationTimestamp", "");
    if (!newest || created > (*newest)["metadata"].value("creationTimestamp", "")) newest = &pod;
  }
  if (!newest) return "";
  std::string pod = (*newest)["metadata"].value("name", "");
  const Json& containers = (*newest)["spec"].value("containers", Json::array());
  if (containers.empty()) return "";
  PodLogOptions options{.container = containers[0].value("name", ""), .tail_lines = lines};
  auto log = client.pod_log(namespace_, pod, options);
  if (!log || log->empty()) {
    options.previous = true;
    log = client.pod_log(namespace_, pod, options);
  }
  if (!log || log->empty()) return "";
  return fmt::format("  last {} log lines of {}/{}:\n{}", lines, pod, options.container,
                     indent(*log, "  | "));
}

}  // namespace fusion
