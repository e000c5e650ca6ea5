#pragma once
// String helpers that know nothing of fusion's domain.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace fusion {

/// Edit distance between `a` and `b`: insertions, deletions, substitutions and swaps of two
/// adjacent characters cost 1 each (optimal string alignment).
size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if it is close enough to be a plausible typo: distance at
/// most max(2, |word| / 3) and smaller than |word|. Ties go to the earlier candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates);
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

/// True for an RFC 1123 DNS label as Kubernetes uses it: 1–63 of [a-z0-9-], alphanumeric at
/// both ends.
bool is_dns1123_label(std::string_view s);

std::vector<std::string_view> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
bool starts_with(std::string_view s, std::string_view prefix);

/// ASCII lower case.
std::string to_lower(std::string_view s);

/// `'a', 'b' and 'c'`: names quoted for a message.
std::string quoted_list(const std::vector<std::string>& names);

/// `text` with each byte that is not part of a well-formed UTF-8 sequence replaced by `?`.
std::string valid_utf8(std::string_view text);

/// One line of text any YAML or terminal reader takes: valid UTF-8 (see valid_utf8) with every
/// character YAML does not allow in a document (C0 and C1 controls but tab, U+FEFF, U+FFFE,
/// U+FFFF) and every line break replaced by `?`.
std::string printable_line(std::string_view text);

/// Splits a command line like a POSIX shell would, honouring '…', "…" and backslash; no
/// expansion. Returns an error for an unterminated quote.
Result<std::vector<std::string>> shell_split(std::string_view line);

/// The last `count` lines of `text` (trailing empty lines dropped), each ending in '\n'.
std::string tail_lines(const std::string& text, size_t count);

/// Each non-empty line of `text` behind `prefix`, each ending in '\n'.
std::string indent(const std::string& text, const std::string& prefix);

}  // namespace fusion
