#include "kube/kubeconfig.h"

#include <gtest/gtest.h>

#include <fstream>

#include "util/base64.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;

class KubeconfigTest : public ::testing::Test {
 protected:
  KubeconfigTest() {
    folder =
        fs::temp_directory_path() /
        ("fusion-kubeconfig-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder);
    fs::create_directories(folder / "certs");
  }
  ~KubeconfigTest() override { fs::remove_all(folder); }

  fs::path write(const std::string& name, const std::string& text) {
    fs::path path = folder / name;
    std::ofstream(path) << text;
    return path;
  }
  KubeconfigEnvironment environment_with(const std::string& variable) {
    KubeconfigEnvironment environment;
    environment.kubeconfig_variable = variable;
    environment.home = folder / "home";
    return environment;
  }

  fs::path folder;
};

constexpr const char* kTeamConfig = R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: https://dev.example.com:6443
    certificate-authority: certs/ca.crt
    tls-server-name: api.dev.internal
    proxy-url: http://proxy:3128
- name: prod-cluster
  cluster:
    server: https://prod.example.com
    insecure-skip-tls-verify: true
users:
- name: dev-user
  user:
    token: dev-token
- name: cert-user
  user:
    client-certificate: certs/client.crt
    client-key: certs/client.key
contexts:
- name: dev
  context: {cluster: dev-cluster, user: dev-user, namespace: team-a}
- name: prod
  context: {cluster: prod-cluster, user: cert-user}
)";

TEST_F(KubeconfigTest, ResolvesTheCurrentContextWithPathsRelativeToTheFile) {
  write("certs/ca.crt", "CA PEM");
  fs::path config = write("config", kTeamConfig);
  Result<ClusterConnection> connection =
      load_cluster_connection({.kubeconfig = config}, environment_with(""));
  ASSERT_TRUE(connection.ok()) << connection.error();
  EXPECT_EQ(connection->context_name, "dev");
  EXPECT_EQ(connection->server, "https://dev.example.com:6443");
  EXPECT_EQ(connection->ca_pem, "CA PEM");
  EXPECT_EQ(connection->tls_server_name, "api.dev.internal");
  EXPECT_EQ(connection->proxy_url, "http://proxy:3128");
  EXPECT_EQ(connection->token, "dev-token");
  EXPECT_EQ(connection->namespace_, "team-a");
}

TEST_F(KubeconfigTest, ContextAndNamespaceFlagsWin) {
  write("certs/client.crt", "CERT");
  write("certs/client.key", "KEY");
  fs::path config = write("config", kTeamConfig);
  Result<ClusterConnection> connection = load_cluster_connection(
      {.kubeconfig = config, .context = "prod", .namespace_ = "shop"}, environment_with(""));
  ASSERT_TRUE(connection.ok()) << connection.error();
  EXPECT_TRUE(connection->insecure_skip_tls_verify);
  EXPECT_EQ(connection->client_certificate_pem, "CERT");
  EXPECT_EQ(connection->client_key_pem, "KEY");
  EXPECT_EQ(connection->namespace_, "shop");
}

TEST_F(KubeconfigTest, UnknownContextSuggestsTheClosest) {
  fs::path config = write("config", kTeamConfig);
  Result<ClusterConnection> connection =
      load_cluster_connection({.kubeconfig = config, .context = "prd"}, environment_with(""));
  ASSERT_FALSE(connection.ok());
  EXPECT_EQ(connection.error(), "no context 'prd' in the kubeconfig; did you mean 'prod'?");
}

