#include "kube/api_error.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace fusion {

namespace {

std::string text_of(const nlohmann::json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string reason_of_code(int code) {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 409:
      return "Conflict";
    case 410:
      return "Expired";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return code >= 500 ? "InternalError" : "Unknown";
  }
}

}  // namespace

ApiError api_error_from_response(const HttpResponse& response) {
  ApiError error;
  error.code = response.status;
  if (response.status == 0) {
    error.reason = "Unreachable";
    error.message = response.transport_error;
    return error;
  }
  nlohmann::json status = nlohmann::json::parse(response.body, nullptr, false);
  if (status.is_object() && text_of(status, "kind") == "Status") {
    error.reason = text_of(status, "reason");
    error.message = text_of(status, "message");
    auto details = status.find("details");
    if (details != status.end() && details->is_object()) {
      auto causes = details->find("causes");
      if (causes != details->end() && causes->is_array()) {
        for (const nlohmann::json& cause : *causes) {
          if (!cause.is_object()) continue;
          error.causes.push_back(
              {text_of(cause, "field"), text_of(cause, "reason"), text_of(cause, "message")});
        }
      }
    }
  } else {
    std::string body = response.body.substr(0, 500);
    while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
    error.message = body.empty() ? fmt::format("HTTP {}", response.status) : body;
  }
  if (error.reason.empty()) error.reason = reason_of_code(response.status);
  return error;
}

std::vector<std::string> ApiError::conflicting_managers() const {
  // The server says: Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1:
  // .spec.replicas. Each cause of reason FieldManagerConflict has the same words in its
  // message, and the field in its field.
  std::vector<std::string> managers;
  auto add_from = [&](const std::string& text) {
    size_t at = 0;
    while ((at = text.find("conflict with \"", at)) != std::string::npos) {
      at += 15;
      size_t end = text.find('"', at);
      if (end == std::string::npos) break;
      std::string manager = text.substr(at, end - at);
      if (std::find(managers.begin(), managers.end(), manager) == managers.end())
        managers.push_back(manager);
      at = end;
    }
  };
  for (const ApiErrorCause& cause : causes) add_from(cause.message);
  add_from(message);
  return managers;
}

std::string ApiError::describe() const {
  std::string text = code == 0 ? fmt::format("cannot reach the API server: {}", message)
                               : fmt::format("{} {}: {}", code, reason, message);
  for (const ApiErrorCause& cause : causes) {
    if (!cause.field.empty() && message.find(cause.field) != std::string::npos) continue;
    text += "\n  ";
    if (!cause.field.empty()) text += cause.field + ": ";
    text += cause.message.empty() ? cause.reason : cause.message;
  }
  return text;
}

}  // namespace fusion
