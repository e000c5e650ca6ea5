// The import's round trip through the real docker-compose 1.29: import compose files, generate
// compose from the registry, and `docker-compose config` both. On every field fusion represents
// (image, build, command, environment, ports, volumes, networks and aliases, depends_on,
// healthcheck, profiles, resources, labels, top-level networks and volumes) the two must be
// equal, after the normalisations compose itself treats as equal: a command string and its
// words; CMD-SHELL s and CMD sh -c s; an absent healthcheck field and compose's default;
// mem_limit and deploy limits in bytes. CTest label: integration.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cli/command.h"
#include "importer/compose_import.h"
#include "registry/port.h"
#include "registry/yaml_tree.h"
#include "util/duration.h"
#include "util/quantity.h"
#include "util/strings.h"
#include "util/subprocess.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

const fs::path kFixtures = fs::path(FUSION_SOURCE_DIR) / "tests/fixtures/compose";

Json compose_config(const std::vector<std::string>& files, const fs::path& cwd) {
  ProcessSpec spec;
  spec.argv = {"docker-compose"};
  for (const std::string& f : files) {
    spec.argv.push_back("-f");
    spec.argv.push_back(f);
  }
  spec.argv.push_back("config");
  spec.cwd = cwd;
  spec.timeout = std::chrono::seconds(60);
  ProcessResult result = SystemProcessRunner().run(spec);
  EXPECT_TRUE(result.ok()) << result.err;
  auto parsed = YamlDocument::parse(result.out);
  if (!std::holds_alternative<YamlDocument>(parsed)) {
    ADD_FAILURE() << "docker-compose config printed no YAML: " << result.out;
    return Json::object();
  }
  return compose_value(std::get<YamlDocument>(parsed).root());
}

Json words(const Json& command) {
  if (!command.is_string()) return command;
  Json out = Json::array();
  std::vector<std::string> split = shell_split(command.get<std::string>()).value();
  for (const std::string& w : split) out.push_back(w);
  return out;
}

Json health(const Json& check) {
  if (check.is_null()) return nullptr;
  Json test = check.value("test", Json());
  if (test.is_string()) test = Json{"CMD-SHELL", test};
  if (test.is_array() && test.size() == 2 && test[0] == "CMD-SHELL") {
    test = Json{"CMD", "sh", "-c", test[1]};
  }
  auto ms = [&](const char* key, const char* fallback) {
    return parse_duration(check.value(key, fallback)).value().count();
  };
  return {{"test", test},
          {"interval", ms("interval", "30s")},
          {"timeout", ms("timeout", "30s")},
          {"retries", check.value("retries", "3")},
          {"start_period", ms("start_period", "0s")}};
}

Json resources(const Json& service) {
  Json limits = service.contains("deploy") ? service["deploy"]["resources"]["limits"] : Json();
  std::string memory =
      service.value("mem_limit", limits.is_object() ? limits.value("memory", "") : "");
  std::string cpus = service.value("cpus", limits.is_object() ? limits.value("cpus", "") : "");
  Json out = Json::object();
  if (!memory.empty()) out["memory"] = parse_docker_memory(memory).value();
  if (!cpus.empty()) out["cpus"] = parse_cpus(cpus).value();
  return out;
}

/// Short and long forms as one: [host_ip, published, target, protocol].
Json ports(const Json& value) {
  Json out = Json::array();
  for (const auto& p : value) {
    if (p.is_object()) {
      out.push_back({p.value("host_ip", ""), std::stoi(p.value("published", "0")),
                     std::stoi(p.value("target", "0")), p.value("protocol", "tcp")});
      continue;
    }
    PortMapping m = parse_port(p.get<std::string>()).value();
    out.push_back(
        {m.host_ip, m.host_port, m.container_port, m.protocol == Protocol::kUdp ? "udp" : "tcp"});
  }
  return out;
}

/// Short and long forms as one: "source:target:ro|rw".
Json volumes(const Json& value) {
  Json out = Json::array();
  for (const auto& v : value) {
    if (v.is_object()) {
      out.push_back(fmt::format("{}:{}:{}", v.value("source", ""), v.value("target", ""),
                                v.value("read_only", "false") == "true" ? "ro" : "rw"));
      continue;
    }
    std::string spec = v.get<std::string>();
    out.push_back(split(spec, ':').size() == 2 ? spec + ":rw" : spec);
  }
  return out;
}

