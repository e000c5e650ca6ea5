#include "kube/watch_stream.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace fusion {

namespace {

std::optional<WatchEvent::Type> event_type(const std::string& name) {
  if (name == "ADDED") return WatchEvent::Type::kAdded;
  if (name == "MODIFIED") return WatchEvent::Type::kModified;
  if (name == "DELETED") return WatchEvent::Type::kDeleted;
  if (name == "BOOKMARK") return WatchEvent::Type::kBookmark;
  return std::nullopt;
}

ApiError error_of_status(const nlohmann::json& status) {
  HttpResponse response;
  response.status = status.value("code", 500);
  response.body = status.dump();
  return api_error_from_response(response);
}

}  // namespace

std::vector<WatchStream::Item> WatchStream::feed(std::string_view chunk) {
  std::vector<Item> items;
  pending_.append(chunk);
  size_t start = 0;
  for (size_t newline; (newline = pending_.find('\n', start)) != std::string::npos;
       start = newline + 1) {
    std::string_view line(pending_.data() + start, newline - start);
    if (line.find_first_not_of(" \r\t") == std::string_view::npos) continue;
    items.push_back(decode(line));
  }
  pending_.erase(0, start);
  return items;
}

WatchStream::Item WatchStream::decode(std::string_view line) {
  Item item;
  nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
  if (!json.is_object()) {
    ApiError error;
    error.code = 500;
    error.reason = "InvalidResponse";
    error.message = fmt::format("a watch event that is not JSON: {}", line.substr(0, 200));
    item.error = std::move(error);
    return item;
  }
  std::string type = json.value("type", "");
  nlohmann::json object = json.value("object", nlohmann::json::object());
  if (type == "ERROR") {
    item.error = error_of_status(object);
    return item;
  }
  std::optional<WatchEvent::Type> known = event_type(type);
  if (!known) {
    ApiError error;
    error.code = 500;
    error.reason = "InvalidResponse";
    error.message = fmt::format("a watch event of unknown type '{}'", type);
    item.error = std::move(error);
    return item;
  }
  if (object.is_object()) {
    const nlohmann::json& metadata = object.value("metadata", nlohmann::json::object());
    std::string version = metadata.value("resourceVersion", "");
    if (!version.empty()) resource_version_ = version;
  }
  item.event = WatchEvent{*known, std::move(object)};
  return item;
}

}  // namespace fusion
