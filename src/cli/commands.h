#pragma once
// The factories of every command; the table in commands.cc is the one place that lists them.

#include <memory>

#include "cli/command.h"

namespace fusion {

std::unique_ptr<Command> make_validate_command();
std::unique_ptr<Command> make_graph_command();
std::unique_ptr<Command> make_plan_command();
std::unique_ptr<Command> make_generate_command();
std::unique_ptr<Command> make_secrets_command();
std::unique_ptr<Command> make_schema_command();
std::unique_ptr<Command> make_workspace_command();
std::unique_ptr<Command> make_dir_command();
std::unique_ptr<Command> make_detect_command();
std::unique_ptr<Command> make_import_command();
std::unique_ptr<Command> make_init_command();
std::unique_ptr<Command> make_new_command();
std::unique_ptr<Command> make_up_command();
std::unique_ptr<Command> make_down_command();
std::unique_ptr<Command> make_restart_command();
std::unique_ptr<Command> make_status_command();
std::unique_ptr<Command> make_logs_command();
std::unique_ptr<Command> make_forward_command();
std::unique_ptr<Command> make_gitops_command();
std::unique_ptr<Command> make_doctor_command();

}  // namespace fusion
