#include "kube_runtime/kube_plan.h"

#include <algorithm>
#include <set>

#include "kube/apply_batch.h"

namespace fusion {
namespace {

using Json = nlohmann::json;

constexpr const char* kServiceNameLabel = "app.kubernetes.io/name";

bool is_namespaced(const std::string& kind) { return kind != "Namespace"; }

std::string live_digest(const Json& object) {
  const Json& annotations = object["metadata"].value("annotations", Json::object());
  return annotations.value(kAppliedDigestAnnotation, "");
}

/// The live object `object` names, or null.
const Json* live_of(const Json& object, const LiveObjects& live) {
  auto kind = live.find(object.value("kind", ""));
  if (kind == live.end()) return nullptr;
  auto it = kind->second.find(object["metadata"].value("name", ""));
  return it == kind->second.end() ? nullptr : &it->second;
}

void decide(KubeServicePlan& s, const LiveObjects& live) {
  size_t found = 0;
  std::string changed;
  bool job_changed = false;
  for (const Json& object : s.objects) {
    const Json* current = live_of(object, live);
    if (!current) continue;
    ++found;
    if (live_digest(*current) == live_digest(object)) continue;
    if (changed.empty())
      changed = object.value("kind", "") + " " + object["metadata"].value("name", "");
    job_changed |= object.value("kind", "") == "Job";
  }
  if (found == s.objects.size() && changed.empty()) {
    s.action = KubeAction::kKeep;
    s.reason = "unchanged: every object is live as fusion applied it";
  } else if (job_changed) {
    s.action = KubeAction::kReplace;
    s.reason = "its Job changed, and a Job's pod template cannot change in place";
  } else if (found == 0) {
    s.action = KubeAction::kApply;
    s.reason = "not on the cluster";
  } else {
    s.action = KubeAction::kApply;
    s.reason = changed.empty() ? "some of its objects are missing" : changed + " changed";
  }
}

}  // namespace

std::string stack_selector(const std::string& stack) {
  return std::string(kPartOfLabel) + "=" + stack + "," + kManagedByLabel + "=fusion";
}

const std::vector<StackKind>& stack_kinds() {
  static const std::vector<StackKind> kinds = {{"v1", "ConfigMap"},
                                               {"v1", "Secret"},
                                               {"v1", "PersistentVolumeClaim"},
                                               {"v1", "Service"},
                                               {"apps/v1", "Deployment"},
                                               {"apps/v1", "StatefulSet"},
                                               {"batch/v1", "Job"},
                                               {"networking.k8s.io/v1", "Ingress"}};
  return kinds;
}

const char* kube_action_name(KubeAction a) {
  switch (a) {
    case KubeAction::kApply:
      return "apply";
    case KubeAction::kKeep:
      return "keep";
    case KubeAction::kReplace:
      return "replace";
  }
  return "?";
}

Json placed(Json object, const std::string& namespace_, const std::string& stack) {
  Json& metadata = object["metadata"];
  if (is_namespaced(object.value("kind", ""))) metadata["namespace"] = namespace_;
  metadata["labels"][kPartOfLabel] = stack;
  metadata["labels"][kManagedByLabel] = "fusion";
  if (metadata.contains("annotations")) metadata["annotations"].erase(kAppliedDigestAnnotation);
  std::string digest = object_digest(object);
  metadata["annotations"][kAppliedDigestAnnotation] = digest;
  return object;
}

void decide_kube_actions(KubePlan& plan, const LiveObjects& live) {
  std::set<std::pair<std::string, std::string>> wanted;  // kind, name
  std::set<std::string> planned;
  for (KubeServicePlan& s : plan.services) {
    decide(s, live);
    planned.insert(s.service->name.value);
    for (const Json& o : s.objects)
      wanted.insert({o.value("kind", ""), o["metadata"].value("name", "")});
  }
  for (const Json& o : plan.shared)
    wanted.insert({o.value("kind", ""), o["metadata"].value("name", "")});
  plan.prune.clear();
  for (const StackKind& k : stack_kinds()) {
    auto of_kind = live.find(k.kind);
    if (of_kind == live.end()) continue;
    for (const auto& [name, object] : of_kind->second) {
      const Json& labels = object["metadata"].value("labels", Json::object());
      std::string service = labels.value(kServiceNameLabel, "");
      // Only a planned service's own objects, or those of a service gone from the registry:
      // claims hold data, and a service left out of this up (a subset, a profile) keeps what
      // it has.
      bool removed = !plan.registry_services.empty() && !plan.registry_services.contains(service);
      if (service.empty() || (!planned.contains(service) && !removed) ||
          wanted.contains({k.kind, name})) {
        continue;
      }
      plan.prune.push_back({k.api_version, k.kind, plan.namespace_, name});
    }
  }
}

void request_restarts(KubePlan& plan, const std::vector<std::string>& names,
                      const std::string& stamp) {
  for (KubeServicePlan& s : plan.services) {
    if (std::find(names.begin(), names.end(), s.service->name.value) == names.end()) continue;
    if (s.job) {
      if (s.action == KubeAction::kKeep) s.action = KubeAction::kReplace;
    } else {
      s.action = KubeAction::kApply;
      for (Json& o : s.objects) {
        if (o.contains("spec") && o["spec"].contains("template")) {
          o["spec"]["template"]["metadata"]["annotations"][kRestartedAtAnnotation] = stamp;
        }
      }
    }
    s.kept_completed = false;
    s.reason = "restart requested";
  }
}

std::vector<std::string> pod_images(const std::vector<Json>& objects) {
  std::set<std::string> images;
  for (const Json& o : objects) {
    const Json* pod = nullptr;
    if (o.contains("spec") && o["spec"].contains("template")) {
      pod = &o["spec"]["template"]["spec"];
    } else if (o.value("kind", "") == "Pod") {
      pod = &o["spec"];
    }
    if (!pod) continue;
    for (const char* list : {"initContainers", "containers"}) {
      for (const Json& c : pod->value(list, Json::array())) images.insert(c.value("image", ""));
    }
  }
  images.erase("");
  return {images.begin(), images.end()};
}

}  // namespace fusion
