#pragma once
// Base64 (RFC 4648, the standard alphabet with padding), as Kubernetes writes certificate data
// in kubeconfig files and the values of Secrets.

#include <optional>
#include <string>
#include <string_view>

namespace fusion {

std::string base64_encode(std::string_view bytes);
/// The bytes, or nullopt when `text` is not base64. Whitespace (line breaks) is skipped.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace fusion
