#pragma once
// The stack's repositories: cloned, and on the branch the registry names. Reads what
// `fusion workspace status` reads (workspace/status.h).

#include <vector>

#include "doctor/check.h"
#include "workspace/status.h"

namespace fusion {

/// "repo.<name>": ok on the named branch (or any branch when the registry names none); warn
/// when detached, on another branch, or not cloned while no service runs from it locally; fail
/// when git cannot read it, or it is missing and a service must be built from it.
/// `local_services` are the services that run from local source.
CheckResult check_repo(const RepoStatus& status, const std::vector<std::string>& local_services);

}  // namespace fusion
