#include "generate/kubernetes.h"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "generate/compose.h"
#include "generate/kubernetes_pod.h"
#include "generate/secrets.h"
#include "generate/yaml_emitter.h"
#include "registry/interpolation.h"
#include "util/quantity.h"
#include "util/strings.h"

namespace fusion {
std::string object_name(std::string name) {
  for (char& c : name) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

namespace {

std::string header() { return generated_header("#"); }

/// Several objects in one file.
std::string documents(const std::vector<YamlData>& objects, std::string_view comments = "") {
  std::string out = header() + std::string(comments);
  for (size_t i = 0; i < objects.size(); ++i) {
    if (i > 0) out += "---\n";
    out += emit_yaml(objects[i]);
  }
  return out;
}

int64_t seconds(Duration d) { return std::max<int64_t>(1, (d.count() + 999) / 1000); }

YamlData labels(const Registry& reg, const Service& s) {
  YamlData l;
  l["app.kubernetes.io/name"] = s.name.value;
  l["app.kubernetes.io/part-of"] = reg.name.value;
  l["app.kubernetes.io/managed-by"] = "fusion";
  if (s.group.present()) l["app.kubernetes.io/component"] = s.group.value;
  return l;
}

YamlData selector(const Registry& reg, const Service& s) {
  return {{"app.kubernetes.io/name", s.name.value}, {"app.kubernetes.io/part-of", reg.name.value}};
}

YamlData metadata(const Registry& reg, const Service& s, const std::string& name) {
  return {{"name", name}, {"labels", labels(reg, s)}};
}

/// The port others reach the service on: the one its health check probes, else its first tcp
/// port.
uint16_t main_port(const Service& s) {
  if (uint16_t probed = probed_port(s); probed != 0) return probed;
  for (const ContainerPort& p : container_ports(s)) {
    if (p.protocol == Protocol::kTcp) return p.port;
  }
  return 0;
}

const char* protocol_name(Protocol p) { return p == Protocol::kUdp ? "UDP" : "TCP"; }

YamlData resolved_list(const std::vector<std::string>& words, std::string_view where,
                       KubeNotes& notes, bool args) {
  YamlData out = YamlData::array();
  for (const std::string& w : words) {
    out.push_back(args ? for_args(w, where, notes) : for_cluster(w, where, notes));
  }
  return out;
}

YamlData probe_action(const Service& s, KubeNotes& notes) {
  const HealthCheck& h = *s.health;
  switch (h.kind) {
    case HealthKind::kHttp:
      return {{"httpGet",
               {{"path", for_cluster(h.http_path, "the health check", notes)},
                {"port", probed_port(s)}}}};
    case HealthKind::kTcp:
      return {{"tcpSocket", {{"port", probed_port(s)}}}};
    case HealthKind::kExec:
      return {{"exec", {{"command", resolved_list(h.command, "the health check", notes, false)}}}};
    case HealthKind::kContainer:
      break;
  }
  return nullptr;
}

/// startup: allows start_period plus `retries` failed probes; readiness and liveness then probe
/// every interval and act after 3 failures.
void add_probes(const Service& s, YamlData& container, KubeNotes& notes) {
  if (!s.health || s.health->kind == HealthKind::kContainer) return;
  const HealthCheck& h = *s.health;
  YamlData probe = probe_action(s, notes);
  probe["periodSeconds"] = seconds(h.interval);
  probe["timeoutSeconds"] = seconds(h.timeout);
  YamlData startup = probe;
  startup["failureThreshold"] =
      h.retries + (seconds(h.start_period) + seconds(h.interval) - 1) / seconds(h.interval);
  probe["failureThreshold"] = 3;
  container["startupProbe"] = startup;
  container["readinessProbe"] = probe;
  container["livenessProbe"] = probe;
}

YamlData resources(const Service& s) {
  YamlData r = YamlData::object();
  if (s.resources.memory_bytes) {
    std::string memory = format_memory(s.resources.memory_bytes->value);
    r["requests"]["memory"] = memory;
    r["limits"]["memory"] = memory;
  }
  if (s.resources.millicpus) {
    std::string cpu = format_cpus(s.resources.millicpus->value);
    r["requests"]["cpu"] = cpu;
    r["limits"]["cpu"] = cpu;
  }
  return r;
}

/// An init container that waits until the dependency's Service accepts a connection (`nc`
/// without -z, which the smallest busybox builds lack: stdin closed, it exits once connected).
YamlData wait_for(const GenerateContext& ctx, const Dependency& d, KubeNotes& notes) {
  const Service* dep = ctx.find(d.service.value);
  if (d.condition == DependencyCondition::kCompleted) {
    notes.add(
        fmt::format("'{}' must complete first; Kubernetes does not order on a Job, so "
                    "this service must retry until its work is done",
                    d.service.value));
    return nullptr;
  }
  if (d.condition != DependencyCondition::kHealthy || !dep) return nullptr;
  uint16_t port = main_port(*dep);
  if (port == 0) {
    notes.add(fmt::format("'{}' has no port to wait on; started without waiting for it",
                          d.service.value));
    return nullptr;
  }
  std::string script = fmt::format(
      "until nc -w 2 {0} {1} </dev/null >/dev/null 2>&1; do echo waiting for {0}:{1}; sleep 2; "
      "done",
      d.service.value, port);
  return {{"name", "wait-for-" + d.service.value},
          {"image", kDependencyWaitImage},
          {"command", {"sh", "-c", script}}};
}

YamlData container(const GenerateContext& ctx, const Service& s, bool has_config, bool secrets,
                   KubeNotes& notes) {
  YamlData c;
  c["name"] = s.name.value;
  c["image"] = for_cluster(service_image(*ctx.registry, s), "the image", notes);
  if (!s.command.empty()) c["args"] = resolved_list(s.command, "the command", notes, true);
  for (const ContainerPort& p : container_ports(s)) {
    c["ports"].push_back({{"containerPort", p.port}, {"protocol", protocol_name(p.protocol)}});
  }
  if (has_config) c["envFrom"].push_back({{"configMapRef", {{"name", s.name.value + "-env"}}}});
  if (secrets) c["envFrom"].push_back({{"secretRef", {{"name", s.name.value + "-secrets"}}}});
  add_probes(s, c, notes);
  if (s.health && s.health->kind == HealthKind::kContainer) {
    notes.add("the image's own HEALTHCHECK is not run by Kubernetes; no probe");
  }
  if (YamlData r = resources(s); !r.empty()) c["resources"] = r;
  for (const VolumeMount& m : s.volumes) {
    if (!m.named && !m.source.empty()) {
      notes.key("volumes", m.pos,
                fmt::format("host path '{}' is not mounted: Kubernetes has no portable form "
                            "of it; use a ConfigMap or a volume",
                            m.source));
      continue;
    }
    YamlData mount = {{"name", m.named ? m.source : "anon-" + std::to_string(&m - &s.volumes[0])},
                      {"mountPath", m.target}};
    if (m.read_only) mount["readOnly"] = true;
    c["volumeMounts"].push_back(mount);
  }
  return c;
}

YamlData pod_volumes(const Service& s) {
  YamlData volumes = YamlData::array();
  std::set<std::string> seen;
  for (size_t i = 0; i < s.volumes.size(); ++i) {
    const VolumeMount& m = s.volumes[i];
    if (m.named && seen.insert(m.source).second) {
      volumes.push_back({{"name", m.source}, {"persistentVolumeClaim", {{"claimName", m.source}}}});
    } else if (m.source.empty()) {
      volumes.push_back({{"name", "anon-" + std::to_string(i)}, {"emptyDir", YamlData::object()}});
    }
  }
  return volumes;
}

/// Secrets and configs as files: a volume of the Secret / ConfigMap named after them, one key
/// mounted with subPath at the place compose puts it. Configs with `content` get their
/// ConfigMap here; the others must exist in the namespace, as the note says.
void file_mounts(const GenerateContext& ctx, const Service& s, YamlData& pod, YamlData& container,
                 std::vector<YamlData>& objects, KubeNotes& notes) {
  for (bool secrets : {true, false}) {
    for (const FileMount& m : secrets ? s.secrets : s.configs) {
      const FileSource* source = nullptr;
      for (const FileSource& f : secrets ? ctx.registry->secrets : ctx.registry->configs) {
        if (f.name.value == m.source.value) source = &f;
      }
      if (!source) continue;
      std::string name = object_name(m.source.value);
      if (!secrets && source->content.present()) name = s.name.value + "-" + name;
      std::string volume = (secrets ? "secret-" : "config-") + name;
      std::string target = m.target.empty() ? m.source.value : m.target;
      if (!target.starts_with('/')) target = (secrets ? "/run/secrets/" : "/") + target;
      YamlData item = {{"key", m.source.value}, {"path", m.source.value}};
      if (m.mode) item["mode"] = *m.mode;
      YamlData v = {{"name", volume}};
      v[secrets ? "secret" : "configMap"] = {{secrets ? "secretName" : "name", name},
                                             {"items", {item}}};
      pod["volumes"].push_back(v);
      container["volumeMounts"].push_back({{"name", volume},
                                           {"mountPath", target},
                                           {"subPath", m.source.value},
                                           {"readOnly", true}});
      if (!secrets && source->content.present()) {
        objects.push_back({{"apiVersion", "v1"},
                           {"kind", "ConfigMap"},
                           {"metadata", {{"name", name}}},
                           {"data",
                            {{m.source.value, for_cluster(source->content.value,
                                                          "config " + m.source.value, notes)}}}});
        continue;
      }
      if (secrets && source->from_store()) continue;  // the local overlay generates it
      notes.key(secrets ? "secrets" : "configs", m.pos,
                fmt::format("'{}' is mounted from {} '{}' (key '{}'), which must exist in the "
                            "namespace: fusion writes no {} value into generated files",
                            m.source.value, secrets ? "Secret" : "ConfigMap", name, m.source.value,
                            secrets ? "secret" : "file"));
    }
  }
}

/// A Job's restartPolicy and backoffLimit from `restart` (OnFailure, 6 retries without one).
void job_restart(const Service& s, YamlData& spec, YamlData& pod_spec) {
  pod_spec["restartPolicy"] = "OnFailure";
  spec["backoffLimit"] = 6;
  if (!s.restart) return;
  if (s.restart->policy == RestartPolicy::kNo) {
    pod_spec["restartPolicy"] = "Never";
    spec["backoffLimit"] = 0;
  } else if (s.restart->policy == RestartPolicy::kOnFailure && s.restart->max_retries) {
    spec["backoffLimit"] = s.restart->max_retries;
  }
}

YamlData workload(const GenerateContext& ctx, const Service& s, bool has_config, bool secrets,
                  std::vector<YamlData>& objects, KubeNotes& notes) {
  const Registry& reg = *ctx.registry;
  YamlData pod;
  for (const Dependency& d : s.depends_on) {
    if (YamlData init = wait_for(ctx, d, notes); !init.is_null()) {
      pod["initContainers"].push_back(init);
    }
  }
  YamlData main = container(ctx, s, has_config, secrets, notes);
  if (YamlData v = pod_volumes(s); !v.empty()) pod["volumes"] = v;
  apply_run_keys(ctx, s, pod, main, notes);
  file_mounts(ctx, s, pod, main, objects, notes);
  pod["containers"] = {main};
  YamlData template_ = {{"metadata",
                         {{"labels", labels(reg, s)},
                          {"annotations", {{"io.fusion/config-hash", config_hash(pod)}}}}},
                        {"spec", pod}};
  bool job = ctx.awaited_to_complete.contains(s.name.value);
  bool stateful =
      std::any_of(s.volumes.begin(), s.volumes.end(), [](const VolumeMount& m) { return m.named; });
  YamlData w;
  w["apiVersion"] = job ? "batch/v1" : "apps/v1";
  w["kind"] = job ? "Job" : stateful ? "StatefulSet" : "Deployment";
  w["metadata"] = metadata(reg, s, s.name.value);
  if (job) {
    w["spec"] = YamlData::object();
    job_restart(s, w["spec"], template_["spec"]);
    w["spec"]["template"] = template_;
    return w;
  }
  if (s.restart &&
      (s.restart->policy == RestartPolicy::kNo || s.restart->policy == RestartPolicy::kOnFailure)) {
    notes.key("restart", s.restart->pos,
              fmt::format("'{}' has no Deployment form: Kubernetes restarts it always (it becomes "
                          "a Job only when a service waits for it to complete)",
                          restart_policy_name(s.restart->policy)));
  }
  w["spec"]["replicas"] = s.replicas ? s.replicas->value : 1;
  if (stateful) w["spec"]["serviceName"] = s.name.value;
  w["spec"]["selector"]["matchLabels"] = selector(reg, s);
  w["spec"]["template"] = template_;
  return w;
}

YamlData service_object(const Registry& reg, const Service& s, const std::string& name) {
  YamlData ports = YamlData::array();
  for (const ContainerPort& p : container_ports(s)) {
    std::string proto = p.protocol == Protocol::kUdp ? "udp" : "tcp";
    ports.push_back({{"name", fmt::format("{}-{}", proto, p.port)},
                     {"port", p.port},
                     {"targetPort", p.port},
                     {"protocol", protocol_name(p.protocol)}});
  }
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", metadata(reg, s, name)},
          {"spec", {{"selector", selector(reg, s)}, {"ports", ports}}}};
}

YamlData ingress(const Registry& reg, const Service& s, uint16_t port) {
  YamlData path;
  path["path"] = "/";
  path["pathType"] = "Prefix";
  path["backend"]["service"]["name"] = s.name.value;
  path["backend"]["service"]["port"]["number"] = port;
  YamlData rule;
  rule["host"] = service_hostname(reg, s);
  rule["http"]["paths"] = {path};
  YamlData out;
  out["apiVersion"] = "networking.k8s.io/v1";
  out["kind"] = "Ingress";
  out["metadata"] = metadata(reg, s, s.name.value);
  out["spec"]["rules"] = {rule};
  return out;
}

std::vector<YamlData> service_objects(const GenerateContext& ctx, const Service& s,
                                      KubeNotes& notes) {
  const Registry& reg = *ctx.registry;
  std::vector<YamlData> objects;
  SplitEnv env = split_env(s);
  if (!env.plain.empty()) {
    YamlData config = {{"apiVersion", "v1"},
                       {"kind", "ConfigMap"},
                       {"metadata", metadata(reg, s, s.name.value + "-env")}};
    for (const auto& [name, value] : env.plain) {
      config["data"][name] = for_cluster(value, "env " + name, notes);
    }
    objects.push_back(config);
  }
  std::vector<YamlData> extra;
  objects.push_back(
      workload(ctx, s, !env.plain.empty(), !env.secret_templates.empty(), extra, notes));
  objects.insert(objects.begin(), extra.begin(), extra.end());
  if (!container_ports(s).empty()) {
    objects.push_back(service_object(reg, s, s.name.value));
    std::set<std::string> aliases;
    for (const NetworkAttachment& n : s.networks) {
      for (const Text& alias : n.aliases) aliases.insert(alias.value);
    }
    for (const std::string& alias : aliases) {
      if (is_dns1123_label(alias)) {
        objects.push_back(service_object(reg, s, alias));
      } else {
        notes.add(
            fmt::format("network alias '{}' is not a Service name (a DNS label): it "
                        "does not resolve in the cluster",
                        alias));
      }
    }
  }
  if (s.subdomain.present() && reg.domain.present()) {
    if (uint16_t port = main_port(s); port != 0) {
      objects.push_back(ingress(reg, s, port));
    } else {
      notes.add("subdomain without a tcp port: no Ingress");
    }
  }
  return objects;
}

std::string service_file(const GenerateContext& ctx, const Service& s) {
  KubeNotes notes(ctx, s);
  std::vector<YamlData> objects = service_objects(ctx, s, notes);
  return documents(objects, notes.text());
}

/// Where a service's file goes: base/, or components/<profile>/ for profile-only services.
std::string service_folder(const Service& s) {
  return s.profiles.empty() ? "kubernetes/base/"
                            : "kubernetes/components/" + s.profiles.front().value + "/";
}

YamlData local_overlay(const GenerateContext& ctx) {
  const Registry& reg = *ctx.registry;
  YamlData k = {{"apiVersion", "kustomize.config.k8s.io/v1beta1"}, {"kind", "Kustomization"}};
  k["resources"] = {"../../base"};
  // Secrets from fusion's store mounted as files: made from the files `fusion secrets` writes.
  for (const std::string& name : store_secret_files(reg)) {
    k["secretGenerator"].push_back(
        {{"name", object_name(name)}, {"files", {name + "=secrets/" + name + ".secret"}}});
  }
  for (const Service& s : reg.services) {
    // Profile services too: their Secrets and patches apply once an overlay enables their
    // component, and a patch whose target is absent does nothing.
    if (!split_env(s).secret_templates.empty()) {
      k["secretGenerator"].push_back(
          {{"name", s.name.value + "-secrets"}, {"envs", {"secrets/" + s.name.value + ".env"}}});
    }
    if (s.image.present()) continue;  // released images are pulled as usual
    bool job = ctx.awaited_to_complete.contains(s.name.value);
    bool stateful = std::any_of(s.volumes.begin(), s.volumes.end(),
                                [](const VolumeMount& m) { return m.named; });
    std::string kind = job ? "Job" : stateful ? "StatefulSet" : "Deployment";
    YamlData patch;
    patch["apiVersion"] = job ? "batch/v1" : "apps/v1";
    patch["kind"] = kind;
    patch["metadata"]["name"] = s.name.value;
    patch["spec"]["template"]["spec"]["containers"] = {
        {{"name", s.name.value}, {"imagePullPolicy", "Never"}}};
    YamlData entry;
    entry["patch"] = emit_yaml(patch);
    entry["target"]["kind"] = kind;
    entry["target"]["name"] = s.name.value;
    k["patches"].push_back(entry);
  }
  return k;
}

}  // namespace

std::string resolve_defaults(std::string_view value) {
  return substitute(value, [](const Reference& ref) -> std::optional<std::string> {
    return ref.has_default ? ref.default_value : "";
  });
}

std::vector<YamlData> kubernetes_service_objects(const GenerateContext& ctx, const Service& s) {
  KubeNotes notes(ctx, s);
  return service_objects(ctx, s, notes);
}

std::vector<YamlData> kubernetes_volume_claims(const GenerateContext& ctx) {
  const Registry& reg = *ctx.registry;
  std::vector<YamlData> claims;
  for (const Volume& v : reg.volumes) {
    if (v.external) continue;
    claims.push_back({{"apiVersion", "v1"},
                      {"kind", "PersistentVolumeClaim"},
                      {"metadata",
                       {{"name", v.name.value},
                        {"labels",
                         {{"app.kubernetes.io/part-of", reg.name.value},
                          {"app.kubernetes.io/managed-by", "fusion"}}}}},
                      {"spec",
                       {{"accessModes", {"ReadWriteOnce"}},
                        {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}});
  }
  return claims;
}

FileSet generate_kubernetes(const GenerateContext& ctx) {
  const Registry& reg = *ctx.registry;
  FileSet files;
  std::map<std::string, YamlData> resources;  // folder → resource list
  for (const Service& s : reg.services) {
    std::string folder = service_folder(s);
    files[folder + s.name.value + ".yaml"] = service_file(ctx, s);
    resources[folder].push_back(s.name.value + ".yaml");
  }
  std::vector<YamlData> claims = kubernetes_volume_claims(ctx);
  if (!claims.empty()) {
    files["kubernetes/base/volumes.yaml"] = documents(claims);
    resources["kubernetes/base/"].push_back("volumes.yaml");
  }
  resources.try_emplace("kubernetes/base/", YamlData::array());
  for (auto& [folder, list] : resources) {
    bool component = folder != "kubernetes/base/";
    YamlData k = {{"apiVersion", component ? "kustomize.config.k8s.io/v1alpha1"
                                           : "kustomize.config.k8s.io/v1beta1"},
                  {"kind", component ? "Component" : "Kustomization"},
                  {"resources", list}};
    files[folder + "kustomization.yaml"] = header() + emit_yaml(k);
  }
  files["kubernetes/overlays/local/kustomization.yaml"] = header() + emit_yaml(local_overlay(ctx));
  files["kubernetes/overlays/local/.gitignore"] =
      header() + "# Secret values, written by `fusion secrets`.\nsecrets/\n";
  return files;
}

}  // namespace fusion
