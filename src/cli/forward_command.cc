// fusion forward [svc…] [--target kubernetes …]: each service's published ports on localhost,
// forwarded to one of its ready pods until Ctrl-C, and forwarded again by itself when pods are
// replaced or a forward ends (kube_runtime/port_forward.h decides; this runs
// `kubectl port-forward` for each service and steps the supervisor twice a second).

#include <fmt/format.h>

#include <fstream>
#include <thread>

#include "cli/commands.h"
#include "cli/kube_target.h"
#include "cli/stack_session.h"
#include "cli/stack_up_run.h"
#include "kube_runtime/kube_plan.h"
#include "kube_runtime/port_forward.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/strings.h"

namespace fusion {
namespace {

constexpr Millis kStepEvery{500};

/// The last non-empty line of a forward's output, to say why it ended.
std::string last_output_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  std::string last = tail_lines(text, 1);
  return last.empty() ? "" : ": " + last.substr(0, last.size() - 1);
}

class ForwardCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("services", services_, "Only these services (default: all that publish ports)");
    target_.add_to(app, false);
  }

  int run(const GlobalOptions& global, Streams& io) override {
    auto checked = load_valid_registry(global, io, {});
    if (!checked) return kExitFailure;
    TargetOption target = target_.resolved(*checked);
    target.target = "kubernetes";  // the engine publishes ports itself
    const Registry& registry = checked->registry;
    std::vector<ForwardTarget> targets = forward_targets(registry, services_);
    if (targets.empty()) return report_error(io, "no service to forward: none publishes a port");
    SystemProcessRunner processes;
    auto cluster = open_kube_stack(target, registry, processes, false);
    if (!cluster) return report_error(io, cluster.error());
    logs_ = private_dir(*checked) / "forward";
    std::error_code ec;
    std::filesystem::create_directories(logs_, ec);
    kubectl_ = {"kubectl", "port-forward", "--address", "127.0.0.1"};
    if (!target.kube.kubeconfig.empty())
      kubectl_.push_back("--kubeconfig=" + target.kube.kubeconfig.string());
    kubectl_.push_back("--context=" + cluster->session->connection.context_name);
    kubectl_.push_back("--namespace=" + cluster->namespace_);
    return supervise(*cluster, stack_selector(registry.name.value), targets, io);
  }

 private:
  int supervise(const KubeStack& cluster, const std::string& selector,
                std::vector<ForwardTarget> targets, Streams& io) {
    ForwardSupervisor supervisor(std::move(targets));
    children_.resize(supervisor.targets().size());
    SteadyClock clock;
    InterruptFlag interrupt;
    std::string list_error;
    while (!interrupt.flag().load()) {
      auto pods = cluster.session->client->list("v1", "Pod", cluster.namespace_,
                                                {.label_selector = selector});
      if (!pods) {
        std::string error = pods.error().describe();
        if (error != list_error)
          io.err << "fusion: cannot list the stack's pods: " << error << "\n";
        list_error = error;
      } else {
        list_error.clear();
        std::vector<bool> running;
        for (auto& child : children_) running.push_back(child && child->running());
        for (const ForwardAction& a :
             supervisor.step(clock.now(), ready_pods(pods.value().items), running)) {
          if (int failed = act(a, supervisor.targets()[a.target], io)) return failed;
        }
      }
      io.out << std::flush;
      std::this_thread::sleep_for(kStepEvery);
    }
    children_.clear();  // stops every forward
    return kExitOk;
  }

  int act(const ForwardAction& a, const ForwardTarget& t, Streams& io) {
    std::filesystem::path log = logs_ / (t.service + ".log");
    switch (a.kind) {
      case ForwardAction::kStop:
        children_[a.target].reset();
        io.out << a.why << "\n";
        return kExitOk;
      case ForwardAction::kEnded:
        io.out << a.why << last_output_line(log) << "\n";
        return kExitOk;
      case ForwardAction::kWait:
        io.out << a.why << "\n";
        return kExitOk;
      case ForwardAction::kStart:
        break;
    }
    std::vector<std::string> argv = kubectl_;
    argv.push_back("pod/" + a.pod);
    for (auto [local, remote] : t.ports) argv.push_back(fmt::format("{}:{}", local, remote));
    std::error_code ec;
    std::filesystem::remove(log, ec);
    std::string error;
    children_[a.target] = launcher_.launch({.argv = argv}, log, error);
    if (!children_[a.target]) {
      return report_error(io, "cannot run kubectl port-forward (" + error +
                                  "): fusion forward needs kubectl on PATH");
    }
    io.out << a.why << "\n";
    return kExitOk;
  }

  std::vector<std::string> services_;
  TargetOption target_;
  std::filesystem::path logs_;
  std::vector<std::string> kubectl_;
  SystemProcessLauncher launcher_;
  std::vector<std::unique_ptr<ChildProcess>> children_;
};

}  // namespace

std::unique_ptr<Command> make_forward_command() { return std::make_unique<ForwardCommand>(); }

}  // namespace fusion
