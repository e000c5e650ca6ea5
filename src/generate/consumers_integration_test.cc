// The generated files handed to the real consumers on this machine: docker-compose 1.29
// (`config` on the COMPOSE_FILE set from .env, and on the --single file), podman-compose 1.0
// (`--dry-run up`, which prints its merged model and the podman commands it would run) and
// `kubectl kustomize overlays/local`. Each must accept them, and the values that matter in what
// they render (ports, env, health, depends_on, probes, resources) must equal the registry's.
// CTest label: integration.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/session.h"
#include "generate/generators.h"
#include "generate/kubernetes.h"
#include "generate/output_folder.h"
#include "generate/secrets.h"
#include "registry/interpolation.h"
#include "registry/yaml_tree.h"
#include "util/duration.h"
#include "util/file.h"
#include "util/quantity.h"
#include "util/strings.h"
#include "util/subprocess.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// --- reading what the consumers print ------------------------------------------------------

const YamlNode* at(const YamlNode* node, std::string_view key) {
  if (!node || !node->IsMap()) return nullptr;
  for (const YamlNode::Entry& e : node->entries()) {
    if (e.key->Scalar() == key) return e.value;
  }
  return nullptr;
}

std::string text(const YamlNode* node) { return node ? node->Scalar() : "<missing>"; }

std::vector<std::string> texts(const YamlNode* node) {
  std::vector<std::string> out;
  if (node) {
    for (const YamlNode* item : node->items()) out.push_back(item->Scalar());
  }
  return out;
}

/// Parses each `---`-separated document.
std::vector<YamlDocument> parse_documents(const std::string& stream) {
  std::vector<YamlDocument> docs;
  size_t at_pos = 0;
  while (at_pos < stream.size()) {
    size_t end = stream.find("\n---\n", at_pos);
    auto parsed = YamlDocument::parse(stream.substr(at_pos, end - at_pos));
    EXPECT_TRUE(std::holds_alternative<YamlDocument>(parsed));
    if (auto* doc = std::get_if<YamlDocument>(&parsed)) docs.push_back(std::move(*doc));
    if (end == std::string::npos) break;
    at_pos = end + 5;
  }
  return docs;
}

/// "ip:published:target/proto" or compose's long form, as one comparable string.
std::string port_key(const std::string& ip, const std::string& published, const std::string& target,
                     const std::string& protocol) {
  return fmt::format("{}|{}|{}|{}", ip, published, target, protocol.empty() ? "tcp" : protocol);
}

std::set<std::string> registry_ports(const Service& s) {
  std::set<std::string> out;
  for (const PortMapping& p : s.ports) {
    out.insert(port_key(p.host_ip, p.host_port ? std::to_string(p.host_port) : "",
                        std::to_string(p.container_port),
                        p.protocol == Protocol::kUdp ? "udp" : ""));
  }
  return out;
}

std::set<std::string> compose_ports(const YamlNode* ports) {
  std::set<std::string> out;
  if (!ports) return out;
  for (const YamlNode* p : ports->items()) {
    if (p->IsMap()) {
      out.insert(port_key(at(p, "host_ip") ? text(at(p, "host_ip")) : "",
                          at(p, "published") ? text(at(p, "published")) : "", text(at(p, "target")),
                          at(p, "protocol") ? text(at(p, "protocol")) : ""));
      continue;
    }
    std::string spec = p->Scalar(), proto;
    if (size_t slash = spec.find('/'); slash != std::string::npos) {
      proto = spec.substr(slash + 1);
      spec = spec.substr(0, slash);
    }
    std::vector<std::string> parts;
    for (std::string_view part : split(spec, ':')) parts.emplace_back(part);
    if (parts.size() == 3) out.insert(port_key(parts[0], parts[1], parts[2], proto));
    if (parts.size() == 2) out.insert(port_key("", parts[0], parts[1], proto));
    if (parts.size() == 1) out.insert(port_key("", "", parts[0], proto));
  }
  return out;
}

const char* compose_condition(DependencyCondition c) {
  return c == DependencyCondition::kHealthy     ? "service_healthy"
         : c == DependencyCondition::kCompleted ? "service_completed_successfully"
                                                : "service_started";
}

// --- the fixture -----------------------------------------------------------------------------

class ConsumersTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    unsetenv("COMPOSE_FILE");
    unsetenv("LOG_LEVEL");
    out_ = fs::temp_directory_path() /
           fmt::format("fusion-consumers-{}-{}", ::getpid(),
                       fs::path(GetParam()).parent_path().filename().string());
    fs::remove_all(out_);
    GlobalOptions global{.file = std::string(FUSION_SOURCE_DIR) + "/" + GetParam()};
    LoadOptions shared;
    shared.overlay = false;
    auto checked = load_checked_registry(global, shared);
    ASSERT_TRUE(checked) << checked.error();
    ASSERT_EQ(checked->diagnostics.error_count(), 0u);
    checked_ = std::move(checked).value();
    for (const std::string& name : secrets_used(registry())) secrets_[name] = "value-of-" + name;
  }
  void TearDown() override { fs::remove_all(out_); }

  const Registry& registry() const { return checked_.registry; }

  /// Generates everything into `dir` and writes the secrets env files as `fusion secrets` does.
  void generate(const fs::path& dir, bool single) {
    fs::path registry_dir = fs::absolute(checked_.path).parent_path();
    auto made = make_generate_context(registry(), registry_dir, dir);
    ASSERT_TRUE(made);
    GenerateContext ctx = std::move(made).value();
    for (auto& [repo, path] : ctx.repo_dirs) {  // as if `fusion workspace sync` had cloned them
      path = out_ / "workspace" / repo;
      fs::create_directories(path);
      ASSERT_TRUE(write_file_atomically(path / "Dockerfile", "FROM scratch\n"));
    }
    GenerateOptions options;
    options.single_compose = single;
    auto all = run_generators(ctx, options);
    ASSERT_TRUE(all) << all.error();
    OutputFolder folder(dir);
    OutputPlan plan = folder.plan(*all);
    ASSERT_TRUE(plan.refusals.empty());
    ASSERT_TRUE(folder.apply(plan));
    for (const Service& s : registry().services) {
      std::string env = render_service_secrets(s, secrets_);
      if (env.empty()) continue;
      for (fs::path sub : {dir / "compose/secrets", dir / "kubernetes/overlays/local/secrets"}) {
        fs::create_directories(sub);
        ASSERT_TRUE(write_file_atomically(sub / (s.name.value + ".env"), env));
      }
    }
  }

  ProcessResult run(std::vector<std::string> argv, const fs::path& cwd) {
    return runner_.run({.argv = std::move(argv), .cwd = cwd, .timeout = std::chrono::seconds(120)});
  }

  /// What docker-compose renders must carry the registry's values.
  void expect_compose_matches(const YamlNode& config, bool with_aliases) {
    const YamlNode* services = at(&config, "services");
    for (const Service& s : registry().services) {
      SCOPED_TRACE(s.name.value);
      const YamlNode* svc = at(services, s.name.value);
      ASSERT_NE(svc, nullptr);
      EXPECT_EQ(compose_ports(at(svc, "ports")), registry_ports(s));
      for (const EnvVar& var : s.env) {
        std::string expected =
            var.secret ? secrets_.at(var.secret->value) : render_value(var.value);
        EXPECT_EQ(text(at(at(svc, "environment"), var.name.value)), expected) << var.name.value;
      }
      for (const Dependency& d : s.depends_on) {
        EXPECT_EQ(text(at(at(at(svc, "depends_on"), d.service.value), "condition")),
                  compose_condition(d.condition));
      }
      if (s.health && s.health->kind != HealthKind::kContainer) {
        const YamlNode* h = at(svc, "healthcheck");
        EXPECT_EQ(text(at(h, "retries")), std::to_string(s.health->retries));
        EXPECT_EQ(*parse_duration(text(at(h, "interval"))), s.health->interval);
        EXPECT_EQ(*parse_duration(text(at(h, "timeout"))), s.health->timeout);
        if (s.health->kind == HealthKind::kExec) {
          std::vector<std::string> test = {"CMD"};
          test.insert(test.end(), s.health->command.begin(), s.health->command.end());
          EXPECT_EQ(texts(at(h, "test")), test);
        }
      }
      if (s.resources.memory_bytes) {
        EXPECT_EQ(text(at(svc, "mem_limit")), std::to_string(s.resources.memory_bytes->value));
      }
      if (s.resources.millicpus) {
        EXPECT_DOUBLE_EQ(std::stod(text(at(svc, "cpus"))), s.resources.millicpus->value / 1000.0);
      }
      if (with_aliases && s.subdomain.present() && !s.networks.empty()) {
        std::string host = s.subdomain.value + "." + registry().domain.value;
        for (const NetworkAttachment& n : s.networks) {
          EXPECT_THAT(texts(at(at(at(svc, "networks"), n.name.value), "aliases")),
                      ::testing::Contains(host));
        }
      }
    }
  }

  /// Secrets inside values resolved as the env file has them; ${VAR:-d} as compose resolves it.
  std::string render_value(const std::string& value) const {
    return substitute(value, [this](const Reference& ref) -> std::optional<std::string> {
      if (ref.kind == Reference::Kind::kSecret) return secrets_.at(ref.name);
      return ref.has_default ? ref.default_value : "";
    });
  }

  fs::path out_;
  CheckedRegistry checked_;
  SecretStore secrets_;
  SystemProcessRunner runner_;
};

