#pragma once
// `fusion generate dockerfile [svc…]` and `fusion generate ci`: files written into the source
// tree rather than the output folder, each left alone once it is no longer fusion's.

#include <string>
#include <vector>

#include "cli/command.h"

namespace fusion {

struct ScaffoldOptions {
  std::vector<std::string> services;  ///< empty: every service built from local source
  std::string templates;              ///< --templates; empty: fusion-templates/ when present
  bool check = false;                 ///< write nothing; exit 1 when a file would change
};

int run_generate_dockerfile(const GlobalOptions& global, Streams& io,
                            const ScaffoldOptions& options);
int run_generate_ci(const GlobalOptions& global, Streams& io, const ScaffoldOptions& options);

}  // namespace fusion
