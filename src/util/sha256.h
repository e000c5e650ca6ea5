#pragma once
// SHA-256 through OpenSSL, for digests other tools must compute the same way (kubectl's
// ApplySet id) and, with a key, for webhook signatures (HMAC-SHA256).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace fusion {

using Sha256Digest = std::array<uint8_t, 32>;

/// The SHA-256 of `bytes`.
Sha256Digest sha256(std::string_view bytes);

/// HMAC-SHA256 of `bytes` under `key`.
Sha256Digest hmac_sha256(std::string_view key, std::string_view bytes);

/// Lower-case hex of a digest.
std::string to_hex(const Sha256Digest& digest);

}  // namespace fusion
