#pragma once
// .env.example: every variable the stack reads (${VAR} in env values, images and commands),
// with its default, whether it is required, and which services use it; secrets are listed by
// name only, as things that do not belong in .env.

#include "generate/context.h"
#include "generate/file_set.h"
#include "generate/templates.h"

namespace fusion {

Result<FileSet> generate_env_example(const GenerateContext& ctx, const Templates& templates);

}  // namespace fusion
