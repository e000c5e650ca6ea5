#include "kube/credentials.h"

#include <fmt/format.h>

#include <ctime>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/base64.h"
#include "util/file.h"

namespace fusion {

namespace {

class StaticCredentialSource : public CredentialSource {
 public:
  explicit StaticCredentialSource(Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<Credentials> credentials() override { return credentials_; }

 private:
  Credentials credentials_;
};

class TokenFileCredentialSource : public CredentialSource {
 public:
  explicit TokenFileCredentialSource(std::filesystem::path file) : file_(std::move(file)) {}
  Result<Credentials> credentials() override {
    Result<std::string> token = read_file(file_);
    if (!token.ok()) return Error{fmt::format("token file: {}", token.error())};
    Credentials credentials;
    credentials.token = token.value();
    while (!credentials.token.empty() &&
           (credentials.token.back() == '\n' || credentials.token.back() == '\r'))
      credentials.token.pop_back();
    return credentials;
  }

 private:
  std::filesystem::path file_;
};

std::string text_of(const nlohmann::json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::nullopt;
  std::string rest;
  std::getline(in, rest);
  if (!rest.empty() && rest[0] == '.') {  // fractional seconds: ignored
    size_t end = rest.find_first_not_of("0123456789", 1);
    rest = end == std::string::npos ? "" : rest.substr(end);
  }
  long offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    offset = (std::stol(rest.substr(1, 2)) * 60 + std::stol(rest.substr(4, 2))) * 60;
    if (rest[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  time_t seconds = timegm(&tm) - offset;
  return std::chrono::system_clock::from_time_t(seconds);
}

Result<Credentials> parse_exec_credential(const std::string& json,
                                          const std::string& expected_api_version) {
  nlohmann::json credential = nlohmann::json::parse(json, nullptr, false);
  if (!credential.is_object()) return Error{"the exec plugin's output is not a JSON object"};
  if (text_of(credential, "kind") != "ExecCredential")
    return Error{"the exec plugin's output is not an ExecCredential"};
  std::string api_version = text_of(credential, "apiVersion");
  if (!expected_api_version.empty() && api_version != expected_api_version)
    return Error{fmt::format("the exec plugin answered {} but the kubeconfig asked for {}",
                             api_version, expected_api_version)};
  auto status = credential.find("status");
  if (status == credential.end() || !status->is_object())
    return Error{"the exec plugin's ExecCredential has no status"};
  Credentials credentials;
  credentials.token = text_of(*status, "token");
  credentials.client_certificate_pem = text_of(*status, "clientCertificateData");
  credentials.client_key_pem = text_of(*status, "clientKeyData");
  if (credentials.token.empty() && credentials.client_certificate_pem.empty())
    return Error{"the exec plugin's ExecCredential has neither a token nor a client certificate"};
  if (credentials.client_certificate_pem.empty() != credentials.client_key_pem.empty())
    return Error{"the exec plugin's ExecCredential has a client certificate without its key"};
  if (std::string expiry = text_of(*status, "expirationTimestamp"); !expiry.empty()) {
    credentials.expires = parse_rfc3339(expiry);
    if (!credentials.expires)
      return Error{
          fmt::format("the exec plugin's expirationTimestamp '{}' is not RFC 3339", expiry)};
  }
  return credentials;
}

ExecCredentialSource::ExecCredentialSource(ExecPlugin plugin, const ClusterConnection& cluster,
                                           ProcessRunner& runner, WallClock now)
    : plugin_(std::move(plugin)),
      server_(cluster.server),
      ca_pem_(cluster.ca_pem),
      insecure_(cluster.insecure_skip_tls_verify),
      runner_(runner),
      now_(std::move(now)) {}

std::string ExecCredentialSource::exec_info() const {
  nlohmann::json info = {{"apiVersion", plugin_.api_version},
                         {"kind", "ExecCredential"},
                         {"spec", {{"interactive", false}}}};
  if (plugin_.provide_cluster_info) {
    nlohmann::json cluster = {{"server", server_}, {"insecure-skip-tls-verify", insecure_}};
    if (!ca_pem_.empty()) cluster["certificate-authority-data"] = base64_encode(ca_pem_);
    info["spec"]["cluster"] = cluster;
  }
  return info.dump();
}

Result<Credentials> ExecCredentialSource::credentials() {
  std::lock_guard lock(mutex_);
  // Renewed a little before it expires, so a request does not leave with a token that dies
  // on the way.
  if (cached_ && (!cached_->expires || now_() + std::chrono::seconds(10) < *cached_->expires))
    return *cached_;
  ProcessSpec spec;
  spec.argv.push_back(plugin_.command);
  spec.argv.insert(spec.argv.end(), plugin_.args.begin(), plugin_.args.end());
  spec.env = plugin_.env;
  spec.env.emplace_back("KUBERNETES_EXEC_INFO", exec_info());
  spec.timeout = std::chrono::seconds(60);
  ++runs_;
  ProcessResult result = runner_.run(spec);
  if (!result.ok()) {
    std::string message = fmt::format("the exec credential plugin '{}' failed: {}", plugin_.command,
                                      result.last_line());
    if (result.exit_code == -1 && !plugin_.install_hint.empty())
      message += "\n" + plugin_.install_hint;
    return Error{message};
  }
  Result<Credentials> parsed = parse_exec_credential(result.out, plugin_.api_version);
  if (!parsed.ok()) return Error{fmt::format("{}: {}", plugin_.command, parsed.error())};
  cached_ = parsed.value();
  return parsed;
}

void ExecCredentialSource::invalidate() {
  std::lock_guard lock(mutex_);
  cached_.reset();
}

std::unique_ptr<CredentialSource> credential_source_for(const ClusterConnection& connection,
                                                        ProcessRunner& runner) {
  if (connection.exec)
    return std::make_unique<ExecCredentialSource>(*connection.exec, connection, runner);
  if (!connection.token_file.empty() && connection.token.empty())
    return std::make_unique<TokenFileCredentialSource>(connection.token_file);
  Credentials credentials;
  credentials.token = connection.token;
  credentials.client_certificate_pem = connection.client_certificate_pem;
  credentials.client_key_pem = connection.client_key_pem;
  return std::make_unique<StaticCredentialSource>(std::move(credentials));
}

}  // namespace fusion
