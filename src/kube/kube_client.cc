#include "kube/kube_client.h"

#include <fmt/format.h>

#include <thread>

#include "kube/url_query.h"

namespace fusion {

namespace {

HttpRequest json_request(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.headers.emplace_back("Accept", "application/json");
  return request;
}

KubeResult<nlohmann::json> parse_json_body(const HttpResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded()) {
    ApiError error;
    error.code = response.status;
    error.reason = "InvalidResponse";
    error.message = fmt::format("the server answered {} with a body that is not JSON: {}",
                                response.status, response.body.substr(0, 200));
    return error;
  }
  return body;
}

ApiError invalid_object(const std::string& message) {
  ApiError error;
  error.code = 400;
  error.reason = "BadRequest";
  error.message = message;
  return error;
}

}  // namespace

KubeClient::KubeClient(HttpTransport& transport, std::string default_namespace,
                       RateLimiter::Options rate)
    : transport_(transport),
      default_namespace_(default_namespace.empty() ? "default" : std::move(default_namespace)),
      rate_limiter_(rate, clock_),
      discovery_([this](const std::string& path) { return get_path(path); }) {}

HttpResponse KubeClient::send(HttpRequest request) {
  Millis wait = rate_limiter_.reserve();
  if (wait.count() > 0) std::this_thread::sleep_for(wait);
  return transport_.send(request);
}

KubeResult<nlohmann::json> KubeClient::send_json(HttpRequest request) {
  HttpResponse response = send(std::move(request));
  if (!response.ok()) return api_error_from_response(response);
  return parse_json_body(response);
}

KubeResult<nlohmann::json> KubeClient::get_path(const std::string& path) {
  return send_json(json_request("GET", path));
}

KubeResult<std::string> KubeClient::pod_log(const std::string& namespace_, const std::string& pod,
                                            const PodLogOptions& options) {
  std::string path = fmt::format(
      "/api/v1/namespaces/{}/pods/{}/log{}", url_encode(namespace_), url_encode(pod),
      url_query({{"container", options.container},
                 {"tailLines", options.tail_lines ? std::to_string(options.tail_lines) : ""},
                 {"timestamps", options.timestamps ? "true" : ""},
                 {"sinceTime", options.since_time},
                 {"previous", options.previous ? "true" : ""}}));
  HttpRequest request;
  request.path = std::move(path);
  request.headers.emplace_back("Accept", "text/plain, application/json");
  HttpResponse response = send(std::move(request));
  if (!response.ok()) return api_error_from_response(response);
  return std::move(response.body);
}

KubeResult<nlohmann::json> KubeClient::post_path(const std::string& path,
                                                 const nlohmann::json& body) {
  HttpRequest request = json_request("POST", path);
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = body.dump();
  return send_json(std::move(request));
}

KubeResult<std::string> KubeClient::collection_path(const std::string& api_version,
                                                    const std::string& kind,
                                                    const std::string& namespace_) {
  KubeResult<ApiResource> resource = discovery_.resource_for(api_version, kind);
  if (!resource.ok()) return resource.error();
  std::string path = resource->group_version_path();
  if (resource->namespaced && namespace_ != "*")
    path += "/namespaces/" + (namespace_.empty() ? default_namespace_ : namespace_);
  return path + "/" + resource->plural;
}

KubeResult<std::string> KubeClient::path_of(const ObjectRef& ref) {
  if (ref.api_version.empty() || ref.kind.empty())
    return invalid_object("an object needs apiVersion and kind");
  KubeResult<std::string> collection = collection_path(ref.api_version, ref.kind, ref.namespace_);
  if (!collection.ok() || ref.name.empty()) return collection;
  return collection.value() + "/" + ref.name;
}

KubeResult<nlohmann::json> KubeClient::get(const ObjectRef& ref) {
  if (ref.name.empty()) return invalid_object(fmt::format("get {}: no name", ref.kind));
  KubeResult<std::string> path = path_of(ref);
  if (!path.ok()) return path.error();
  return get_path(path.value());
}

