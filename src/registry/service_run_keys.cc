// Reads the service keys that say how its container runs, in the Compose Specification's names
// and forms (entrypoint, restart, env_file, user, tmpfs, ulimits, secrets, …), so a compose
// user already knows them.

#include <fmt/format.h>

#include "registry/service_reader.h"
#include "util/quantity.h"
#include "util/strings.h"

namespace fusion {
namespace {

using Handler = ServiceKeyHandler;

Handler text_key(std::string_view key, Text Service::*field) {
  return [key, field](ServiceReader& s, const YamlNode& n) {
    auto text = s.r.string(n, s.what(key));
    s.service.*field = text ? *text : Text{"", s.r.pos(n)};
  };
}

/// A string or a list of strings (compose allows both for dns, tmpfs, env_file, …).
std::vector<Text> one_or_list(ServiceReader& s, const YamlNode& n, std::string_view key) {
  if (n.IsScalar()) return {*s.r.string(n, s.what(key))};
  return s.r.string_list(n, s.what(key));
}

Handler list_key(std::string_view key, std::vector<Text> Service::*field) {
  return [key, field](ServiceReader& s, const YamlNode& n) {
    s.service.*field = one_or_list(s, n, key);
  };
}

Handler flag_key(std::string_view key, std::optional<Located<bool>> Service::*field) {
  return [key, field](ServiceReader& s, const YamlNode& n) {
    if (auto b = s.r.boolean(n, s.what(key))) s.service.*field = Located<bool>{*b, s.r.pos(n)};
  };
}

/// A map `K: V`, or compose's list `[K=V]`.
std::map<std::string, std::string> key_values(ServiceReader& s, const YamlNode& n,
                                              std::string_view key) {
  if (!n.IsSequence()) return s.r.string_map(n, s.what(key));
  std::map<std::string, std::string> out;
  for (const Text& item : s.r.string_list(n, s.what(key))) {
    size_t eq = item.value.find('=');
    out[item.value.substr(0, eq)] = eq == std::string::npos ? "" : item.value.substr(eq + 1);
  }
  return out;
}

void read_restart(ServiceReader& s, const YamlNode& n) {
  auto text = s.r.string(n, s.what("restart"));
  if (!text) return;
  Restart restart{.policy = RestartPolicy::kNo, .max_retries = 0, .pos = text->pos};
  std::string_view v = text->value;
  if (v == "always") {
    restart.policy = RestartPolicy::kAlways;
  } else if (v == "unless-stopped") {
    restart.policy = RestartPolicy::kUnlessStopped;
  } else if (v == "on-failure" || v.starts_with("on-failure:")) {
    restart.policy = RestartPolicy::kOnFailure;
    std::string count(v.size() > 11 ? v.substr(11) : "");
    bool digits = !count.empty() && count.size() < 6 &&
                  count.find_first_not_of("0123456789") == std::string::npos;
    if (v.size() > 10 && !digits) {
      return s.r.diagnostics().error(
          text->pos,
          fmt::format("invalid restart '{}' in {}: expected on-failure:N, N a count", v, s.where));
    }
    if (digits) restart.max_retries = static_cast<uint32_t>(std::stoul(count));
  } else if (v != "no" && v != "\"no\"") {
    std::vector<std::string> policies = {"no", "always", "on-failure", "unless-stopped"};
    auto best = closest_match(std::string(v), policies);
    return s.r.diagnostics().error(
        text->pos, fmt::format("unknown restart policy '{}' in {}; {}", v, s.where,
                               best ? fmt::format("did you mean '{}'?", *best)
                                    : "expected no, always, on-failure[:N] or unless-stopped"));
  }
  s.service.restart = restart;
}

void read_env_file(ServiceReader& s, const YamlNode& n) {
  auto one = [&](const YamlNode& item) {
    if (!item.IsMap()) {
      if (auto t = s.r.string(item, "an item of " + s.what("env_file")))
        s.service.env_files.push_back({*t, true});
      return;
    }
    EnvFile file{.path = {}, .required = true};
    s.r.for_each_entry(
        item, keys::kEnvFile, "an env_file of " + s.where, [&](const Text& key, const YamlNode& v) {
          if (key.value == "path") {
            if (auto t = s.r.string(v, "'path' of an env_file")) file.path = *t;
          } else {
            file.required = s.r.boolean(v, "'required' of an env_file").value_or(true);
          }
        });
    if (!file.path.present()) return s.error(item, "an env_file of " + s.where + " needs 'path'");
    s.service.env_files.push_back(std::move(file));
  };
  if (n.IsSequence()) return s.r.for_each_item(n, s.what("env_file"), one);
  one(n);
}

void read_extra_hosts(ServiceReader& s, const YamlNode& n) {
  auto add = [&](const std::string& host, const std::string& address, SourcePos pos) {
    if (host.empty() || address.empty()) {
      return s.r.diagnostics().error(
          pos,
          fmt::format("invalid extra host in {}: expected HOST:ADDRESS or HOST=ADDRESS", s.where));
    }
    std::string ip = address.starts_with('[') && address.ends_with(']')
                         ? address.substr(1, address.size() - 2)
                         : address;
    s.service.extra_hosts.push_back({host, ip, pos});
  };
  if (n.IsMap()) {
    for (const auto& [host, address] : s.r.string_map(n, s.what("extra_hosts"))) {
      add(host, address, s.r.pos(n));
    }
    return;
  }
  for (const Text& item : s.r.string_list(n, s.what("extra_hosts"))) {
    size_t sep = item.value.find('=');
    if (sep == std::string::npos) sep = item.value.find(':');
    if (sep == std::string::npos) sep = item.value.size();
    add(item.value.substr(0, sep), sep < item.value.size() ? item.value.substr(sep + 1) : "",
        item.pos);
  }
}

void read_tmpfs(ServiceReader& s, const YamlNode& n) {
  for (const Text& item : one_or_list(s, n, "tmpfs")) {
    size_t colon = item.value.find(':');
    TmpfsMount t{.target = item.value.substr(0, colon),
                 .options = colon == std::string::npos ? "" : item.value.substr(colon + 1),
                 .size_bytes = 0,
                 .pos = item.pos};
    if (!t.target.starts_with('/')) {
      s.r.diagnostics().error(item.pos, fmt::format("invalid tmpfs '{}' in {}: the path must be "
                                                    "absolute",
                                                    item.value, s.where));
      continue;
    }
    for (std::string_view option : split(t.options, ',')) {
      if (!option.starts_with("size=")) continue;
      auto bytes = parse_docker_memory(option.substr(5));
      if (!bytes) {
        s.r.diagnostics().error(item.pos, fmt::format("{} in {}", bytes.error(), s.where));
      } else {
        t.size_bytes = *bytes;
      }
    }
    s.service.tmpfs.push_back(std::move(t));
  }
}

void read_shm_size(ServiceReader& s, const YamlNode& n) {
  auto text = s.r.string(n, s.what("shm_size"));
  if (!text) return;
  auto bytes = parse_docker_memory(text->value);
  if (!bytes) return s.r.diagnostics().error(text->pos, bytes.error() + " in " + s.where);
  s.service.shm_size = Located<uint64_t>{*bytes, text->pos};
}

std::optional<int64_t> ulimit_value(ServiceReader& s, const YamlNode& n, const std::string& what) {
  if (n.IsScalar() && (n.Scalar() == "-1" || n.Scalar() == "unlimited")) return -1;
  auto v = s.r.integer(n, what, 0, INT64_MAX / 2);
  return v ? std::optional<int64_t>(v->value) : std::nullopt;
}

void read_ulimits(ServiceReader& s, const YamlNode& n) {
  s.r.for_each_named(n, s.what("ulimits"), [&](const Text& name, const YamlNode& v) {
    std::string what = fmt::format("ulimit '{}' of {}", name.value, s.where);
    Ulimit limit{.name = name.value, .soft = 0, .hard = 0, .pos = name.pos};
    if (!v.IsMap()) {
      auto value = ulimit_value(s, v, what);
      if (!value) return;
      limit.soft = limit.hard = *value;
    } else {
      bool soft = false, hard = false;
      s.r.for_each_entry(v, keys::kUlimit, what, [&](const Text& key, const YamlNode& x) {
        auto value = ulimit_value(s, x, fmt::format("'{}' of {}", key.value, what));
        if (!value) return;
        (key.value == "soft" ? limit.soft : limit.hard) = *value;
        (key.value == "soft" ? soft : hard) = true;
      });
      if (!soft || !hard) return s.error(v, what + " needs both 'soft' and 'hard'");
    }
    s.service.ulimits.push_back(std::move(limit));
  });
}

void read_gpus(ServiceReader& s, const YamlNode& n) {
  if (n.IsScalar()) {
    if (n.Scalar() == "all") {
      s.service.gpus.push_back({-1, {}, "nvidia", s.r.pos(n)});
    } else if (auto count = s.r.integer(n, s.what("gpus") + " (all or a count)", 1, 1024)) {
      s.service.gpus.push_back({count->value, {}, "nvidia", count->pos});
    }
    return;
  }
  s.r.for_each_item(n, s.what("gpus"), [&](const YamlNode& item) {
    GpuRequest gpu{.count = -1, .device_ids = {}, .driver = "nvidia", .pos = s.r.pos(item)};
    s.r.for_each_entry(item, keys::kGpu, "a gpu of " + s.where,
                       [&](const Text& key, const YamlNode& v) {
                         std::string what = fmt::format("'{}' of a gpu of {}", key.value, s.where);
                         if (key.value == "count") {
                           if (v.IsScalar() && v.Scalar() == "all") return;
                           if (auto c = s.r.integer(v, what, 1, 1024)) gpu.count = c->value;
                         } else if (key.value == "device_ids") {
                           for (Text& id : s.r.string_list(v, what))
                             gpu.device_ids.push_back(id.value);
                         } else if (key.value == "driver") {
                           if (auto d = s.r.string(v, what)) gpu.driver = d->value;
                         } else {
                           s.r.string_list(v, what);  // capabilities: checked, gpu implied
                         }
                       });
    s.service.gpus.push_back(std::move(gpu));
  });
}

void read_file_mounts(ServiceReader& s, const YamlNode& n, std::string_view key,
                      std::vector<FileMount>& out) {
  s.r.for_each_item(n, s.what(key), [&](const YamlNode& item) {
    FileMount m{.source = {}, .target = {}, .uid = {}, .gid = {}, .mode = {}, .pos = s.r.pos(item)};
    if (!item.IsMap()) {
      if (auto t = s.r.string(item, "an item of " + s.what(key))) m.source = *t;
    } else {
      std::string where = fmt::format("an item of {}", s.what(key));
      s.r.for_each_entry(item, keys::kFileMount, where, [&](const Text& k, const YamlNode& v) {
        std::string what = fmt::format("'{}' of {}", k.value, where);
        if (k.value == "mode") {
          auto t = s.r.string(v, what);
          // YAML 1.1 reads 0440 as octal; fusion reads the digits as octal in any case.
          if (t && t->value.find_first_not_of("01234567") == std::string::npos &&
              !t->value.empty() && t->value.size() <= 4) {
            m.mode = static_cast<uint32_t>(std::stoul(t->value, nullptr, 8));
          } else if (t) {
            s.r.diagnostics().error(t->pos,
                                    fmt::format("{} must be octal digits, e.g. 0440", what));
          }
        } else if (auto t = s.r.string(v, what)) {
          (k.value == "source"   ? m.source.value
           : k.value == "target" ? m.target
           : k.value == "uid"    ? m.uid
                                 : m.gid) = t->value;
          if (k.value == "source") m.source.pos = t->pos;
        }
      });
      if (!m.source.present()) return s.error(item, where + " needs 'source'");
    }
    out.push_back(std::move(m));
  });
}

void read_replicas(ServiceReader& s, const YamlNode& n) {
  if (auto count = s.r.integer(n, s.what("replicas"), 0, 10'000)) s.service.replicas = *count;
}

}  // namespace

void add_run_key_handlers(std::map<std::string_view, ServiceKeyHandler>& table) {
  table.emplace("entrypoint", [](ServiceReader& s, const YamlNode& n) {
    if (n.IsSequence() && n.items().empty()) {
      s.service.entrypoint = std::vector<std::string>{};
    } else if (auto words = s.r.command(n, s.what("entrypoint"))) {
      s.service.entrypoint = std::move(*words);
    }
  });
  table.emplace("restart", read_restart);
  table.emplace("env_file", read_env_file);
  table.emplace("user", text_key("user", &Service::user));
  table.emplace("working_dir", text_key("working_dir", &Service::working_dir));
  table.emplace("hostname", text_key("hostname", &Service::hostname));
  table.emplace("container_name", text_key("container_name", &Service::container_name));
  table.emplace("stop_signal", text_key("stop_signal", &Service::stop_signal));
  table.emplace("platform", text_key("platform", &Service::platform));
  table.emplace("pull_policy", text_key("pull_policy", &Service::pull_policy));
  table.emplace("pid", text_key("pid", &Service::pid));
  table.emplace("extra_hosts", read_extra_hosts);
  table.emplace("dns", list_key("dns", &Service::dns));
  table.emplace("cap_add", list_key("cap_add", &Service::cap_add));
  table.emplace("cap_drop", list_key("cap_drop", &Service::cap_drop));
  table.emplace("security_opt", list_key("security_opt", &Service::security_opt));
  table.emplace("devices", list_key("devices", &Service::devices));
  table.emplace("group_add", list_key("group_add", &Service::group_add));
  table.emplace("tmpfs", read_tmpfs);
  table.emplace("shm_size", read_shm_size);
  table.emplace("ulimits", read_ulimits);
  table.emplace("privileged", flag_key("privileged", &Service::privileged));
  table.emplace("read_only", flag_key("read_only", &Service::read_only));
  table.emplace("init", flag_key("init", &Service::init));
  table.emplace("gpus", read_gpus);
  table.emplace("stop_grace_period", [](ServiceReader& s, const YamlNode& n) {
    s.service.stop_grace_period = s.r.duration(n, s.what("stop_grace_period"));
  });
  table.emplace("sysctls", [](ServiceReader& s, const YamlNode& n) {
    s.service.sysctls = key_values(s, n, "sysctls");
  });
  table.emplace("secrets", [](ServiceReader& s, const YamlNode& n) {
    read_file_mounts(s, n, "secrets", s.service.secrets);
  });
  table.emplace("configs", [](ServiceReader& s, const YamlNode& n) {
    read_file_mounts(s, n, "configs", s.service.configs);
  });
  table.emplace("replicas", read_replicas);
}

}  // namespace fusion