TEST_P(ConsumersTest, DockerComposeReadsTheComposeFileSetAndTheSingleFile) {
  generate(out_ / "multi", false);
  ProcessResult multi = run({"docker-compose", "config"}, out_ / "multi/compose");
  ASSERT_TRUE(multi.ok()) << multi.err;
  auto parsed = YamlDocument::parse(multi.out);
  ASSERT_TRUE(std::holds_alternative<YamlDocument>(parsed));
  expect_compose_matches(std::get<YamlDocument>(parsed).root(), true);

  generate(out_ / "single", true);
  ProcessResult single =
      run({"docker-compose", "-f", "compose.yaml", "config"}, out_ / "single/compose");
  ASSERT_TRUE(single.ok()) << single.err;
  auto parsed_single = YamlDocument::parse(single.out);
  ASSERT_TRUE(std::holds_alternative<YamlDocument>(parsed_single));
  expect_compose_matches(std::get<YamlDocument>(parsed_single).root(), false);
}

TEST_P(ConsumersTest, PodmanComposeRunsEveryServiceWithItsPortsEnvAndHealth) {
  generate(out_ / "multi", false);
  std::vector<std::string> files;
  for (const fs::directory_entry& e : fs::directory_iterator(out_ / "multi/compose")) {
    std::string name = e.path().filename().string();
    if (name.starts_with("compose.") && name != "compose.network-aliases.yaml")
      files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> argv = {"podman-compose"};
  for (const std::string& file : files) argv.insert(argv.end(), {"-f", file});
  argv.insert(argv.end(), {"--dry-run", "up", "-d"});
  ProcessResult r = run(argv, out_ / "multi/compose");
  ASSERT_TRUE(r.ok()) << r.out << r.err;
  for (const Service& s : registry().services) {
    SCOPED_TRACE(s.name.value);
    std::string name = fmt::format("podman run --name={}-{} ", registry().name.value, s.name.value);
    size_t line_at = r.out.find(name);
    ASSERT_NE(line_at, std::string::npos);
    std::string line = r.out.substr(line_at, r.out.find('\n', line_at) - line_at);
    for (const PortMapping& p : s.ports) {
      if (p.protocol == Protocol::kUdp) continue;  // podman-compose 1.0 drops the protocol
      std::string spec = p.host_port == 0
                             ? std::to_string(p.container_port)
                             : fmt::format("{}{}:{}", p.host_ip.empty() ? "" : p.host_ip + ":",
                                           p.host_port, p.container_port);
      EXPECT_THAT(line, HasSubstr(" -p " + spec));
    }
    if (split_env(s).secret_templates.size() > 0) {
      EXPECT_THAT(line, HasSubstr("--env-file " + (out_ / "multi/compose/secrets").string()));
    }
    if (s.health && s.health->kind != HealthKind::kContainer) {
      EXPECT_THAT(line, HasSubstr(fmt::format("--healthcheck-retries {}", s.health->retries)));
      EXPECT_THAT(line, HasSubstr("--healthcheck-interval " + format_duration(s.health->interval)));
    }
  }
}

TEST_P(ConsumersTest, KubectlKustomizeRendersTheLocalOverlay) {
  ProcessResult version = run({"kubectl", "version", "--client"}, out_.parent_path());
  ASSERT_THAT(version.out, HasSubstr("Kustomize Version: v5"))
      << "the generated overlays need kustomize v5 (kubectl >= 1.27); this kubectl says:\n"
      << version.out << version.err;
  generate(out_ / "k", false);
  ProcessResult r = run({"kubectl", "kustomize", "overlays/local"}, out_ / "k/kubernetes");
  ASSERT_TRUE(r.ok()) << r.err;
  std::vector<YamlDocument> docs = parse_documents(r.out);
  auto find = [&](std::string_view kind, std::string_view name) -> const YamlNode* {
    for (const YamlDocument& d : docs) {
      if (text(at(&d.root(), "kind")) == kind &&
          text(at(at(&d.root(), "metadata"), "name")) == name) {
        return &d.root();
      }
    }
    return nullptr;
  };
  for (const Service& s : registry().services) {
    if (!s.profiles.empty()) continue;  // in components, not in the local overlay
    SCOPED_TRACE(s.name.value);
    const YamlNode* workload = nullptr;
    for (const char* kind : {"Deployment", "StatefulSet", "Job"}) {
      if (!workload) workload = find(kind, s.name.value);
    }
    ASSERT_NE(workload, nullptr);
    const YamlNode* pod = at(at(at(workload, "spec"), "template"), "spec");
    const YamlNode* c = at(pod, "containers")->items()[0];
    EXPECT_EQ(text(at(c, "image")), service_image(registry(), s));
    if (!s.image.present()) {
      EXPECT_EQ(text(at(c, "imagePullPolicy")), "Never");
    }
    std::set<std::string> ports;
    for (const YamlNode* p :
         at(c, "ports") ? at(c, "ports")->items() : std::span<const YamlNode* const>{}) {
      ports.insert(text(at(p, "containerPort")));
    }
    std::set<std::string> expected_ports;
    for (const PortMapping& p : s.ports) expected_ports.insert(std::to_string(p.container_port));
    EXPECT_EQ(ports, expected_ports);
    if (s.health && s.health->kind == HealthKind::kHttp) {
      const YamlNode* get = at(at(c, "readinessProbe"), "httpGet");
      EXPECT_EQ(text(at(get, "path")), s.health->http_path);
      EXPECT_EQ(text(at(get, "port")), std::to_string(probed_port(s)));
      EXPECT_EQ(text(at(at(c, "startupProbe"), "periodSeconds")),
                std::to_string(std::max<int64_t>(1, (s.health->interval.count() + 999) / 1000)));
    }
    if (s.resources.memory_bytes) {
      EXPECT_EQ(*parse_memory(text(at(at(at(c, "resources"), "limits"), "memory"))),
                s.resources.memory_bytes->value);
    }
    if (s.resources.millicpus) {
      EXPECT_EQ(*parse_cpus(text(at(at(at(c, "resources"), "requests"), "cpu"))),
                s.resources.millicpus->value);
    }
    SplitEnv env = split_env(s);
    for (const auto& [name, value] : env.plain) {
      EXPECT_EQ(text(at(at(find("ConfigMap", s.name.value + "-env"), "data"), name)),
                resolve_defaults(value));
    }
    if (!env.secret_templates.empty()) {
      std::vector<std::string> refs;
      for (const YamlNode* from : at(c, "envFrom")->items()) {
        if (at(from, "secretRef")) refs.push_back(text(at(at(from, "secretRef"), "name")));
      }
      ASSERT_EQ(refs.size(), 1u);
      EXPECT_THAT(refs[0], ::testing::StartsWith(s.name.value + "-secrets-"));  // hashed name
      EXPECT_NE(find("Secret", refs[0]), nullptr);
    }
    std::vector<std::string> waits;
    for (const YamlNode* init : at(pod, "initContainers") ? at(pod, "initContainers")->items()
                                                          : std::span<const YamlNode* const>{}) {
      waits.push_back(text(at(init, "name")));
    }
    for (const Dependency& d : s.depends_on) {
      bool waited =
          std::find(waits.begin(), waits.end(), "wait-for-" + d.service.value) != waits.end();
      const Service* dep = registry().find_service(d.service.value);
      bool has_port = dep && !dep->ports.empty();
      EXPECT_EQ(waited, d.condition == DependencyCondition::kHealthy && has_port)
          << d.service.value;
    }
  }
}

TEST_P(ConsumersTest, KubectlKustomizeEnablesEveryProfileComponent) {
  generate(out_ / "k", false);
  std::set<std::string> profiles;
  for (const Service& s : registry().services) {
    for (const Text& p : s.profiles) profiles.insert(p.value);
  }
  std::string overlay = "resources: [../local]\ncomponents:\n";
  for (const std::string& p : profiles) overlay += "- ../../components/" + p + "\n";
  fs::create_directories(out_ / "k/kubernetes/overlays/all");
  ASSERT_TRUE(
      write_file_atomically(out_ / "k/kubernetes/overlays/all/kustomization.yaml", overlay));
  ProcessResult r = run({"kubectl", "kustomize", "overlays/all"}, out_ / "k/kubernetes");
  ASSERT_TRUE(r.ok()) << r.err;
  for (const Service& s : registry().services) {
    EXPECT_THAT(r.out, HasSubstr("\n  name: " + s.name.value + "\n")) << s.name.value;
  }
}

INSTANTIATE_TEST_SUITE_P(Stacks, ConsumersTest,
                         ::testing::Values("tests/fixtures/mapping/fusion.yaml",
                                           "examples/shop/fusion.yaml",
                                           "examples/platform/fusion.yaml"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return fs::path(param.param).parent_path().filename().string();
                         });

}  // namespace
}  // namespace fusion
