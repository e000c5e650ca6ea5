#pragma once
// The packages a project declares, read from its manifest with the line that declares each:
// requirements.txt, pyproject.toml (PEP 621, PEP 735 groups and poetry), Pipfile, package.json,
// go.mod, Cargo.toml, pom.xml, build.gradle(.kts), Gemfile and *.csproj. JSON, TOML and XML
// manifests are read with real parsers (nlohmann-json, toml++, pugixml), so a compact or oddly
// laid-out file gives the same packages as a tidy one. Names are normalised the way each
// ecosystem compares them (Python: lower case, '_' and '.' as '-').

#include <string>
#include <string_view>
#include <vector>

#include "detect/source_snapshot.h"

namespace fusion {

struct Package {
  std::string name;
  Evidence evidence;
  bool dev = false;       ///< a development-only dependency (devDependencies, dev groups, …)
  bool indirect = false;  ///< go.mod `// indirect`: needed by a dependency, not by the code
};

struct Manifest {
  std::vector<Package> packages;
  std::string error;  ///< "pyproject.toml:3:7: …" when the file does not parse; empty if it did
};

/// The packages `manifest` (a path in `snapshot`) declares, in file order; the format is chosen
/// by the file's name. Unknown formats and missing files give none and no error.
Manifest read_manifest(const SourceSnapshot& snapshot, const std::string& manifest);

/// read_manifest's packages alone.
std::vector<Package> read_packages(const SourceSnapshot& snapshot, const std::string& manifest);

/// The first of `packages` whose name is `name`.
const Package* find_package(const std::vector<Package>& packages, std::string_view name);

}  // namespace fusion
