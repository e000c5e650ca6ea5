#include "gitops/install.h"

namespace fusion {
namespace gitops {
namespace {

using Json = nlohmann::json;

Json string_type(const char* description) {
  return {{"type", "string"}, {"description", description}};
}

Json spec_schema() {
  Json dependency = {
      {"type", "object"},
      {"required", {"name"}},
      {"properties", {{"name", {{"type", "string"}}}, {"namespace", {{"type", "string"}}}}}};
  return {
      {"type", "object"},
      {"required", {"url"}},
      {"properties",
       {{"url", string_type("The repository: https://…, ssh://…, git://… or a path")},
        {"branch", string_type("The branch to follow (default main)")},
        {"tag", string_type("A tag to follow instead of a branch")},
        {"commit", string_type("A fixed commit instead of a branch or tag")},
        {"path", string_type("The folder to render (default .)")},
        {"interval", string_type("How often to look for a new commit and drift (default 5m)")},
        {"timeout", string_type("For each git call and apply (default 2m)")},
        {"targetNamespace", string_type("Namespace for namespaced objects that name none")},
        {"secretRef",
         {{"type", "object"},
          {"properties", {{"name", {{"type", "string"}}}}},
          {"description", "A Secret with username/password, or identity/known_hosts"}}},
        {"prune",
         {{"type", "boolean"}, {"description", "Delete objects removed from git (default true)"}}},
        {"suspend", {{"type", "boolean"}}},
        {"dependsOn", {{"type", "array"}, {"items", dependency}}},
        {"serviceAccountName", string_type("Apply as this ServiceAccount")},
        {"drift", {{"type", "string"}, {"enum", {"correct", "warn"}}}},
        {"maxPrunePercent", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}}}};
}

}  // namespace

Json git_repository_crd() {
  Json columns = Json::array(
      {{{"name", "Phase"}, {"type", "string"}, {"jsonPath", ".status.phase"}},
       {{"name", "Commit"}, {"type", "string"}, {"jsonPath", ".status.lastSyncedCommit"}},
       {{"name", "Last sync"}, {"type", "date"}, {"jsonPath", ".status.lastSyncTime"}},
       {{"name", "Error"},
        {"type", "string"},
        {"jsonPath", ".status.lastError"},
        {"priority", 1}}});
  Json version = {
      {"name", "v1alpha1"},
      {"served", true},
      {"storage", true},
      {"subresources", {{"status", Json::object()}}},
      {"additionalPrinterColumns", columns},
      {"schema",
       {{"openAPIV3Schema",
         {{"type", "object"},
          {"properties",
           {{"spec", spec_schema()},
            {"status", {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}}}}}}}}};
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata", {{"name", "gitrepositories.gitops.fusion.dev"}}},
          {"spec",
           {{"group", "gitops.fusion.dev"},
            {"scope", "Namespaced"},
            {"names",
             {{"kind", "GitRepository"},
              {"listKind", "GitRepositoryList"},
              {"plural", "gitrepositories"},
              {"singular", "gitrepository"},
              {"shortNames", {"gitrepo"}}}},
            {"versions", {version}}}}};
}

std::vector<Json> install_objects(const InstallOptions& options) {
  const std::string& ns = options.namespace_;
  Json labels = {{"app.kubernetes.io/name", "fusion-gitops"}};
  Json role = {
      {"apiVersion", "rbac.authorization.k8s.io/v1"},
      {"kind", "ClusterRole"},
      {"metadata", {{"name", "fusion-gitops"}}},
      {"rules",
       {{{"apiGroups", {"gitops.fusion.dev"}},
         {"resources", {"gitrepositories"}},
         {"verbs", {"get", "list", "watch"}}},
        {{"apiGroups", {"gitops.fusion.dev"}},
         {"resources", {"gitrepositories/status"}},
         {"verbs", {"get", "patch", "update"}}},
        // What it applies comes from git: any kind. serviceAccountName narrows it per repository.
        {{"apiGroups", {"*"}}, {"resources", {"*"}}, {"verbs", {"*"}}}}}};
  Json deployment = {
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata", {{"name", "fusion-gitops"}, {"namespace", ns}, {"labels", labels}}},
      {"spec",
       {{"replicas", 1},
        {"selector", {{"matchLabels", labels}}},
        {"template",
         {{"metadata", {{"labels", labels}}},
          {"spec",
           {{"serviceAccountName", "fusion-gitops"},
            {"containers",
             {{{"name", "controller"},
               {"image", options.image},
               {"imagePullPolicy", "IfNotPresent"},
               {"args", {"gitops", "run"}},
               {"volumeMounts", {{{"name", "cache"}, {"mountPath", "/tmp"}}}}}}},
            {"volumes", {{{"name", "cache"}, {"emptyDir", Json::object()}}}}}}}}}}};
  // git keeps its cache and config under HOME: the emptyDir.
  deployment["spec"]["template"]["spec"]["containers"][0]["env"] =
      Json::array({Json{{"name", "HOME"}, {"value", "/tmp"}}});
  return {
      git_repository_crd(),
      {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}},
      {{"apiVersion", "v1"},
       {"kind", "ServiceAccount"},
       {"metadata", {{"name", "fusion-gitops"}, {"namespace", ns}}}},
      role,
      {{"apiVersion", "rbac.authorization.k8s.io/v1"},
       {"kind", "ClusterRoleBinding"},
       {"metadata", {{"name", "fusion-gitops"}}},
       {"roleRef",
        {{"apiGroup", "rbac.authorization.k8s.io"},
         {"kind", "ClusterRole"},
         {"name", "fusion-gitops"}}},
       {"subjects", {{{"kind", "ServiceAccount"}, {"name", "fusion-gitops"}, {"namespace", ns}}}}},
      deployment};
}

}  // namespace gitops
}  // namespace fusion
