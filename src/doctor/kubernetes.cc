#include "doctor/kubernetes.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "util/parallel.h"
#include "util/strings.h"

namespace fusion {

namespace fs = std::filesystem;

const std::vector<KubeResourceKind>& applied_resources() {
  static const std::vector<KubeResourceKind> kinds = {
      {"apps", "deployments"}, {"", "services"},  {"", "configmaps"},
      {"", "secrets"},         {"batch", "jobs"}, {"", "persistentvolumeclaims"}};
  return kinds;
}

const std::vector<std::string>& needed_verbs() {
  static const std::vector<std::string> verbs = {"create", "patch", "delete", "list", "watch"};
  return verbs;
}

bool kubeconfig_present(const KubeconfigOptions& options,
                        const KubeconfigEnvironment& environment) {
  if (!options.kubeconfig.empty()) return true;
  std::error_code ec;
  if (!environment.kubeconfig_variable.empty()) {
    for (std::string_view file : split(environment.kubeconfig_variable, ':')) {
      if (!file.empty() && fs::exists(std::string(file), ec)) return true;
    }
    return false;  // kubectl reads only $KUBECONFIG's files when it is set
  }
  if (!environment.home.empty() && fs::exists(environment.home / ".kube/config", ec)) return true;
  return !environment.service_host.empty();
}

CheckResult no_kubernetes_context() {
  return check_warn("kubernetes", "no Kubernetes context: fine unless you use --target kubernetes",
                    "set KUBECONFIG, or pass --kubeconfig and --context");
}

namespace {

nlohmann::json doctor_config_map(const std::string& namespace_) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata",
           {{"name", "fusion-doctor"},
            {"namespace", namespace_},
            {"labels", {{"app.kubernetes.io/managed-by", "fusion"}}}}},
          {"data", {{"check", "server-side apply"}}}};
}

CheckResult check_apply(KubeClient& client, const KubeTarget& target) {
  const char* kName = "kubernetes.apply";
  auto applied = client.apply(doctor_config_map(target.namespace_),
                              {.field_manager = "fusion", .dry_run = true});
  if (applied.ok()) {
    return check_ok(kName, fmt::format("server-side apply works in namespace {} (a dry run of a "
                                       "ConfigMap, nothing stored)",
                                       target.namespace_));
  }
  const ApiError& error = applied.error();
  if (error.not_found() && error.message.find("namespace") != std::string::npos) {
    return check_fail(
        kName, fmt::format("namespace {} does not exist", target.namespace_),
        fmt::format("kubectl create namespace {}, or pass --namespace", target.namespace_));
  }
  if (error.code == 415 || error.code == 405) {
    return check_fail(kName, "the server has no server-side apply: " + error.describe(),
                      "fusion needs Kubernetes 1.18 or newer");
  }
  return check_fail(kName, fmt::format("a dry-run server-side apply in namespace {} failed: {}",
                                       target.namespace_, error.describe()));
}

nlohmann::json access_review(const std::string& namespace_, const KubeResourceKind& kind,
                             const std::string& verb) {
  return {{"apiVersion", "authorization.k8s.io/v1"},
          {"kind", "SelfSubjectAccessReview"},
          {"spec",
           {{"resourceAttributes",
             {{"namespace", namespace_},
              {"verb", verb},
              {"group", kind.group},
              {"resource", kind.resource}}}}}};
}

struct Review {
  bool allowed = false;
  std::string error;  ///< the review itself failed
};

std::vector<CheckResult> access_checks(KubeClient& client, const KubeTarget& target) {
  const auto& kinds = applied_resources();
  const auto& verbs = needed_verbs();
  std::vector<Review> reviews(kinds.size() * verbs.size());
  parallel_for_each(reviews.size(), 6, [&](size_t i) {
    auto answer = client.post_path(
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        access_review(target.namespace_, kinds[i / verbs.size()], verbs[i % verbs.size()]));
    if (!answer.ok()) {
      reviews[i].error = answer.error().describe();
    } else {
      reviews[i].allowed = answer->value("/status/allowed"_json_pointer, false);
    }
  });
  for (const Review& review : reviews) {
    if (!review.error.empty()) {
      return {check_fail("kubernetes.access",
                         "cannot ask the server what this user may do: " + review.error)};
    }
  }
  std::vector<CheckResult> checks;
  std::vector<std::string> names;
  for (size_t k = 0; k < kinds.size(); ++k) {
    names.push_back(kinds[k].resource);
    std::vector<std::string> denied;
    for (size_t v = 0; v < verbs.size(); ++v) {
      if (!reviews[k * verbs.size() + v].allowed) denied.push_back(verbs[v]);
    }
    if (denied.empty()) continue;
    checks.push_back(check_fail(
        "kubernetes.access." + kinds[k].resource,
        fmt::format("may not {} {} in namespace {}", join(denied, ", "), kinds[k].resource,
                    target.namespace_),
        fmt::format(
            "a cluster admin can grant them: kubectl -n {} create role fusion-{} "
            "--verb={} --resource={}, then kubectl -n {} create rolebinding fusion-{} "
            "--role=fusion-{} --user=<you>",
            target.namespace_, kinds[k].resource, join(denied, ","),
            kinds[k].group.empty() ? kinds[k].resource : kinds[k].resource + "." + kinds[k].group,
            target.namespace_, kinds[k].resource, kinds[k].resource)));
  }
  if (checks.empty()) {
    checks.push_back(
        check_ok("kubernetes.access", fmt::format("may {} {} in namespace {}", join(verbs, ", "),
                                                  join(names, ", "), target.namespace_)));
  }
  return checks;
}

}  // namespace

std::vector<CheckResult> check_kubernetes(KubeClient& client, const KubeTarget& target) {
  auto version = client.get_path("/version");
  if (!version.ok()) {
    return {check_fail("kubernetes",
                       fmt::format("cannot reach {} (context {}): {}", target.server,
                                   target.context, version.error().describe()),
                       "check the cluster is up and the kubeconfig's server, or choose another "
                       "context with --context")};
  }
  std::vector<CheckResult> checks = {check_ok(
      "kubernetes", fmt::format("Kubernetes {} at {} (context {}, namespace {})",
                                version->value("gitVersion", std::string("(version unknown)")),
                                target.server, target.context, target.namespace_))};
  checks.push_back(check_apply(client, target));
  for (CheckResult& check : access_checks(client, target)) checks.push_back(std::move(check));
  return checks;
}

}  // namespace fusion
