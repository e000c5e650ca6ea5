#include "kube/curl_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

namespace fusion {

namespace {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Split {
  std::string scheme_host_port;  ///< "https://h:6443"
  std::string host, port;
  std::string path_prefix;  ///< a server URL may carry a path ("https://h/k8s/clusters/c1")
};

Split split_server(const std::string& server) {
  Split split;
  size_t scheme_end = server.find("://");
  size_t host_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  size_t path_start = server.find('/', host_start);
  split.scheme_host_port = server.substr(0, path_start);
  if (path_start != std::string::npos) split.path_prefix = server.substr(path_start);
  while (!split.path_prefix.empty() && split.path_prefix.back() == '/')
    split.path_prefix.pop_back();
  std::string authority = server.substr(host_start, path_start - host_start);
  size_t colon = authority.rfind(':');
  bool bracketed = !authority.empty() && authority.back() == ']';
  if (colon != std::string::npos && !bracketed) {
    split.host = authority.substr(0, colon);
    split.port = authority.substr(colon + 1);
  } else {
    split.host = authority;
    split.port = server.rfind("http://", 0) == 0 ? "80" : "443";
  }
  return split;
}

struct Transfer {
  CURL* curl = nullptr;
  HttpResponse* response = nullptr;
  const std::function<bool(std::string_view)>* on_data = nullptr;
  bool stopped = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
  if (transfer->on_data != nullptr && status >= 200 && status < 300) {
    if (!(*transfer->on_data)(std::string_view(data, bytes))) {
      transfer->stopped = true;
      return 0;  // ends the transfer
    }
    return bytes;
  }
  transfer->response->body.append(data, bytes);
  return bytes;
}

}  // namespace

struct CurlTransport::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

CurlTransport::CurlTransport(ClusterConnection connection,
                             std::unique_ptr<CredentialSource> credentials, Options options)
    : connection_(std::move(connection)), credentials_(std::move(credentials)), options_(options) {
  init_curl_once();
  Split split = split_server(connection_.server);
  base_url_ = split.scheme_host_port + split.path_prefix;
  if (!connection_.tls_server_name.empty() && connection_.tls_server_name != split.host) {
    // Ask for the name the certificate carries and connect to the real address: curl then
    // sends that name as SNI and verifies the certificate against it.
    size_t scheme_end = split.scheme_host_port.find("://");
    base_url_ = fmt::format("{}://{}:{}{}", split.scheme_host_port.substr(0, scheme_end),
                            connection_.tls_server_name, split.port, split.path_prefix);
    connect_to_ =
        fmt::format("{}:{}:{}:{}", connection_.tls_server_name, split.port, split.host, split.port);
  }
}

CurlTransport::~CurlTransport() = default;

long CurlTransport::connections_opened() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

std::unique_ptr<CurlTransport::Handle> CurlTransport::take_handle() {
  std::lock_guard lock(mutex_);
  if (!idle_.empty()) {
    std::unique_ptr<Handle> handle = std::move(idle_.back());
    idle_.pop_back();
    return handle;
  }
  auto handle = std::make_unique<Handle>();
  handle->curl = curl_easy_init();
  return handle;
}

void CurlTransport::give_back(std::unique_ptr<Handle> handle) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(handle));
}

HttpResponse CurlTransport::send(const HttpRequest& request) { return perform(request, nullptr); }

HttpResponse CurlTransport::stream(const HttpRequest& request,
                                   const std::function<bool(std::string_view)>& on_data) {
  return perform(request, &on_data);
}

HttpResponse CurlTransport::perform(const HttpRequest& request,
                                    const std::function<bool(std::string_view)>* on_data) {
  for (int attempt = 0;; ++attempt) {
    Result<Credentials> credentials = credentials_->credentials();
    if (!credentials.ok()) {
      HttpResponse response;
      response.transport_error = credentials.error();
      return response;
    }
    HttpResponse response = perform_once(request, credentials.value(), on_data);
    // A 401 may mean a cached exec credential expired early: ask again, once.
    if (response.status != 401 || attempt > 0) return response;
    credentials_->invalidate();
  }
}

HttpResponse CurlTransport::perform_once(const HttpRequest& request, const Credentials& credentials,
                                         const std::function<bool(std::string_view)>* on_data) {
  std::unique_ptr<Handle> handle = take_handle();
  CURL* curl = handle->curl;
  curl_easy_reset(curl);  // options go, the connection cache stays
  HttpResponse response;
  Transfer transfer{curl, &response, on_data, false};
  std::string url = base_url_ + request.path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "fusion/0.1.0");
  long timeout = (request.timeout.count() > 0 ? request.timeout : options_.timeout).count();
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_slist* connect_to = nullptr;
  if (!connect_to_.empty()) {
    connect_to = curl_slist_append(nullptr, connect_to_.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to);
  }
  if (!connection_.proxy_url.empty())
    curl_easy_setopt(curl, CURLOPT_PROXY, connection_.proxy_url.c_str());

  // Trust
  curl_blob ca{const_cast<char*>(connection_.ca_pem.data()), connection_.ca_pem.size(),
               CURL_BLOB_NOCOPY};
  if (connection_.insecure_skip_tls_verify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!connection_.ca_pem.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca);
  }
  // Log in
  curl_blob certificate{const_cast<char*>(credentials.client_certificate_pem.data()),
                        credentials.client_certificate_pem.size(), CURL_BLOB_NOCOPY};
  curl_blob key{const_cast<char*>(credentials.client_key_pem.data()),
                credentials.client_key_pem.size(), CURL_BLOB_NOCOPY};
  if (!credentials.client_certificate_pem.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &certificate);
    curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key);
    curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
  }
  curl_slist* headers = nullptr;
  if (!credentials.token.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + credentials.token).c_str());
  } else if (!connection_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, connection_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, connection_.password.c_str());
  }
  for (const auto& [name, value] : request.headers)
    headers = curl_slist_append(headers, fmt::format("{}: {}", name, value).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (!request.body.empty() || request.method == "POST" || request.method == "PATCH" ||
      request.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);

  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  long opened = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &opened);
  char* content_type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) response.content_type = content_type;
  curl_slist_free_all(headers);
  curl_slist_free_all(connect_to);

  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && transfer.stopped)) {
    response.status = static_cast<int>(status);
  } else if (on_data != nullptr && code == CURLE_OPERATION_TIMEDOUT && status >= 200 &&
             status < 300) {
    response.status = static_cast<int>(status);  // a watch that outlived its time: it ended
  } else {
    response.status = 0;
    response.transport_error = fmt::format("{} ({})", curl_easy_strerror(code), base_url_);
  }
  {
    std::lock_guard lock(mutex_);
    connections_ += opened;
  }
  give_back(std::move(handle));
  return response;
}

}  // namespace fusion
