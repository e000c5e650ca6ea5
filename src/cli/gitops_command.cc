// fusion gitops install|run|status|sync: the GitOps controller (gitops/). `install` prints (or
// with --apply applies) the CRD, RBAC and the controller's Deployment; `run` runs the controller
// here against a kubeconfig, or in the cluster; `status` lists the GitRepositories; `sync NAME`
// asks for a sync now (the requested-at annotation).

#include <fmt/format.h>

#include <cstdlib>

#include "cli/commands.h"
#include "cli/stack_up_run.h"
#include "gitops/cluster_sync.h"
#include "gitops/controller.h"
#include "gitops/git_source.h"
#include "gitops/install.h"
#include "kube/kube_session.h"
#include "util/duration.h"
#include "util/table.h"

namespace fusion {
namespace {

using Json = nlohmann::json;

std::filesystem::path gitops_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base = xdg && *xdg ? xdg : std::string(home ? home : "/tmp") + "/.cache";
  return base / "fusion" / "gitops";
}

class GitOpsCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.require_subcommand(1);
    app.add_option("--kubeconfig", kube_.kubeconfig, "This kubeconfig alone");
    app.add_option("--context", kube_.context, "The kubeconfig context");
    install_ = app.add_subcommand("install", "Print (or --apply) the CRD, RBAC and controller");
    install_->add_option("-n,--namespace", install_options_.namespace_,
                         "The controller's namespace");
    install_->add_option("--image", install_options_.image, "An image with fusion and git");
    install_->add_flag("--apply", apply_, "Apply to the cluster instead of printing");
    install_->add_flag("--crd-only", crd_only_,
                       "Only the CRD (for a controller run outside the cluster)");
    run_ = app.add_subcommand("run", "Run the controller until interrupted");
    run_->add_option("-n,--namespace", namespace_, "Only GitRepositories of this namespace");
    run_->add_option("--threads", threads_, "Actions carried out at once")
        ->check(CLI::PositiveNumber);
    status_ = app.add_subcommand("status", "List GitRepositories: phase, commit, objects, errors");
    status_->add_option("-n,--namespace", namespace_, "Only this namespace (default: all)");
    status_->add_flag("--json", json_, "Print JSON");
    sync_ = app.add_subcommand("sync", "Ask the controller to sync a GitRepository now");
    sync_->add_option("name", name_, "The GitRepository")->required();
    sync_->add_option("-n,--namespace", namespace_, "Its namespace (default: the context's)");
  }

  int run(const GlobalOptions&, Streams& io) override {
    if (install_->parsed() && !apply_) return print_install(io);
    SystemProcessRunner runner;
    KubeconfigOptions options = kube_;
    if (sync_->parsed()) options.namespace_ = namespace_;
    auto session = open_kube_session(options, runner);
    if (!session) return report_error(io, session.error());
    KubeClient& client = *session.value()->client;
    if (install_->parsed()) return apply_install(client, io);
    if (run_->parsed()) return run_controller(client, runner, io);
    if (status_->parsed()) return status(client, io);
    return request_sync(client, io);
  }

 private:
  std::vector<Json> install_objects() const {
    if (crd_only_) return {gitops::git_repository_crd()};
    return gitops::install_objects(install_options_);
  }

  int print_install(Streams& io) {
    for (const Json& o : install_objects()) {
      io.out << "---\n" << o.dump(2) << "\n";
    }
    return kExitOk;
  }

  int apply_install(KubeClient& client, Streams& io) {
    Status applied = gitops::apply_staged(client, install_objects(), std::chrono::minutes(1));
    if (!applied) return report_error(io, applied.error());
    io.out << (crd_only_ ? std::string("installed the GitRepository CRD\n")
                         : fmt::format("installed the GitRepository CRD and the controller in {}\n",
                                       install_options_.namespace_));
    return kExitOk;
  }

  int run_controller(KubeClient& client, ProcessRunner& runner, Streams& io) {
    std::filesystem::path cache = gitops_cache_dir();
    std::error_code ec;
    std::filesystem::create_directories(cache / "scratch", ec);
    gitops::CliGitSource git(runner, cache / "git", std::chrono::minutes(2));
    gitops::Controller controller(client, git, runner,
                                  {.namespace_ = namespace_,
                                   .threads = threads_,
                                   .resync = std::chrono::milliseconds(2000),
                                   .scratch_dir = cache / "scratch"},
                                  io.out);
    InterruptFlag interrupt;
    io.out << "fusion gitops: watching GitRepositories"
           << (namespace_.empty() ? "" : " in " + namespace_) << " (Ctrl-C stops)\n"
           << std::flush;
    controller.run(interrupt.flag());
    return kExitOk;
  }

  int status(KubeClient& client, Streams& io) {
    auto listed =
        client.list(std::string(kGitRepositoryApiVersion), std::string(kGitRepositoryKind),
                    namespace_.empty() ? "*" : namespace_);
    if (!listed) return report_error(io, "listing GitRepositories: " + listed.error().describe());
    Json rows = Json::array();
    bool problem = false;
    std::vector<std::vector<std::string>> table = {
        {"NAMESPACE", "NAME", "PHASE", "COMMIT", "LAST SYNC", "OBJECTS", "ERROR"}};
    for (const Json& r : listed->items) {
      auto s = status_from_json(r.value("status", Json::object()));
      GitRepositoryStatus st = s ? *s : GitRepositoryStatus{};
      std::string ns = r["metadata"].value("namespace", ""), name = r["metadata"].value("name", "");
      problem |= st.phase == SyncPhase::kFailed;
      rows.push_back({{"namespace", ns},
                      {"name", name},
                      {"phase", std::string(to_string(st.phase))},
                      {"commit", st.last_synced_commit},
                      {"lastSyncTime", st.last_sync_time},
                      {"objects", st.inventory.size()},
                      {"error", st.last_error}});
      table.push_back({ns, name, std::string(to_string(st.phase)),
                       st.last_synced_commit.substr(0, 12), st.last_sync_time,
                       std::to_string(st.inventory.size()), st.last_error});
    }
    io.out << (json_ ? rows.dump(2) + "\n" : render_table(table));
    return problem ? kExitFailure : kExitOk;
  }

  int request_sync(KubeClient& client, Streams& io) {
    std::string now = format_rfc3339(std::chrono::system_clock::now());
    Json patch = {
        {"apiVersion", std::string(kGitRepositoryApiVersion)},
        {"kind", std::string(kGitRepositoryKind)},
        {"metadata",
         {{"name", name_}, {"annotations", {{std::string(gitops::kRequestedAtAnnotation), now}}}}}};
    if (!namespace_.empty()) patch["metadata"]["namespace"] = namespace_;
    auto exists = client.get(object_ref_of(patch));
    if (!exists)
      return report_error(io, "GitRepository " + name_ + ": " + exists.error().describe());
    auto r = client.apply(patch, {.field_manager = "fusion-gitops-sync", .force = true});
    if (!r) return report_error(io, r.error().describe());
    io.out << fmt::format("sync of {} requested at {}\n", name_, now);
    return kExitOk;
  }

  KubeconfigOptions kube_;
  CLI::App* install_ = nullptr;
  CLI::App* run_ = nullptr;
  CLI::App* status_ = nullptr;
  CLI::App* sync_ = nullptr;
  gitops::InstallOptions install_options_;
  bool apply_ = false;
  bool crd_only_ = false;
  bool json_ = false;
  std::string namespace_;
  std::string name_;
  size_t threads_ = 4;
};

}  // namespace

std::unique_ptr<Command> make_gitops_command() { return std::make_unique<GitOpsCommand>(); }

}  // namespace fusion