Json networks(const Json& value) {
  if (value.is_array()) {
    Json out = Json::object();
    for (const auto& n : value) out[n.get<std::string>()] = Json::array();
    return out;
  }
  Json out = Json::object();
  for (const auto& [name, attachment] : value.items()) {
    out[name] = attachment.is_object() ? attachment.value("aliases", Json::array()) : Json::array();
  }
  return out;
}

Json env(const Json& value) {
  Json out = Json::object();
  const Json vars = as_key_map(value);
  for (const auto& [k, v] : vars.items()) out[k] = v.is_null() ? "" : v;  // unset: empty
  return out;
}

/// The fields fusion represents, normalised; `generated` keeps only the labels the original has.
Json represented(const Json& service, const Json& labels_of_original) {
  Json out = Json::object();
  for (const char* key : {"image", "build", "depends_on", "profiles"}) {
    if (service.contains(key)) out[key] = service[key];
  }
  if (service.contains("ports")) out["ports"] = ports(service["ports"]);
  if (service.contains("volumes")) out["volumes"] = volumes(service["volumes"]);
  if (service.contains("command")) out["command"] = words(service["command"]);
  if (service.contains("environment")) out["environment"] = env(service["environment"]);
  if (service.contains("healthcheck")) out["healthcheck"] = health(service["healthcheck"]);
  if (service.contains("networks")) out["networks"] = networks(service["networks"]);
  out["resources"] = resources(service);
  Json labels = Json::object();
  for (const auto& [k, v] : labels_of_original.items()) {
    if (service.contains("labels") && service["labels"].contains(k))
      labels[k] = service["labels"][k];
  }
  out["labels"] = labels;
  return out;
}

class RoundTripTest : public ::testing::TestWithParam<std::vector<std::string>> {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/fusion-import-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  int fusion(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    Streams io{out, err};
    int code = run_cli(args, io);
    log_ += out.str() + err.str();
    return code;
  }

  fs::path dir_;
  std::string log_;
};

TEST_P(RoundTripTest, ComposeConfigOfImportThenGenerateEqualsTheOriginals) {
  const std::vector<std::string>& files = GetParam();
  fs::path original_dir = kFixtures / fs::path(files.front()).parent_path();
  std::vector<std::string> absolute, names;
  for (const std::string& f : files) {
    absolute.push_back((kFixtures / f).string());
    names.push_back(fs::path(f).filename().string());
  }
  std::vector<std::string> import = {"import", "compose"};
  import.insert(import.end(), absolute.begin(), absolute.end());
  import.insert(import.end(), {"-o", (dir_ / "fusion.yaml").string()});
  int imported = fusion(import);
  ASSERT_TRUE(imported == 0 || imported == 3) << log_;  // 3: written, with notes to review
  ASSERT_EQ(fusion({"-f", (dir_ / "fusion.yaml").string(), "generate", "compose"}), 0) << log_;

  Json original = compose_config(names, original_dir);
  Json generated = compose_config({}, dir_ / "generated/compose");
  ASSERT_TRUE(original.contains("services"));
  for (const auto& [name, service] : original["services"].items()) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(generated["services"].contains(name)) << log_;
    Json labels = service.value("labels", Json::object());
    Json want = represented(service, labels);
    Json got = represented(generated["services"][name], labels);
    if (!want.contains("image")) got.erase("image");  // fusion names images built from source
    EXPECT_EQ(got.dump(2), want.dump(2));
  }
  EXPECT_EQ(generated["services"].size(), original["services"].size());
  for (const char* top : {"networks", "volumes"}) {
    EXPECT_EQ(generated.value(top, Json::object()).dump(),
              original.value(top, Json::object()).dump())
        << top;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RoundTripTest,
                         ::testing::Values(std::vector<std::string>{"web-db/docker-compose.yml"},
                                           std::vector<std::string>{
                                               "override/compose.yaml",
                                               "override/compose.override.yaml"},
                                           std::vector<std::string>{"long-syntax/compose.yaml"}),
                         [](const ::testing::TestParamInfo<std::vector<std::string>>& param) {
                           std::string name = fs::path(param.param.front()).parent_path().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace fusion
