#pragma once
// The packages a project declares, read from its manifest with the line that declares each:
// requirements.txt, pyproject.toml (PEP 621 and poetry), Pipfile, package.json, go.mod,
// Cargo.toml, pom.xml, build.gradle(.kts), Gemfile and *.csproj. Names are normalised the way
// each ecosystem compares them (Python: lower case, '_' and '.' as '-').

#include <string>
#include <string_view>
#include <vector>

#include "detect/source_snapshot.h"

namespace fusion {

struct Package {
  std::string name;
  Evidence evidence;
};

/// The packages `manifest` (a path in `snapshot`) declares, in file order; the format is chosen
/// by the file's name. Unknown formats and unreadable files give none.
std::vector<Package> read_packages(const SourceSnapshot& snapshot, const std::string& manifest);

/// The first of `packages` whose name is `name`.
const Package* find_package(const std::vector<Package>& packages, std::string_view name);

}  // namespace fusion
