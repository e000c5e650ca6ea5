#include "cli/commands.h"

#include <fmt/format.h>

namespace fusion {

const std::vector<CommandEntry>& command_table() {
  static const std::vector<CommandEntry> table = {
      {"validate", "Parse and check the registry; report every problem at once",
       make_validate_command},
      {"graph", "Show the dependency graph (text, dot or mermaid)", make_graph_command},
      {"plan", "Show what `up` would start, in which order, and why", make_plan_command},
      {"up", "Build, start and health-check the stack (or some services) on podman or docker",
       make_up_command},
      {"down", "Stop and remove the stack's containers and networks (volumes with -v)",
       make_down_command},
      {"restart", "Restart services and the running services that depend on them",
       make_restart_command},
      {"status", "Show each service's state, health, image, ports and URL", make_status_command},
      {"logs", "Show (and follow) the stack's logs behind service prefixes", make_logs_command},
      {"forward", "Forward published ports to the stack's pods on a cluster, until Ctrl-C",
       make_forward_command},
      {"gitops", "Keep a cluster in sync with git: install, run, status, sync",
       make_gitops_command},
      {"generate", "Write compose files, Kubernetes manifests, .env.example and an inventory",
       make_generate_command},
      {"secrets", "Create missing secret values and write the env files generated files read",
       make_secrets_command},
      {"detect", "Show what each project in a folder is (language, framework, port, …) and why",
       make_detect_command},
      {"init", "Detect the workspace's projects and draft a fusion.yaml with evidence and TODOs",
       make_init_command},
      {"new", "Create a service from a template and add it to fusion.yaml", make_new_command},
      {"import", "Write fusion.yaml from existing compose files, reporting what it cannot hold",
       make_import_command},
      {"schema", "Print the JSON Schema of fusion.yaml for editors", make_schema_command},
      {"workspace", "Clone, sync, inspect and run commands in the stack's repos",
       make_workspace_command},
      {"dir", "Print the folder of a repo: cd $(fusion dir core-api)", make_dir_command},
      {"doctor",
       "Check what fusion needs here (engine, git, ports, repos, Kubernetes) and how to fix it",
       make_doctor_command},
  };
  return table;
}

int run_cli(const std::vector<std::string>& args, Streams& io) {
  CLI::App app{"fusion: one fusion.yaml for a whole stack of services", "fusion"};
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("-f,--file", global.file, "The registry (default: fusion.yaml here or above)");
  app.add_option("--overlay", global.overlay,
                 "Read this file instead of fusion.local.yaml (same format)");
  app.set_version_flag("--version", "fusion 0.1.0");
  std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> commands;
  for (const CommandEntry& entry : command_table()) {
    CLI::App* sub = app.add_subcommand(entry.name, entry.summary);
    commands.emplace_back(sub, entry.make());
    commands.back().second->configure(*sub);
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, io.out, io.err);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (auto& [sub, command] : commands) {
    if (sub->parsed()) return command->run(global, io);
  }
  return kExitUsage;
}

}  // namespace fusion
