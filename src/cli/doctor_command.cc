// fusion doctor [--json] [--runtime R] [--kubeconfig F] [--context C] [--namespace N]: checks
// what fusion needs on this machine (and for this stack, when there is one) and says how to fix
// what is missing, one line each. Exit code 1 when a check fails; warnings do not.
//
// The checks are pure functions in doctor/; this file gathers their facts: the registry through
// session, programs through a ProcessRunner, sockets through /proc, repos through git, and the
// cluster through the Kubernetes client.

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/session.h"
#include "cli/stack_session.h"
#include "doctor/check.h"
#include "doctor/engine.h"
#include "doctor/host.h"
#include "doctor/kubernetes.h"
#include "doctor/ports.h"
#include "doctor/registry_check.h"
#include "doctor/repos.h"
#include "doctor/tools.h"
#include "kube/kube_session.h"
#include "runtime/docker.h"
#include "runtime/podman.h"
#include "util/parallel.h"
#include "util/terminal.h"
#include "workspace/git_cli.h"
#include "workspace/workspace.h"

namespace fusion {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

RegistryFacts registry_facts(const GlobalOptions& global, const Result<CheckedRegistry>& loaded) {
  RegistryFacts facts;
  facts.named = !global.file.empty();
  if (!loaded) {
    facts.read_error = loaded.error();
    return facts;
  }
  facts.path = display_path(loaded->path);
  facts.services = loaded->registry.services.size();
  facts.errors = loaded->diagnostics.error_count();
  facts.warnings = loaded->diagnostics.items().size() - facts.errors;
  for (const Diagnostic& d : loaded->diagnostics.items()) {
    if (d.severity != Severity::kError) continue;
    std::string text = render_text(d, loaded->sources, false);
    facts.first_error = text.substr(0, text.find('\n'));
    break;
  }
  return facts;
}

std::vector<CheckResult> stack_checks(const CheckedRegistry& checked, ContainerRuntime* runtime,
                                      ProcessRunner& runner) {
  std::vector<CheckResult> checks;
  std::vector<ContainerInfo> own;
  if (runtime) {
    auto containers = runtime->containers_labelled(kStackLabel, checked.registry.name.value);
    if (containers) own = std::move(containers).value();
  }
  SystemProcFs proc;
  std::vector<HostSocket> sockets = read_host_sockets(proc);
  for (const PublishedHostPort& port : published_host_ports(checked.registry)) {
    checks.push_back(check_port(port, sockets, own));
  }
  auto workspace = make_workspace(checked.registry, checked.path.parent_path());
  if (!workspace) {
    checks.push_back(check_fail("workspace", workspace.error()));
    return checks;
  }
  std::vector<std::string> local;
  for (const Service& s : checked.registry.services) {
    if (s.local) local.push_back(s.name.value);
  }
  GitCli git(runner);
  for (const RepoStatus& status : collect_status(git, workspace->repos, default_jobs())) {
    checks.push_back(check_repo(status, local));
  }
  return checks;
}

class DoctorCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_flag("--json", json_, "Print the checks as JSON");
    runtime_.add_to(app);
    app.add_option("--kubeconfig", kube_.kubeconfig, "Read this kubeconfig alone");
    app.add_option("--context", kube_.context, "The kubeconfig context to check");
    app.add_option("--namespace", kube_.namespace_,
                   "The namespace fusion would apply to (default: the context's)");
  }

  int run(const GlobalOptions& global, Streams& io) override {
    SystemProcessRunner runner;
    std::vector<CheckResult> checks;
    auto loaded = load_checked_registry(global);
    checks.push_back(check_registry(registry_facts(global, loaded)));

    EngineFacts engine = engine_facts(runner);
    checks.push_back(check_engine(engine));
    if (engine.name == "podman" && engine.reachable) {
      checks.push_back(check_podman_config(engine, read_host_facts()));
    }
    checks.push_back(check_git(probe_tool(runner, {"git", "--version"})));
    std::vector<ToolVersion> compose;
    for (const auto& command : compose_tool_commands()) {
      compose.push_back(probe_tool(runner, command));
    }
    for (CheckResult& c : check_compose_tools(compose)) checks.push_back(std::move(c));

    if (loaded && !loaded->diagnostics.has_errors()) {
      std::unique_ptr<ContainerRuntime> runtime;
      if (engine.reachable && engine.name == "podman")
        runtime = std::make_unique<PodmanRuntime>(runner);
      if (engine.reachable && engine.name == "docker")
        runtime = std::make_unique<DockerRuntime>(runner);
      for (CheckResult& c : stack_checks(*loaded, runtime.get(), runner)) {
        checks.push_back(std::move(c));
      }
    }
    for (CheckResult& c : kubernetes_checks(runner)) checks.push_back(std::move(c));

    io.out << (json_ ? checks_to_json(checks).dump(2) + "\n"
                     : render_checks(checks, io.smart_terminal && use_color(stdout)));
    return any_failed(checks) ? kExitFailure : kExitOk;
  }

 private:
  /// The engine the stack commands would choose (stack_session.h's rule).
  EngineFacts engine_facts(ProcessRunner& runner) const {
    std::string variable = environment("FUSION_RUNTIME");
    if (!runtime_.name.empty() || !variable.empty()) {
      return gather_engine_facts(runner, choose_engine(runtime_.name, variable, false));
    }
    EngineFacts podman = gather_engine_facts(runner, "podman");
    bool podman_installed = podman.client.installed || !podman.client.error.empty();
    if (choose_engine("", "", podman_installed) == "podman") return podman;
    return gather_engine_facts(runner, "docker");
  }

  std::vector<CheckResult> kubernetes_checks(ProcessRunner& runner) const {
    if (!kubeconfig_present(kube_, KubeconfigEnvironment::from_process())) {
      return {no_kubernetes_context()};
    }
    auto session = open_kube_session(kube_, runner);
    if (!session) return {check_fail("kubernetes", session.error())};
    const ClusterConnection& connection = (*session)->connection;
    KubeTarget target{connection.context_name, connection.server,
                      (*session)->client->default_namespace()};
    return check_kubernetes(*(*session)->client, target);
  }

  bool json_ = false;
  RuntimeOption runtime_;
  KubeconfigOptions kube_;
};

}  // namespace

std::unique_ptr<Command> make_doctor_command() { return std::make_unique<DoctorCommand>(); }

}  // namespace fusion
