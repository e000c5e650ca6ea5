#pragma once
// Project detection over a whole tree: every folder that holds a project of a known type, a
// monorepo's subprojects each on their own, with what an existing Dockerfile declares and the
// backing services their client libraries point to. A folder nothing recognises is reported as
// unknown with the reason; detection never guesses from names.

#include <string>
#include <vector>

#include "detect/detection.h"
#include "detect/source_snapshot.h"

namespace fusion {

/// What one folder holds; `type` is empty when nothing was recognised (notes say why).
Detection detect_folder(const SourceSnapshot& snapshot, const std::string& folder,
                        const std::string& root_name);

/// Every project in the tree, outermost first. A project whose framework is known hides the
/// projects below it (a frontend folder inside a Django app); one whose framework is unknown
/// (a workspace root's package.json) gives way to those that are not static sites. A workspace's
/// members stand on their own, whatever their root is; its libraries are reported
/// (`library`), and hide nothing. Nothing recognised: one unknown Detection of the root.
std::vector<Detection> detect_projects(const SourceSnapshot& snapshot,
                                       const std::string& root_name);

/// A service name from a folder's name: lower case, runs of other characters as '-'.
std::string service_name_for(std::string_view folder_name);

}  // namespace fusion
