#pragma once
// Every generator fusion has, each owning a part of the output folder, so `fusion generate X`
// rewrites and prunes X's files and nothing else.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "generate/context.h"
#include "generate/file_set.h"
#include "generate/templates.h"

namespace fusion {

struct GenerateOptions {
  bool single_compose = false;
  Templates templates;
};

struct Generator {
  std::string_view name;
  std::string_view summary;
  std::string_view owns;  ///< the output path, or folder ending in '/', it writes
  Result<FileSet> (*run)(const GenerateContext& ctx, const GenerateOptions& options);

  bool owns_path(std::string_view path) const {
    return owns.back() == '/' ? path.starts_with(owns) : path == owns;
  }
};

const std::vector<Generator>& generators();

/// Runs the named generators (all of them when `names` is empty) and merges their files.
Result<FileSet> run_generators(const GenerateContext& ctx, const GenerateOptions& options,
                               const std::vector<std::string>& names = {});

}  // namespace fusion
