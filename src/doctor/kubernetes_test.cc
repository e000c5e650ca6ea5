#include "doctor/kubernetes.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

namespace fusion {
namespace {

/// An API server of a table: "METHOD path" (with the query) → response; SelfSubjectAccess-
/// Reviews go to `review`, which answers allowed or not per verb and resource.
class FakeApiServer : public HttpTransport {
 public:
  HttpResponse send(const HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    std::string key = request.method + " " + request.path;
    requests.push_back(key);
    if (key == "POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
      auto body = nlohmann::json::parse(request.body);
      const auto& attributes = body["spec"]["resourceAttributes"];
      reviewed_namespaces.insert(attributes["namespace"].get<std::string>());
      bool allowed = review(attributes["verb"], attributes["resource"]);
      return json(201, {{"kind", "SelfSubjectAccessReview"}, {"status", {{"allowed", allowed}}}});
    }
    auto it = answers.find(key);
    if (it == answers.end())
      return json(404, status(404, "NotFound", "the server could not find the requested resource"));
    return it->second;
  }
  HttpResponse stream(const HttpRequest& request,
                      const std::function<bool(std::string_view)>&) override {
    return send(request);
  }

  static HttpResponse json(int code, const nlohmann::json& body) {
    HttpResponse response;
    response.status = code;
    response.body = body.dump();
    response.content_type = "application/json";
    return response;
  }
  static nlohmann::json status(int code, std::string reason, std::string message) {
    return {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
            {"code", code},     {"reason", reason},   {"message", message}};
  }

  std::map<std::string, HttpResponse> answers;
  std::function<bool(const std::string& verb, const std::string& resource)> review =
      [](const std::string&, const std::string&) { return true; };
  std::vector<std::string> requests;
  std::set<std::string> reviewed_namespaces;

 private:
  std::mutex mutex_;
};

constexpr const char* kApplyPath =
    "PATCH /api/v1/namespaces/shop/configmaps/fusion-doctor?fieldManager=fusion&dryRun=All";

/// A v1.20 server that serves configmaps and answers the dry-run apply.
void serve_healthy(FakeApiServer& server) {
  server.answers["GET /version"] =
      FakeApiServer::json(200, {{"major", "1"}, {"minor", "20"}, {"gitVersion", "v1.20.2"}});
  server.answers["GET /api/v1"] = FakeApiServer::json(
      200, {{"kind", "APIResourceList"},
            {"groupVersion", "v1"},
            {"resources",
             {{{"name", "configmaps"},
               {"kind", "ConfigMap"},
               {"namespaced", true},
               {"verbs", {"create", "delete", "get", "list", "patch", "watch"}}}}}});
  server.answers[kApplyPath] = FakeApiServer::json(
      200,
      {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "fusion-doctor"}}}});
}

const KubeTarget kTarget{"fusion-test", "https://127.0.0.1:6443", "shop"};

