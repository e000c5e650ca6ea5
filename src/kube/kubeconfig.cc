#include "kube/kubeconfig.h"

#include <fmt/format.h>

#include <cstdlib>
#include <set>

#include "registry/yaml_tree.h"
#include "util/base64.h"
#include "util/file.h"
#include "util/strings.h"

namespace fusion {

namespace {

namespace fs = std::filesystem;

/// One named entry (cluster, user or context) of one file, with the folder its relative paths
/// start from.
struct NamedEntry {
  std::string name;
  const YamlNode* body = nullptr;
  fs::path folder;
};

/// Every file's documents stay alive while entries point into them.
struct MergedKubeconfig {
  std::vector<std::unique_ptr<YamlDocument>> documents;
  std::vector<fs::path> files;
  std::vector<NamedEntry> clusters, users, contexts;
  std::string current_context;
};

const YamlNode* child(const YamlNode* map, std::string_view key) {
  if (map == nullptr || !map->IsMap()) return nullptr;
  for (const YamlNode::Entry& entry : map->entries())
    if (entry.key->Scalar() == key) return entry.value;
  return nullptr;
}

std::string text(const YamlNode* map, std::string_view key) {
  const YamlNode* value = child(map, key);
  return value != nullptr && value->IsScalar() ? value->Scalar() : std::string();
}

bool flag(const YamlNode* map, std::string_view key) { return text(map, key) == "true"; }

/// Adds the entries of `list` (clusters, users or contexts) whose name is not taken yet: the
/// first file to name one wins, as kubectl merges.
void merge_entries(const YamlNode* list, const char* body_key, const fs::path& folder,
                   std::vector<NamedEntry>& into) {
  if (list == nullptr || !list->IsSequence()) return;
  for (const YamlNode* item : list->items()) {
    std::string name = text(item, "name");
    if (name.empty()) continue;
    bool taken = false;
    for (const NamedEntry& existing : into) taken = taken || existing.name == name;
    if (!taken) into.push_back({name, child(item, body_key), folder});
  }
}

Status merge_file(const fs::path& file, MergedKubeconfig& merged) {
  Result<std::string> content = read_file(file);
  if (!content.ok()) return Error{content.error()};
  auto parsed = YamlDocument::parse(content.value());
  if (auto* error = std::get_if<YamlSyntaxError>(&parsed))
    return Error{
        fmt::format("{}:{}:{}: {}", file.string(), error->line, error->column, error->message)};
  auto document = std::make_unique<YamlDocument>(std::get<YamlDocument>(std::move(parsed)));
  const YamlNode* root = &document->root();
  if (!root->IsMap() && !root->IsNull())
    return Error{
        fmt::format("{}: not a kubeconfig (a map of clusters, users, contexts)", file.string())};
  fs::path folder = fs::absolute(file).parent_path();
  merge_entries(child(root, "clusters"), "cluster", folder, merged.clusters);
  merge_entries(child(root, "users"), "user", folder, merged.users);
  merge_entries(child(root, "contexts"), "context", folder, merged.contexts);
  if (merged.current_context.empty()) merged.current_context = text(root, "current-context");
  merged.files.push_back(file);
  merged.documents.push_back(std::move(document));
  return ok_status();
}

/// The files kubectl would read: --kubeconfig alone, else every existing file of KUBECONFIG,
/// else ~/.kube/config if it exists.
Result<std::vector<fs::path>> kubeconfig_files(const KubeconfigOptions& options,
                                               const KubeconfigEnvironment& environment) {
  if (!options.kubeconfig.empty()) {
    if (!fs::exists(options.kubeconfig))
      return Error{fmt::format("--kubeconfig {}: no such file", options.kubeconfig.string())};
    return std::vector<fs::path>{options.kubeconfig};
  }
  std::vector<fs::path> files;
  std::set<std::string> seen;
  for (std::string_view part : split(environment.kubeconfig_variable, ':')) {
    if (part.empty() || !seen.insert(std::string(part)).second) continue;
    if (fs::exists(fs::path(part))) files.emplace_back(part);
  }
  if (files.empty() && environment.kubeconfig_variable.empty() && !environment.home.empty()) {
    fs::path home_config = environment.home / ".kube" / "config";
    if (fs::exists(home_config)) files.push_back(home_config);
  }
  return files;
}

const NamedEntry* find_named(const std::vector<NamedEntry>& entries, const std::string& name) {
  for (const NamedEntry& entry : entries)
    if (entry.name == name) return &entry;
  return nullptr;
}

/// The PEM of `key`-data (base64) or of the file `key` names (relative to the entry's file).
Result<std::string> pem_of(const NamedEntry& entry, const std::string& key) {
  std::string data = text(entry.body, key + "-data");
  if (!data.empty()) {
    std::optional<std::string> decoded = base64_decode(data);
    if (!decoded) return Error{fmt::format("{} '{}': {}-data is not base64", key, entry.name, key)};
    return *decoded;
  }
  std::string file = text(entry.body, key);
  if (file.empty()) return std::string();
  fs::path path = fs::path(file).is_absolute() ? fs::path(file) : entry.folder / file;
  Result<std::string> content = read_file(path);
  if (!content.ok()) return Error{fmt::format("{} of '{}': {}", key, entry.name, content.error())};
  return content.value();
}

std::optional<ExecPlugin> exec_plugin_of(const YamlNode* user, const fs::path& folder) {
  const YamlNode* exec = child(user, "exec");
  if (exec == nullptr || !exec->IsMap()) return std::nullopt;
  ExecPlugin plugin;
  plugin.api_version = text(exec, "apiVersion");
  plugin.command = text(exec, "command");
  // A command with a slash is relative to the kubeconfig's folder, as kubectl resolves it.
  if (plugin.command.find('/') != std::string::npos && !fs::path(plugin.command).is_absolute())
    plugin.command = (folder / plugin.command).string();
  if (const YamlNode* args = child(exec, "args"); args != nullptr && args->IsSequence())
    for (const YamlNode* arg : args->items()) plugin.args.push_back(arg->Scalar());
  if (const YamlNode* env = child(exec, "env"); env != nullptr && env->IsSequence())
    for (const YamlNode* variable : env->items())
      plugin.env.emplace_back(text(variable, "name"), text(variable, "value"));
  plugin.provide_cluster_info = flag(exec, "provideClusterInfo");
  plugin.install_hint = text(exec, "installHint");
  return plugin;
}

Status fill_cluster(const NamedEntry& cluster, ClusterConnection& connection) {
  connection.server = text(cluster.body, "server");
  if (connection.server.empty())
    return Error{fmt::format("cluster '{}' has no server", cluster.name)};
  Result<std::string> ca = pem_of(cluster, "certificate-authority");
  if (!ca.ok()) return Error{ca.error()};
  connection.ca_pem = ca.value();
  connection.insecure_skip_tls_verify = flag(cluster.body, "insecure-skip-tls-verify");
  connection.tls_server_name = text(cluster.body, "tls-server-name");
  connection.proxy_url = text(cluster.body, "proxy-url");
  return ok_status();
}

Status fill_user(const NamedEntry& user, ClusterConnection& connection) {
  connection.token = text(user.body, "token");
  if (std::string file = text(user.body, "tokenFile"); !file.empty())
    connection.token_file = fs::path(file).is_absolute() ? fs::path(file) : user.folder / file;
  Result<std::string> certificate = pem_of(user, "client-certificate");
  if (!certificate.ok()) return Error{certificate.error()};
  Result<std::string> key = pem_of(user, "client-key");
  if (!key.ok()) return Error{key.error()};
  connection.client_certificate_pem = certificate.value();
  connection.client_key_pem = key.value();
  if (connection.client_certificate_pem.empty() != connection.client_key_pem.empty())
    return Error{
        fmt::format("user '{}' has a client certificate without its key, or a key "
                    "without its certificate",
                    user.name)};
  connection.username = text(user.body, "username");
  connection.password = text(user.body, "password");
  connection.exec = exec_plugin_of(user.body, user.folder);
  return ok_status();
}

Result<MergedKubeconfig> read_merged(const KubeconfigOptions& options,
                                     const KubeconfigEnvironment& environment) {
  Result<std::vector<fs::path>> files = kubeconfig_files(options, environment);
  if (!files.ok()) return Error{files.error()};
  MergedKubeconfig merged;
  for (const fs::path& file : files.value())
    if (Status status = merge_file(file, merged); !status.ok()) return Error{status.error()};
  return merged;
}

Result<ClusterConnection> in_cluster_connection(const KubeconfigOptions& options,
                                                const KubeconfigEnvironment& environment) {
  fs::path token_file = environment.service_account_dir / "token";
  if (!fs::exists(token_file))
    return Error{fmt::format("in-cluster: {} is missing", token_file.string())};
  ClusterConnection connection;
  connection.in_cluster = true;
  std::string host = environment.service_host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";  // IPv6
  connection.server = fmt::format(
      "https://{}:{}", host, environment.service_port.empty() ? "443" : environment.service_port);
  connection.context_name = "in-cluster";
  connection.token_file = token_file;
  if (Result<std::string> ca = read_file(environment.service_account_dir / "ca.crt"); ca.ok())
    connection.ca_pem = ca.value();
  Result<std::string> pod_namespace = read_file(environment.service_account_dir / "namespace");
  if (!options.namespace_.empty()) {
    connection.namespace_ = options.namespace_;
  } else if (pod_namespace.ok() && !pod_namespace.value().empty()) {
    std::string value = pod_namespace.value();
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
    connection.namespace_ = value;
  }
  return connection;
}

}  // namespace

KubeconfigEnvironment KubeconfigEnvironment::from_process() {
  auto variable = [](const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
  };
  KubeconfigEnvironment environment;
  environment.kubeconfig_variable = variable("KUBECONFIG");
  environment.home = variable("HOME");
  environment.service_host = variable("KUBERNETES_SERVICE_HOST");
  environment.service_port = variable("KUBERNETES_SERVICE_PORT");
  return environment;
}

Result<ClusterConnection> load_cluster_connection(const KubeconfigOptions& options,
                                                  const KubeconfigEnvironment& environment) {
  Result<MergedKubeconfig> merged = read_merged(options, environment);
  if (!merged.ok()) return Error{merged.error()};
  if (merged->files.empty()) {
    if (!environment.service_host.empty()) return in_cluster_connection(options, environment);
    return Error{"no kubeconfig: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config"};
  }
  std::string context_name = options.context.empty() ? merged->current_context : options.context;
  if (context_name.empty()) return Error{"the kubeconfig has no current-context; pass --context"};
  const NamedEntry* context = find_named(merged->contexts, context_name);
  if (context == nullptr) {
    std::vector<std::string> names;
    for (const NamedEntry& entry : merged->contexts) names.push_back(entry.name);
    std::string message = fmt::format("no context '{}' in the kubeconfig", context_name);
    if (auto suggestion = closest_match(context_name, names))
      message += fmt::format("; did you mean '{}'?", *suggestion);
    return Error{message};
  }
  ClusterConnection connection;
  connection.context_name = context_name;
  connection.cluster_name = text(context->body, "cluster");
  connection.user_name = text(context->body, "user");
  const NamedEntry* cluster = find_named(merged->clusters, connection.cluster_name);
  if (cluster == nullptr)
    return Error{fmt::format("context '{}' names cluster '{}', which the kubeconfig does not have",
                             context_name, connection.cluster_name)};
  if (Status status = fill_cluster(*cluster, connection); !status.ok())
    return Error{status.error()};
  if (!connection.user_name.empty()) {
    const NamedEntry* user = find_named(merged->users, connection.user_name);
    if (user == nullptr)
      return Error{fmt::format("context '{}' names user '{}', which the kubeconfig does not have",
                               context_name, connection.user_name)};
    if (Status status = fill_user(*user, connection); !status.ok()) return Error{status.error()};
  }
  std::string context_namespace = text(context->body, "namespace");
  connection.namespace_ = !options.namespace_.empty()  ? options.namespace_
                          : !context_namespace.empty() ? context_namespace
                                                       : "default";
  return connection;
}

Result<std::vector<std::string>> kubeconfig_contexts(const KubeconfigOptions& options,
                                                     const KubeconfigEnvironment& environment) {
  Result<MergedKubeconfig> merged = read_merged(options, environment);
  if (!merged.ok()) return Error{merged.error()};
  std::vector<std::string> names;
  for (const NamedEntry& entry : merged->contexts) names.push_back(entry.name);
  return names;
}

}  // namespace fusion
