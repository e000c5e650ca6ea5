#pragma once
// Adding a service to a hand-kept fusion.yaml by inserting its text at the end of the
// `services` map: every other byte of the file (comments, order, quoting, blank lines) stays
// as it was. Re-emitting the whole document would lose all of that.

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace fusion {

/// `registry_text` with service `name` added; `body` holds the service's lines, indented
/// relative to the service ("path: x", "env:", "  A: b"). Fails when the text does not parse,
/// the service exists, or `services` is written in flow style (`services: { … }`).
Result<std::string> insert_service(std::string_view registry_text, std::string_view name,
                                   const std::vector<std::string>& body);

}  // namespace fusion
