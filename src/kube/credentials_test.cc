#include "kube/credentials.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fusion {
namespace {

using std::chrono::system_clock;

class FakePluginRunner : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec& spec) override {
    specs.push_back(spec);
    return result;
  }
  std::vector<ProcessSpec> specs;
  ProcessResult result;
};

std::string exec_credential(const std::string& token, const std::string& expiry) {
  return nlohmann::json{{"apiVersion", "client.authentication.k8s.io/v1"},
                        {"kind", "ExecCredential"},
                        {"status", {{"token", token}, {"expirationTimestamp", expiry}}}}
      .dump();
}

TEST(Rfc3339, ParsesUtcOffsetsAndFractions) {
  auto t = parse_rfc3339("2026-11-27T13:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(system_clock::to_time_t(*t), 1795784400);
  EXPECT_EQ(parse_rfc3339("2026-11-27T14:30:00.123456+01:30"), t);
  EXPECT_FALSE(parse_rfc3339("yesterday"));
  EXPECT_FALSE(parse_rfc3339("2026-11-27T13:00:00"));
}

TEST(ExecCredential, ParsesTokenAndCertificateAnswers) {
  Result<Credentials> token = parse_exec_credential(
      exec_credential("k8s-aws-v1.abc", "2026-11-27T13:00:00Z"), "client.authentication.k8s.io/v1");
  ASSERT_TRUE(token.ok()) << token.error();
  EXPECT_EQ(token->token, "k8s-aws-v1.abc");
  EXPECT_TRUE(token->expires);
  Result<Credentials> certificate = parse_exec_credential(
      R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"clientCertificateData":"C","clientKeyData":"K"}})",
      "client.authentication.k8s.io/v1beta1");
  ASSERT_TRUE(certificate.ok()) << certificate.error();
  EXPECT_EQ(certificate->client_certificate_pem, "C");
  EXPECT_FALSE(certificate->expires);
}

TEST(ExecCredential, RefusesAnswersThatCannotBeUsed) {
  EXPECT_EQ(parse_exec_credential("not json", "").error(),
            "the exec plugin's output is not a JSON object");
  EXPECT_EQ(parse_exec_credential(exec_credential("t", "2026-11-27T13:00:00Z"),
                                  "client.authentication.k8s.io/v1beta1")
                .error(),
            "the exec plugin answered client.authentication.k8s.io/v1 but the kubeconfig asked for "
            "client.authentication.k8s.io/v1beta1");
  EXPECT_EQ(parse_exec_credential(R"({"kind":"ExecCredential","status":{}})", "").error(),
            "the exec plugin's ExecCredential has neither a token nor a client certificate");
}

TEST(ExecCredentialSource, RunsThePluginOnceUntilTheTokenExpires) {
  FakePluginRunner runner;
  runner.result.exit_code = 0;
  runner.result.out = exec_credential("first", "2026-11-27T13:00:00Z");
  system_clock::time_point now = *parse_rfc3339("2026-11-27T12:00:00Z");
  ExecPlugin plugin{
      "client.authentication.k8s.io/v1", "gke-gcloud-auth-plugin", {"--x"}, {{"A", "1"}}, true, ""};
  ClusterConnection cluster;
  cluster.server = "https://34.1.2.3";
  cluster.ca_pem = "CA";
  ExecCredentialSource source(plugin, cluster, runner, [&] { return now; });

  ASSERT_EQ(source.credentials()->token, "first");
  ASSERT_EQ(source.credentials()->token, "first");
  EXPECT_EQ(source.runs(), 1);
  const ProcessSpec& spec = runner.specs.at(0);
  EXPECT_EQ(spec.argv, (std::vector<std::string>{"gke-gcloud-auth-plugin", "--x"}));
  EXPECT_EQ(spec.env.at(0).first, "A");
  nlohmann::json info = nlohmann::json::parse(spec.env.at(1).second);
  EXPECT_EQ(spec.env.at(1).first, "KUBERNETES_EXEC_INFO");
  EXPECT_EQ(info["spec"]["cluster"]["server"], "https://34.1.2.3");
  EXPECT_EQ(info["spec"]["cluster"]["certificate-authority-data"], "Q0E=");
  EXPECT_EQ(info["spec"]["interactive"], false);

  // Ten seconds before expiry it is renewed; a 401 renews it at once.
  now = *parse_rfc3339("2026-11-27T12:59:55Z");
  runner.result.out = exec_credential("second", "2026-11-27T14:00:00Z");
  EXPECT_EQ(source.credentials()->token, "second");
  EXPECT_EQ(source.runs(), 2);
  source.invalidate();
  runner.result.out = exec_credential("third", "2026-11-27T14:00:00Z");
  EXPECT_EQ(source.credentials()->token, "third");
  EXPECT_EQ(source.runs(), 3);
}

TEST(ExecCredentialSource, AMissingPluginSaysHowToInstallIt) {
  FakePluginRunner runner;
  runner.result.exit_code = -1;
  runner.result.err = "aws: not found";
  ExecPlugin plugin{
      "client.authentication.k8s.io/v1beta1", "aws", {}, {}, false, "install the AWS CLI"};
  ExecCredentialSource source(plugin, ClusterConnection{}, runner);
  Result<Credentials> credentials = source.credentials();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.error(),
            "the exec credential plugin 'aws' failed: aws: not found\ninstall the AWS CLI");
}

}  // namespace
}  // namespace fusion
