// KubeClient::watch: a streamed GET ?watch=1 decoded by WatchStream.

#include <thread>

#include "kube/kube_client.h"
#include "kube/url_query.h"
#include "kube/watch_stream.h"

namespace fusion {

KubeResult<std::string> KubeClient::watch(const std::string& api_version, const std::string& kind,
                                          const std::string& namespace_,
                                          const WatchOptions& options,
                                          const std::function<bool(const WatchEvent&)>& on_event) {
  KubeResult<std::string> path = collection_path(api_version, kind, namespace_);
  if (!path.ok()) return path.error();
  HttpRequest request;
  request.method = "GET";
  request.path =
      path.value() + url_query({{"watch", "1"},
                                {"allowWatchBookmarks", options.bookmarks ? "true" : ""},
                                {"timeoutSeconds", std::to_string(options.server_timeout.count())},
                                {"resourceVersion", options.resource_version},
                                {"labelSelector", options.label_selector},
                                {"fieldSelector", options.field_selector}});
  request.headers.emplace_back("Accept", "application/json");
  request.timeout = options.server_timeout + std::chrono::seconds(30);

  WatchStream stream;
  stream.resume_from(options.resource_version);
  std::optional<ApiError> failure;
  Millis wait = rate_limiter_.reserve();
  if (wait.count() > 0) std::this_thread::sleep_for(wait);
  HttpResponse response = transport_.stream(request, [&](std::string_view chunk) {
    for (WatchStream::Item& item : stream.feed(chunk)) {
      if (item.error) {
        failure = std::move(item.error);
        return false;
      }
      if (item.event->type == WatchEvent::Type::kBookmark) continue;
      if (!on_event(*item.event)) return false;
    }
    return true;
  });
  if (failure) return *failure;
  if (response.status == 0 || (response.status >= 300 && response.status != 200))
    return api_error_from_response(response);
  return stream.resource_version();
}

}  // namespace fusion
