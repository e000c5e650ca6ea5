#pragma once
// Query strings of API calls: selectors hold '=', ',', '!' and spaces, so values are
// percent-encoded.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fusion {

std::string url_encode(std::string_view text);
/// "?a=1&b=2" from the pairs whose value is not empty; "" when all are.
std::string url_query(const std::vector<std::pair<std::string, std::string>>& parameters);

}  // namespace fusion
