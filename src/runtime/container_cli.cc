#include "runtime/container_cli.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace fusion {

using nlohmann::json;

namespace {

constexpr std::chrono::milliseconds kQueryTimeout{30'000};

std::string label_filter(const std::string& label, const std::string& value) {
  return "label=" + label + "=" + value;
}

void add_labels(std::vector<std::string>& args, const std::map<std::string, std::string>& labels) {
  for (const auto& [k, v] : labels) {
    args.push_back("--label");
    args.push_back(k + "=" + v);
  }
}

/// "8080/tcp" (an ephemeral host port), "3000:80/tcp", "127.0.0.1::5432/tcp".
std::string port_argument(const PublishedPort& p) {
  std::string host = p.host_port ? std::to_string(p.host_port) : "";
  std::string prefix =
      p.host_ip.empty() ? (host.empty() ? "" : host + ":") : p.host_ip + ":" + host + ":";
  return fmt::format("{}{}/{}", prefix, p.container_port, p.protocol);
}

std::string cpus_argument(uint32_t millicpus) {
  return fmt::format("{}.{:03}", millicpus / 1000, millicpus % 1000);
}

bool says_missing(const ProcessResult& r) {
  std::string text = to_lower(r.err + r.out);
  return text.find("no such") != std::string::npos || text.find("not found") != std::string::npos;
}

Status failure(const std::string& what, const ProcessResult& r) {
  std::string detail = r.last_line();
  if (r.timed_out) detail = "timed out";
  return Error{detail.empty() ? what + " failed" : what + ": " + detail};
}

/// A private 0600 env file that removes itself.
class EnvFile {
 public:
  static Result<std::unique_ptr<EnvFile>> write(
      const std::vector<std::pair<std::string, std::string>>& env) {
    std::string content;
    for (const auto& [k, v] : env) {
      if (v.find('\n') != std::string::npos) {
        return Error{"the value of " + k + " holds a newline, which an env file cannot carry"};
      }
      content += k + "=" + v + "\n";
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/fusion-env-XXXXXX";
    int fd = mkstemp(path.data());  // created 0600
    if (fd < 0) return Error{"cannot create a temporary env file in " + path};
    bool written =
        ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ::close(fd);
    auto file = std::unique_ptr<EnvFile>(new EnvFile(path));
    if (!written) return Error{"cannot write the temporary env file " + path};
    return file;
  }
  ~EnvFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  explicit EnvFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

ContainerState state_of(const std::string& status) {
  if (status == "running") return ContainerState::kRunning;
  if (status == "exited" || status == "stopped") return ContainerState::kExited;
  if (status == "created" || status == "configured") return ContainerState::kCreated;
  return ContainerState::kOther;
}

std::string string_at(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

ContainerInfo container_from_json(const json& c) {
  ContainerInfo info;
  info.id = string_at(c, "Id");
  info.name = string_at(c, "Name");
  if (info.name.starts_with('/')) info.name.erase(0, 1);  // docker's form
  const json& config = c.value("Config", json::object());
  info.image = string_at(config, "Image");
  if (config.contains("Labels") && config["Labels"].is_object()) {
    for (const auto& [k, v] : config["Labels"].items()) {
      if (v.is_string()) info.labels[k] = v.get<std::string>();
    }
  }
  const json& state = c.value("State", json::object());
  info.status = string_at(state, "Status");
  info.state = state_of(info.status);
  info.exit_code = state.value("ExitCode", 0);
  info.started_at = string_at(state, "StartedAt");
  info.finished_at = string_at(state, "FinishedAt");
  if (info.finished_at.starts_with("0001-")) info.finished_at.clear();
  const json& settings = c.value("NetworkSettings", json::object());
  if (settings.contains("Networks") && settings["Networks"].is_object()) {
    for (const auto& [net, value] : settings["Networks"].items()) {
      std::string ip = string_at(value, "IPAddress");
      if (!ip.empty()) info.ip_addresses[net] = ip;
    }
  }
  if (settings.contains("Ports") && settings["Ports"].is_object()) {
    for (const auto& [port, bindings] : settings["Ports"].items()) {
      if (!bindings.is_array()) continue;
      for (const json& b : bindings) {
        PublishedPort p;
        p.container_port = static_cast<uint16_t>(std::atoi(port.c_str()));
        size_t slash = port.find('/');
        if (slash != std::string::npos) p.protocol = port.substr(slash + 1);
        p.host_ip = string_at(b, "HostIp");
        p.host_port = static_cast<uint16_t>(std::atoi(string_at(b, "HostPort").c_str()));
        info.ports.push_back(p);
      }
    }
  }
  return info;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view line : split(text, '\n')) {
    if (!line.empty()) out.emplace_back(line);
  }
  return out;
}

}  // namespace

Result<std::vector<ContainerInfo>> parse_container_inspect(const std::string& text) {
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_array()) return Error{"unexpected inspect output: " + text.substr(0, 200)};
  std::vector<ContainerInfo> out;
  for (const json& c : parsed) {
    if (c.is_object()) out.push_back(container_from_json(c));
  }
  return out;
}

std::vector<std::string> create_arguments(const ContainerSpec& spec) {
  std::vector<std::string> args = {"create", "--name", spec.name};
  if (spec.init) args.push_back("--init");
  add_labels(args, spec.labels);
  if (!spec.networks.empty()) {
    args.insert(args.end(), {"--network", spec.networks.front().network});
    for (const std::string& alias : spec.networks.front().aliases) {
      args.insert(args.end(), {"--network-alias", alias});
    }
  }
  for (const PublishedPort& p : spec.ports) args.insert(args.end(), {"-p", port_argument(p)});
  for (const Mount& m : spec.mounts) {
    std::vector<std::string> flags = m.options;
    if (m.read_only) flags.insert(flags.begin(), "ro");
    std::string spec_text = m.source + ":" + m.target;
    if (!flags.empty()) spec_text += ":" + join(flags, ",");
    args.insert(args.end(), {"-v", spec_text});
  }
  if (spec.memory_bytes) args.insert(args.end(), {"--memory", std::to_string(spec.memory_bytes)});
  if (spec.millicpus) args.insert(args.end(), {"--cpus", cpus_argument(spec.millicpus)});
  for (const auto& [flag, value] : spec.options) {
    args.push_back(value.empty() ? flag : flag + "=" + value);
  }
  args.push_back(spec.image);
  args.insert(args.end(), spec.command.begin(), spec.command.end());
  return args;
}

ContainerCli::ContainerCli(std::string program, ProcessRunner& runner,
                           std::vector<std::pair<std::string, std::string>> env)
    : program_(std::move(program)), runner_(runner), env_(std::move(env)) {}

ProcessResult ContainerCli::run(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  args.insert(args.begin(), program_);
  return runner_.run({.argv = std::move(args), .env = env_, .timeout = timeout});
}

Status ContainerCli::run_status(std::vector<std::string> args) {
  std::string what = program_ + " " + args.front();
  ProcessResult r = run(std::move(args), kQueryTimeout);
  return r.ok() ? ok_status() : failure(what, r);
}

bool ContainerCli::image_exists(const std::string& reference) {
  return run({"image", "inspect", "--format", "{{.Id}}", reference}, kQueryTimeout).ok();
}

Status ContainerCli::build_image(const ImageBuild& build) {
  std::vector<std::string> args = {"build", "--tag", build.tag, "--file", build.dockerfile};
  for (const std::string& flag : build_flags()) args.push_back(flag);
  if (!build.target.empty()) args.insert(args.end(), {"--target", build.target});
  for (const auto& [k, v] : build.args) args.insert(args.end(), {"--build-arg", k + "=" + v});
  add_labels(args, build.labels);
  args.push_back(build.context);
  args.insert(args.begin(), program_);
  ProcessResult r = runner_.run({.argv = args, .env = env_, .merge_stderr = true});
  if (r.ok()) return ok_status();
  return Error{r.out.empty() ? r.err : r.out};
}

std::vector<std::string> ContainerCli::image_healthcheck(const std::string& reference) {
  ProcessResult r =
      run({"image", "inspect", "--format", healthcheck_template(), reference}, kQueryTimeout);
  json parsed = json::parse(r.out, nullptr, false);
  if (!r.ok() || !parsed.is_object() || !parsed.contains("Test")) return {};
  std::vector<std::string> test;
  for (const json& part : parsed["Test"]) {
    if (part.is_string()) test.push_back(part.get<std::string>());
  }
  if (!test.empty() && test.front() == "NONE") return {};
  return test;
}

/// `<kind> create`, where one that exists already is as good (one call, not inspect + create).
Status ContainerCli::create_unless_exists(const std::string& kind, const std::string& name,
                                          const std::map<std::string, std::string>& labels,
                                          const std::vector<std::string>& flags) {
  std::vector<std::string> args = {kind, "create"};
  add_labels(args, labels);
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back(name);
  ProcessResult r = run(args, kQueryTimeout);
  if (r.ok() || to_lower(r.err + r.out).find("already exists") != std::string::npos) {
    return ok_status();
  }
  return failure(program_ + " " + kind + " create", r);
}

Status ContainerCli::ensure_network(const std::string& name,
                                    const std::map<std::string, std::string>& labels,
                                    const std::vector<std::string>& flags) {
  return create_unless_exists("network", name, labels, flags);
}

Status ContainerCli::ensure_volume(const std::string& name,
                                   const std::map<std::string, std::string>& labels,
                                   const std::vector<std::string>& flags) {
  return create_unless_exists("volume", name, labels, flags);
}

Status ContainerCli::remove_network(const std::string& name) {
  return run_status({"network", "rm", name});
}

Status ContainerCli::remove_volume(const std::string& name) {
  return run_status({"volume", "rm", name});
}

Result<std::vector<std::string>> ContainerCli::names_labelled(const std::string& kind,
                                                              const std::string& label,
                                                              const std::string& value) {
  ProcessResult r = run(
      {kind, "ls", "--filter", label_filter(label, value), "--format", "{{.Name}}"}, kQueryTimeout);
  if (!r.ok()) return Error{failure(program_ + " " + kind + " ls", r).error()};
  return lines_of(r.out);
}

Result<std::vector<std::string>> ContainerCli::networks_labelled(const std::string& label,
                                                                 const std::string& value) {
  return names_labelled("network", label, value);
}

Result<std::vector<std::string>> ContainerCli::volumes_labelled(const std::string& label,
                                                                const std::string& value) {
  return names_labelled("volume", label, value);
}

Result<std::vector<ContainerInfo>> ContainerCli::inspect_all(const std::vector<std::string>& ids) {
  if (ids.empty()) return std::vector<ContainerInfo>{};
  std::vector<std::string> args = {"container", "inspect"};
  args.insert(args.end(), ids.begin(), ids.end());
  ProcessResult r = run(args, kQueryTimeout);
  if (!r.ok()) return Error{failure(program_ + " inspect", r).error()};
  return parse_container_inspect(r.out);
}

Result<std::vector<ContainerInfo>> ContainerCli::containers_labelled(const std::string& label,
                                                                     const std::string& value) {
  ProcessResult r =
      run({"ps", "--all", "--quiet", "--no-trunc", "--filter", label_filter(label, value)},
          kQueryTimeout);
  if (!r.ok()) return Error{failure(program_ + " ps", r).error()};
  return inspect_all(lines_of(r.out));
}

Result<ContainerInfo> ContainerCli::inspect(const std::string& container) {
  auto all = inspect_all({container});
  if (!all) return Error{all.error()};
  if (all->empty()) return Error{"no such container: " + container};
  return all->front();
}

Status ContainerCli::create(const ContainerSpec& spec) {
  auto env_file = EnvFile::write(spec.env);
  if (!env_file) return Error{env_file.error()};
  std::vector<std::string> args = create_arguments(spec);
  args.insert(args.begin() + 1, {"--env-file", (*env_file)->path()});
  if (Status s = run_status(args); !s) return s;
  for (size_t i = 1; i < spec.networks.size(); ++i) {
    std::vector<std::string> connect = {"network", "connect"};
    for (const std::string& alias : spec.networks[i].aliases) {
      connect.insert(connect.end(), {"--alias", alias});
    }
    connect.insert(connect.end(), {spec.networks[i].network, spec.name});
    if (Status s = run_status(connect); !s) return s;
  }
  return ok_status();
}

Status ContainerCli::start(const std::string& container) {
  return run_status({"start", container});
}

Status ContainerCli::stop(const std::string& container, std::chrono::seconds grace) {
  return run_status({"stop", "--time", std::to_string(grace.count()), container});
}

Status ContainerCli::remove(const std::string& container) {
  ProcessResult r = run({"rm", "--force", container}, kQueryTimeout);
  if (r.ok() || says_missing(r)) return ok_status();
  return failure(program_ + " rm", r);
}

Result<int> ContainerCli::wait(const std::string& container) {
  ProcessResult r = run({"wait", container});
  if (!r.ok()) return Error{failure(program_ + " wait", r).error()};
  return std::atoi(r.out.c_str());
}

ProcessResult ContainerCli::exec(const std::string& container, const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout) {
  std::vector<std::string> args = {"exec", container};
  args.insert(args.end(), argv.begin(), argv.end());
  args.insert(args.begin(), program_);
  return runner_.run({.argv = args, .env = env_, .timeout = timeout, .merge_stderr = true});
}

Result<std::string> ContainerCli::logs(const std::string& container, size_t tail, bool timestamps,
                                       const std::string& since) {
  std::vector<std::string> args = {"logs"};
  if (tail) args.insert(args.end(), {"--tail", std::to_string(tail)});
  if (timestamps) args.push_back("--timestamps");
  if (!since.empty()) args.insert(args.end(), {"--since", since});
  args.push_back(container);
  args.insert(args.begin(), program_);
  ProcessResult r =
      runner_.run({.argv = args, .env = env_, .timeout = kQueryTimeout, .merge_stderr = true});
  if (!r.ok()) return Error{failure(program_ + " logs", r).error()};
  return r.out;
}

}  // namespace fusion