TEST_F(KubeconfigTest, KubeconfigFilesMergeWithTheFirstValueWinning) {
  fs::path first = write("first", R"(current-context: a
clusters:
- name: shared
  cluster: {server: https://first:6443, certificate-authority-data: )" +
                                      base64_encode("FIRST CA") + R"(}
users:
- name: u
  user: {username: alice, password: secret}
contexts:
- name: a
  context: {cluster: shared, user: u}
)");
  fs::path second = write("second", R"(current-context: b
clusters:
- name: shared
  cluster: {server: https://second:6443}
- name: other
  cluster: {server: https://other:6443}
contexts:
- name: a
  context: {cluster: other}
- name: b
  context: {cluster: other, user: u}
)");
  KubeconfigEnvironment environment = environment_with(
      first.string() + ":" + (folder / "missing").string() + ":" + second.string());
  Result<ClusterConnection> a = load_cluster_connection({}, environment);
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->context_name, "a");
  EXPECT_EQ(a->server, "https://first:6443");
  EXPECT_EQ(a->ca_pem, "FIRST CA");
  EXPECT_EQ(a->username, "alice");
  Result<ClusterConnection> b = load_cluster_connection({.context = "b"}, environment);
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b->server, "https://other:6443");
  EXPECT_EQ(b->namespace_, "default");
  Result<std::vector<std::string>> contexts = kubeconfig_contexts({}, environment);
  ASSERT_TRUE(contexts.ok());
  EXPECT_EQ(contexts.value(), (std::vector<std::string>{"a", "b"}));
}

TEST_F(KubeconfigTest, ReadsExecPluginsAsEksAndGkeWriteThem) {
  fs::path config = write("config", R"(apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: )" + base64_encode("EKS CA") +
                                        R"(
    server: https://ABC.gr7.eu-west-1.eks.amazonaws.com
  name: arn:aws:eks:eu-west-1:123:cluster/prod
contexts:
- context:
    cluster: arn:aws:eks:eu-west-1:123:cluster/prod
    user: arn:aws:eks:eu-west-1:123:cluster/prod
  name: arn:aws:eks:eu-west-1:123:cluster/prod
current-context: arn:aws:eks:eu-west-1:123:cluster/prod
kind: Config
users:
- name: arn:aws:eks:eu-west-1:123:cluster/prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args: [--region, eu-west-1, eks, get-token, --cluster-name, prod]
      command: aws
      env:
      - name: AWS_PROFILE
        value: prod
      provideClusterInfo: true
      installHint: install the AWS CLI
)");
  Result<ClusterConnection> connection =
      load_cluster_connection({.kubeconfig = config}, environment_with(""));
  ASSERT_TRUE(connection.ok()) << connection.error();
  ASSERT_TRUE(connection->exec.has_value());
  EXPECT_EQ(connection->exec->api_version, "client.authentication.k8s.io/v1beta1");
  EXPECT_EQ(connection->exec->command, "aws");
  EXPECT_EQ(connection->exec->args.size(), 6u);
  EXPECT_EQ(connection->exec->env.at(0),
            (std::pair<std::string, std::string>{"AWS_PROFILE", "prod"}));
  EXPECT_TRUE(connection->exec->provide_cluster_info);
  EXPECT_EQ(connection->ca_pem, "EKS CA");
}

TEST_F(KubeconfigTest, FallsBackToHomeThenToTheInClusterAccount) {
  KubeconfigEnvironment environment = environment_with("");
  EXPECT_EQ(load_cluster_connection({}, environment).error(),
            "no kubeconfig: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config");
  fs::create_directories(folder / "sa");
  std::ofstream(folder / "sa" / "token") << "sa-token\n";
  std::ofstream(folder / "sa" / "ca.crt") << "CLUSTER CA";
  std::ofstream(folder / "sa" / "namespace") << "fusion-system";
  environment.service_host = "10.96.0.1";
  environment.service_port = "443";
  environment.service_account_dir = folder / "sa";
  Result<ClusterConnection> in_cluster = load_cluster_connection({}, environment);
  ASSERT_TRUE(in_cluster.ok()) << in_cluster.error();
  EXPECT_TRUE(in_cluster->in_cluster);
  EXPECT_EQ(in_cluster->server, "https://10.96.0.1:443");
  EXPECT_EQ(in_cluster->token_file, folder / "sa" / "token");
  EXPECT_EQ(in_cluster->ca_pem, "CLUSTER CA");
  EXPECT_EQ(in_cluster->namespace_, "fusion-system");

  fs::create_directories(folder / "home" / ".kube");
  std::ofstream(folder / "home" / ".kube" / "config") << kTeamConfig;
  write("certs/ca.crt", "CA");
  // ~/.kube/config wins over the in-cluster account, as in kubectl. Its relative paths are
  // relative to ~/.kube.
  Result<ClusterConnection> home = load_cluster_connection({}, environment);
  ASSERT_FALSE(home.ok());
  EXPECT_NE(home.error().find(".kube/certs/ca.crt"), std::string::npos) << home.error();
}

TEST_F(KubeconfigTest, BrokenFilesAndReferencesAreClearErrors) {
  fs::path broken = write("broken", "clusters: [\n");
  Result<ClusterConnection> parsed =
      load_cluster_connection({.kubeconfig = broken}, environment_with(""));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().rfind(broken.string() + ":", 0), 0u) << parsed.error();

  fs::path dangling = write("dangling", R"(current-context: x
contexts:
- name: x
  context: {cluster: nowhere, user: nobody}
)");
  EXPECT_EQ(load_cluster_connection({.kubeconfig = dangling}, environment_with("")).error(),
            "context 'x' names cluster 'nowhere', which the kubeconfig does not have");
  EXPECT_EQ(load_cluster_connection({.kubeconfig = folder / "nope"}, environment_with("")).error(),
            "--kubeconfig " + (folder / "nope").string() + ": no such file");
}

}  // namespace
}  // namespace fusion