TEST(CheckKubernetes, EverythingAllowed) {
  FakeApiServer server;
  serve_healthy(server);
  KubeClient client(server, "shop");
  auto checks = check_kubernetes(client, kTarget);
  EXPECT_EQ(render_checks(checks),
            "ok    Kubernetes v1.20.2 at https://127.0.0.1:6443 (context fusion-test, namespace "
            "shop)\n"
            "ok    server-side apply works in namespace shop (a dry run of a ConfigMap, nothing "
            "stored)\n"
            "ok    may create, patch, delete, list, watch deployments, services, configmaps, "
            "secrets, jobs, persistentvolumeclaims in namespace shop\n"
            "3 checks: 3 ok, 0 warnings, 0 failures\n");
  EXPECT_EQ(std::count(server.requests.begin(), server.requests.end(),
                       "POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
            30);
  EXPECT_EQ(server.reviewed_namespaces, std::set<std::string>{"shop"});
}

TEST(CheckKubernetes, ADeniedVerbFailsNamingVerbAndResource) {
  FakeApiServer server;
  serve_healthy(server);
  server.review = [](const std::string& verb, const std::string& resource) {
    return !(resource == "secrets" && (verb == "patch" || verb == "delete")) &&
           !(resource == "deployments" && verb == "watch");
  };
  KubeClient client(server, "shop");
  auto checks = check_kubernetes(client, kTarget);
  ASSERT_EQ(checks.size(), 4u);
  EXPECT_EQ(checks[2].name, "kubernetes.access.deployments");
  EXPECT_EQ(checks[2].level, CheckLevel::kFail);
  EXPECT_EQ(checks[2].message, "may not watch deployments in namespace shop");
  EXPECT_EQ(checks[2].fix,
            "a cluster admin can grant them: kubectl -n shop create role fusion-deployments "
            "--verb=watch --resource=deployments.apps, then kubectl -n shop create rolebinding "
            "fusion-deployments --role=fusion-deployments --user=<you>");
  EXPECT_EQ(checks[3].message, "may not patch, delete secrets in namespace shop");
  EXPECT_TRUE(any_failed(checks));
}

TEST(CheckKubernetes, UnreachableStopsAtTheFirstCheck) {
  FakeApiServer server;
  HttpResponse refused;
  refused.transport_error = "Failed to connect to 127.0.0.1 port 6443: Connection refused";
  server.answers["GET /version"] = refused;
  KubeClient client(server, "shop");
  auto checks = check_kubernetes(client, kTarget);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].level, CheckLevel::kFail);
  EXPECT_TRUE(
      checks[0].message.starts_with("cannot reach https://127.0.0.1:6443 (context "
                                    "fusion-test): "))
      << checks[0].message;
  EXPECT_NE(checks[0].message.find("Connection refused"), std::string::npos) << checks[0].message;
  EXPECT_EQ(server.requests, std::vector<std::string>{"GET /version"});
}

TEST(CheckKubernetes, MissingNamespace) {
  FakeApiServer server;
  serve_healthy(server);
  server.answers[kApplyPath] = FakeApiServer::json(
      404, FakeApiServer::status(404, "NotFound", "namespaces \"shop\" not found"));
  KubeClient client(server, "shop");
  auto checks = check_kubernetes(client, kTarget);
  EXPECT_EQ(checks[1].level, CheckLevel::kFail);
  EXPECT_EQ(checks[1].message, "namespace shop does not exist");
  EXPECT_EQ(checks[1].fix, "kubectl create namespace shop, or pass --namespace");
}

TEST(CheckKubernetes, ApplyRefusedOrReviewsUnavailable) {
  FakeApiServer server;
  serve_healthy(server);
  server.answers[kApplyPath] = FakeApiServer::json(
      403, FakeApiServer::status(403, "Forbidden",
                                 "configmaps \"fusion-doctor\" is forbidden: User \"dev\" cannot "
                                 "patch resource \"configmaps\" in the namespace \"shop\""));
  server.review = [](const std::string&, const std::string&) { return false; };
  KubeClient client(server, "shop");
  auto checks = check_kubernetes(client, kTarget);
  EXPECT_EQ(checks[1].level, CheckLevel::kFail);
  EXPECT_TRUE(
      checks[1].message.starts_with("a dry-run server-side apply in namespace shop "
                                    "failed: "));
  EXPECT_NE(checks[1].message.find("cannot patch resource"), std::string::npos);
  EXPECT_EQ(checks.size(), 2u + 6u);  // every resource denied
}

TEST(KubeconfigPresent, FilesVariableAndInCluster) {
  namespace fs = std::filesystem;
  fs::path home = fs::temp_directory_path() / ("doctor-kube-" + std::to_string(getpid()));
  fs::create_directories(home / ".kube");
  KubeconfigEnvironment env;
  env.home = home;
  EXPECT_FALSE(kubeconfig_present({}, env));
  KubeconfigOptions named;
  named.kubeconfig = "/nowhere";
  EXPECT_TRUE(kubeconfig_present(named, env));  // named: load says why
  std::ofstream(home / ".kube/config") << "apiVersion: v1\n";
  EXPECT_TRUE(kubeconfig_present({}, env));
  env.kubeconfig_variable = "/nowhere/a:/nowhere/b";  // replaces ~/.kube/config, as kubectl
  EXPECT_FALSE(kubeconfig_present({}, env));
  env.kubeconfig_variable = "/nowhere/a:" + (home / ".kube/config").string();
  EXPECT_TRUE(kubeconfig_present({}, env));
  KubeconfigEnvironment pod;
  pod.service_host = "10.96.0.1";
  EXPECT_TRUE(kubeconfig_present({}, pod));
  fs::remove_all(home);
}

}  // namespace
}  // namespace fusion
