#pragma once
// `diff -u`-style text of the change from `before` to `after`, with a/ and b/ path headers
// (empty `before` is a new file, empty `after` a removed one), as `fusion generate --check`
// prints it.

#include <string>
#include <string_view>

namespace fusion {

std::string unified_diff(std::string_view path, std::string_view before, std::string_view after);

}  // namespace fusion
