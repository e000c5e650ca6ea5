#pragma once
// SERVICES.md: a table of every service (image or source, phase, ports, dependencies, URL) and
// the dependency graph as a Mermaid diagram, for people rather than tools.

#include "generate/context.h"
#include "generate/file_set.h"
#include "generate/templates.h"

namespace fusion {

Result<FileSet> generate_inventory(const GenerateContext& ctx, const Templates& templates);

}  // namespace fusion
