#pragma once
// `fusion new TEMPLATE NAME`: a new service's folder from a template shipped with fusion
// (templates/new/<template>/, each file a mustache template) or a team's own.

#include <string>
#include <vector>

#include "detect/detection.h"
#include "generate/file_set.h"
#include "generate/templates.h"
#include "util/result.h"

namespace fusion {

/// The templates available: "go-http", "node-http", "python-http", and a team's.
std::vector<std::string> service_templates(const Templates& templates);

/// The files of `template_name` for service `name`, by path inside the new folder.
Result<FileSet> render_service_template(const Templates& templates,
                                        const std::string& template_name, const std::string& name);

/// The registry lines for a new service built from `folder` (relative to fusion.yaml), with the
/// port and health path detection found in its files.
std::vector<std::string> new_service_entry(const Detection& detection, const std::string& folder,
                                           const std::string& template_name);

}  // namespace fusion
