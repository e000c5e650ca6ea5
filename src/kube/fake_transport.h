#pragma once
// A transport for unit tests: records every request and answers from routes registered by
// method and path (the path without its query), or 404 with a Status like the API server's.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kube/http_transport.h"

namespace fusion {

class FakeTransport : public HttpTransport {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  void on(const std::string& method, const std::string& path, Handler handler) {
    routes_[method + " " + path] = std::move(handler);
  }
  void on(const std::string& method, const std::string& path, int status, std::string body) {
    on(method, path, [status, body](const HttpRequest&) {
      return HttpResponse{status, body, "application/json", ""};
    });
  }
  /// The core and apps groups with a few resources, as a v1.20 server lists them.
  void serve_discovery() {
    on("GET", "/api/v1", 200, R"({"kind":"APIResourceList","groupVersion":"v1","resources":[
      {"name":"configmaps","namespaced":true,"kind":"ConfigMap","verbs":["create","delete","get","list","patch","watch"]},
      {"name":"namespaces","namespaced":false,"kind":"Namespace","verbs":["create","delete","get","list","patch","watch"]},
      {"name":"namespaces/status","namespaced":false,"kind":"Namespace","verbs":["get","patch"]},
      {"name":"pods","namespaced":true,"kind":"Pod","verbs":["create","delete","get","list","patch","watch"]},
      {"name":"pods/log","namespaced":true,"kind":"Pod","verbs":["get"]},
      {"name":"services","namespaced":true,"kind":"Service","verbs":["create","delete","get","list","patch","watch"]}]})");
    on("GET", "/apis/apps/v1", 200,
       R"({"kind":"APIResourceList","groupVersion":"apps/v1","resources":[
      {"name":"deployments","namespaced":true,"kind":"Deployment","verbs":["create","delete","get","list","patch","watch"]},
      {"name":"deployments/status","namespaced":true,"kind":"Deployment","verbs":["get","patch"]}]})");
  }

  HttpResponse send(const HttpRequest& request) override {
    Handler handler;
    {
      std::lock_guard lock(mutex_);
      requests.push_back(request);
      auto it = routes_.find(request.method + " " + request.path.substr(0, request.path.find('?')));
      if (it != routes_.end()) handler = it->second;
    }
    if (handler) return handler(request);
    return HttpResponse{
        404,
        R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404})",
        "application/json", ""};
  }
  HttpResponse stream(const HttpRequest& request,
                      const std::function<bool(std::string_view)>& on_data) override {
    HttpResponse response = send(request);
    if (!response.ok()) return response;
    // The body in small pieces, as a network delivers a watch.
    for (size_t at = 0; at < response.body.size(); at += 7)
      if (!on_data(std::string_view(response.body).substr(at, 7))) break;
    response.body.clear();
    return response;
  }

  /// "GET /api/v1/namespaces/x/pods?limit=500", one per request, in order.
  std::vector<std::string> request_lines() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> lines;
    for (const HttpRequest& request : requests)
      lines.push_back(request.method + " " + request.path);
    return lines;
  }

  std::vector<HttpRequest> requests;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Handler> routes_;
};

}  // namespace fusion
