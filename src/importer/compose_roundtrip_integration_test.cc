// The import's round trip through the real docker-compose 1.29: import compose files, generate
// compose from the registry, and `docker-compose config` both. On every field fusion represents
// (image, build, command, entrypoint, environment and env_file, ports, expose, volumes, tmpfs,
// networks and aliases, depends_on, healthcheck, profiles, resources, GPU reservations, labels,
// restart, user, ulimits, secrets, … and top-level networks, volumes and secrets) the two must
// be equal, after the normalisations compose itself treats as equal: a command string and its
// words; CMD-SHELL s and CMD sh -c s; an absent healthcheck field and compose's default; sizes
// in bytes; durations in milliseconds. Both are read with the variables of the original's .env.
// What the import notes as not kept (a host port from a variable) is compared as kept: the
// container port. CTest label: integration.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cli/command.h"
#include "detect/detect.h"
#include "importer/compose_import.h"
#include "registry/port.h"
#include "registry/yaml_tree.h"
#include "runtime/env_file.h"
#include "util/duration.h"
#include "util/file.h"
#include "util/quantity.h"
#include "util/strings.h"
#include "util/subprocess.h"

namespace fusion {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

const fs::path kFixtures = fs::path(FUSION_SOURCE_DIR) / "tests/fixtures/compose";

/// The original's .env as the environment of both `docker-compose config` runs. A relative
/// path ("UPLOAD_LOCATION=./library") is made absolute, as compose resolves it from the
/// original's folder: the generated files live elsewhere (docs/generate.md says so).
std::vector<std::pair<std::string, std::string>> dotenv(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> vars;
  auto text = read_file(dir / ".env");
  for (const EnvFileEntry& e : parse_env_file(text ? *text : "")) {
    std::string value = e.value.value_or("");
    if (value.starts_with("./")) value = (dir / value.substr(2)).string();
    vars.emplace_back(e.name, value);
  }
  return vars;
}

Json compose_config(const std::vector<std::string>& files, const fs::path& cwd,
                    const std::vector<std::pair<std::string, std::string>>& env) {
  ProcessSpec spec;
  spec.env = env;
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
    std::string spec = v.is_object()
                           ? fmt::format("{}:{}:{}", v.value("source", ""), v.value("target", ""),
                                         v.value("read_only", "false") == "true" ? "ro" : "rw")
                           : v.get<std::string>();
    std::vector<std::string> parts;
    for (std::string_view part : split(spec, ':')) parts.emplace_back(part);
    if (parts.size() == 2) parts.push_back("rw");
    // "/opt/sentry/" and "/opt/sentry" are one mount point.
    if (parts.size() > 1 && parts[1].size() > 1 && parts[1].ends_with('/')) parts[1].pop_back();
    out.push_back(join(parts, ":"));
  }
  std::sort(out.begin(), out.end());  // a set: the engine orders mounts by their targets
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

std::string bytes(const Json& size) {
  return std::to_string(parse_docker_memory(size.get<std::string>()).value());
}

Json list(const Json& value) { return value.is_array() ? value : Json::array({value}); }

/// "/tmp:size=64m" and "/tmp:size=67108864" as one.
Json tmpfs(const Json& value) {
  Json out = Json::array();
  for (const auto& t : list(value)) {
    std::string text = t.get<std::string>();
    size_t at = text.find("size=");
    if (at != std::string::npos) {
      size_t end = text.find(',', at);
      std::string size = text.substr(at + 5, end == std::string::npos ? end : end - at - 5);
      text.replace(at + 5, size.size(), bytes(size));
    }
    out.push_back(text);
  }
  return out;
}

Json ulimits(const Json& value) {
  Json out = Json::object();
  for (const auto& [name, v] : value.items()) {
    out[name] = v.is_object()
                    ? Json{{"soft", v.value("soft", Json())}, {"hard", v.value("hard", Json())}}
                    : Json{{"soft", v}, {"hard", v}};
  }
  return out;
}

Json file_mounts(const Json& value) {
  Json out = Json::array();
  for (const auto& m : value) out.push_back(m.is_object() ? m : Json{{"source", m}});
  return out;
}

bool disabled(const Json& check) {
  const Json& test = check.value("test", Json::array());
  return check.value("disable", Json()) == "true" || check.value("disable", Json()) == true ||
         (test.is_array() && !test.empty() && test[0] == "NONE");
}

/// ["h:ip"] and {h: ip} as one list.
Json extra_hosts(const Json& value) {
  if (value.is_array()) return value;
  Json out = Json::array();
  for (const auto& [host, ip] : value.items()) out.push_back(host + ":" + ip.get<std::string>());
  return out;
}

/// The compose-named keys fusion.yaml holds.
void run_keys(const Json& service, Json& out) {
  for (const char* key : {"restart", "user", "working_dir", "hostname", "platform", "pull_policy",
                          "pid", "stop_signal", "privileged", "read_only", "init", "cap_add",
                          "cap_drop", "security_opt", "devices", "group_add"}) {
    if (service.contains(key)) out[key] = service[key];
  }
  if (service.contains("entrypoint")) out["entrypoint"] = words(service["entrypoint"]);
  if (service.contains("extra_hosts")) out["extra_hosts"] = extra_hosts(service["extra_hosts"]);
  if (service.contains("dns")) out["dns"] = list(service["dns"]);
  if (service.contains("expose")) out["expose"] = service["expose"];
  if (service.contains("tmpfs")) out["tmpfs"] = tmpfs(service["tmpfs"]);
  if (service.contains("shm_size")) out["shm_size"] = bytes(service["shm_size"]);
  if (service.contains("ulimits")) out["ulimits"] = ulimits(service["ulimits"]);
  if (service.contains("sysctls")) out["sysctls"] = as_key_map(service["sysctls"]);
  if (service.contains("stop_grace_period")) {
    out["stop_grace_period"] =
        parse_duration(service["stop_grace_period"].get<std::string>()).value().count();
  }
  for (const char* key : {"secrets", "configs"}) {
    if (service.contains(key)) out[key] = file_mounts(service[key]);
  }
  const Json& deploy = service.value("deploy", Json::object());
  if (deploy.contains("resources") && deploy["resources"].contains("reservations")) {
    out["gpus"] = deploy["resources"]["reservations"].value("devices", Json::array());
  }
}

/// The fields fusion represents, normalised; `generated` keeps only the labels the original has.
Json represented(const Json& service, const Json& labels_of_original) {
  Json out = Json::object();
  for (const char* key : {"image", "build", "depends_on", "profiles"}) {
    if (service.contains(key)) out[key] = service[key];
  }
  run_keys(service, out);
  if (service.contains("ports")) out["ports"] = ports(service["ports"]);
  if (service.contains("volumes")) out["volumes"] = volumes(service["volumes"]);
  if (service.contains("command")) out["command"] = words(service["command"]);
  if (service.contains("environment")) out["environment"] = env(service["environment"]);
  // A disabled check is noted by the import, not represented: fusion runs its own probes.
  if (service.contains("healthcheck") && !disabled(service["healthcheck"])) {
    out["healthcheck"] = health(service["healthcheck"]);
  }
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
  ASSERT_TRUE(imported == 0 || imported == 3) << log_;  // 3: written, with notes
  ASSERT_EQ(fusion({"-f", (dir_ / "fusion.yaml").string(), "generate", "compose"}), 0) << log_;

  auto env = dotenv(original_dir);
  Json original = compose_config(names, original_dir, env);
  Json generated = compose_config({}, dir_ / "generated/compose", env);
  ASSERT_TRUE(original.contains("services"));
  for (const auto& [name, service] : original["services"].items()) {
    SCOPED_TRACE(name);
    std::string fusion_name = is_dns1123_label(name) ? name : service_name_for(name);
    ASSERT_TRUE(generated["services"].contains(fusion_name)) << log_;
    const Json& mine = generated["services"][fusion_name];
    Json labels = service.value("labels", Json::object());
    Json want = represented(service, labels);
    Json got = represented(mine, labels);
    if (!want.contains("image")) got.erase("image");  // fusion names images built from source
    if (service.contains("container_name")) {
      EXPECT_EQ(mine.value("container_name", ""), service["container_name"]);
    }
    if (want.contains("networks")) {  // networks are named by their fusion names too
      Json relabelled = Json::object();
      for (const auto& [network, aliases] : want["networks"].items()) {
        relabelled[is_dns1123_label(network) ? network : service_name_for(network)] = aliases;
      }
      want["networks"] = relabelled;
    }
    if (name != fusion_name) {  // renamed: the compose name stays an alias on every network
      for (const auto& [network, aliases] : got["networks"].items()) {
        EXPECT_THAT(aliases, ::testing::Contains(name)) << network;
        Json kept = Json::array();
        for (const auto& a : aliases) {
          if (a != name) kept.push_back(a);
        }
        got["networks"][network] = kept;
      }
      if (!want.contains("networks")) want["networks"] = {{"default", Json::array()}};
    }
    if (want.contains("ports") && want["ports"] != got["ports"] &&
        log_.find("publishes on a host port or address from a variable") != std::string::npos) {
      for (Json& p : want["ports"]) p = {"", 0, p[2], p[3]};  // noted: the container port is kept
    }
    // Compared as plain (sorted) JSON: key order is not a field.
    EXPECT_EQ(nlohmann::json::parse(got.dump()).dump(2),
              nlohmann::json::parse(want.dump()).dump(2));
  }
  EXPECT_EQ(generated["services"].size(), original["services"].size());
  for (const char* top : {"networks", "volumes", "secrets"}) {
    Json mine = generated.value(top, Json::object());
    Json want = original.value(top, Json::object());
    Json relabelled = Json::object();
    for (const auto& [name, value] : want.items()) {
      bool renamed = std::string(top) != "secrets" && !is_dns1123_label(name);  // files keep theirs
      relabelled[renamed ? service_name_for(name) : name] = value;
    }
    if (std::string(top) == "networks" && !relabelled.contains("default")) mine.erase("default");
    EXPECT_EQ(mine.dump(), relabelled.dump()) << top;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, RoundTripTest,
    ::testing::Values(std::vector<std::string>{"web-db/docker-compose.yml"},
                      std::vector<std::string>{"sentry-like/docker-compose.yml"},
                      std::vector<std::string>{"photos-like/docker-compose.yml"},
                      std::vector<std::string>{"override/compose.yaml",
                                               "override/compose.override.yaml"},
                      std::vector<std::string>{"long-syntax/compose.yaml"}),
    [](const ::testing::TestParamInfo<std::vector<std::string>>& param) {
      std::string name = fs::path(param.param.front()).parent_path().string();
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

}  // namespace
}  // namespace fusion
