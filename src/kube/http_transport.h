#pragma once
// The only way kube/ reaches a server: a request in, a response (or a stream of body chunks)
// out. CurlTransport is the real one; unit tests pass a fake that records requests and answers
// from a table.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fusion {

struct HttpRequest {
  std::string method = "GET";
  std::string path;  ///< with the query: "/api/v1/namespaces/x/pods?limit=500"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// The whole call, connection included; 0 means the transport's default. Watches pass
  /// their own (the server closes them at timeoutSeconds).
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  /// The HTTP status; 0 when no response came (`transport_error` says why).
  int status = 0;
  std::string body;
  std::string content_type;
  std::string transport_error;
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Sends one request and reads the whole response. Safe to call from several threads.
  virtual HttpResponse send(const HttpRequest& request) = 0;
  /// Sends one request and, when the answer is a 2xx, hands its body to `on_data` as it
  /// arrives (a watch); `on_data` returns false to stop reading. Any other answer's body is
  /// read whole into the response, as `send` does.
  virtual HttpResponse stream(const HttpRequest& request,
                              const std::function<bool(std::string_view)>& on_data) = 0;
};

}  // namespace fusion