KubeResult<ObjectList> KubeClient::list(const std::string& api_version, const std::string& kind,
                                        const std::string& namespace_, const ListOptions& options) {
  KubeResult<std::string> path = collection_path(api_version, kind, namespace_);
  if (!path.ok()) return path.error();
  ObjectList list;
  std::string next;
  do {
    KubeResult<nlohmann::json> page = get_path(
        path.value() + url_query({{"labelSelector", options.label_selector},
                                  {"fieldSelector", options.field_selector},
                                  {"limit", options.limit > 0 ? std::to_string(options.limit) : ""},
                                  {"continue", next}}));
    if (!page.ok()) return page.error();
    ++list.pages;
    nlohmann::json& body = page.value();
    const nlohmann::json metadata = body.value("metadata", nlohmann::json::object());
    if (list.pages == 1) list.resource_version = metadata.value("resourceVersion", "");
    next = metadata.value("continue", "");
    if (auto items = body.find("items"); items != body.end() && items->is_array()) {
      for (nlohmann::json& item : *items) {
        // A list's items carry no apiVersion and kind of their own.
        item["apiVersion"] = api_version;
        item["kind"] = kind;
        list.items.push_back(std::move(item));
      }
    }
  } while (!next.empty());
  return list;
}

KubeResult<nlohmann::json> KubeClient::apply(const nlohmann::json& object,
                                             const ApplyOptions& options) {
  return apply_to(object, "", options);
}

KubeResult<nlohmann::json> KubeClient::apply_status(const nlohmann::json& status_object,
                                                    const ApplyOptions& options) {
  return apply_to(status_object, "/status", options);
}

KubeResult<nlohmann::json> KubeClient::apply_to(const nlohmann::json& object,
                                                const std::string& subresource,
                                                const ApplyOptions& options) {
  ObjectRef ref = object_ref_of(object);
  if (ref.name.empty()) return invalid_object("server-side apply needs metadata.name");
  KubeResult<std::string> path = path_of(ref);
  if (!path.ok()) return path.error();
  HttpRequest request =
      json_request("PATCH", path.value() + subresource +
                                url_query({{"fieldManager", options.field_manager},
                                           {"force", options.force ? "true" : ""},
                                           {"dryRun", options.dry_run ? "All" : ""}}));
  request.headers.emplace_back("Content-Type", "application/apply-patch+yaml");
  request.body = object.dump();  // JSON is YAML
  return send_json(std::move(request));
}

KubeResult<nlohmann::json> KubeClient::create(const nlohmann::json& object, bool dry_run) {
  ObjectRef ref = object_ref_of(object);
  KubeResult<std::string> path = collection_path(ref.api_version, ref.kind, ref.namespace_);
  if (!path.ok()) return path.error();
  HttpRequest request =
      json_request("POST", path.value() + url_query({{"dryRun", dry_run ? "All" : ""}}));
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = object.dump();
  return send_json(std::move(request));
}

KubeResult<nlohmann::json> KubeClient::remove(const ObjectRef& ref, const DeleteOptions& options) {
  if (ref.name.empty()) return invalid_object(fmt::format("delete {}: no name", ref.kind));
  KubeResult<std::string> path = path_of(ref);
  if (!path.ok()) return path.error();
  nlohmann::json body = {{"apiVersion", "v1"}, {"kind", "DeleteOptions"}};
  if (!options.propagation.empty()) body["propagationPolicy"] = options.propagation;
  if (!options.precondition_uid.empty()) body["preconditions"]["uid"] = options.precondition_uid;
  if (!options.precondition_resource_version.empty())
    body["preconditions"]["resourceVersion"] = options.precondition_resource_version;
  if (options.dry_run) body["dryRun"] = {"All"};
  HttpRequest request = json_request("DELETE", path.value());
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = body.dump();
  return send_json(std::move(request));
}

}  // namespace fusion
