#include "util/strings.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace fusion {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus adjacent transpositions, in three rolling rows.
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  std::iota(previous.begin(), previous.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, row);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates) {
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    size_t d = edit_distance(word, candidate);
    if (d < best_distance && d < word.size()) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return closest_match(word, std::span<const std::string_view>(views));
}

bool is_dns1123_label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-'; });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += (i + 1 == names.size()) ? " and " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

Result<std::vector<std::string>> shell_split(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < line.size()) {
        word += line[++i];
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote) return Error{fmt::format("unterminated {} quote", quote == '"' ? "double" : "single")};
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {

/// The length of the well-formed UTF-8 sequence at text[i], or 0.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
  if (length == 0 || lead > 0xf4 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  unsigned char second = byte(i + 1);
  if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) ||  // overlong, surrogate
      (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f)) {  // overlong, > U+10FFFF
    return 0;
  }
  return length;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += '?';
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string printable_line(std::string_view text) {
  std::string valid = valid_utf8(text), out;
  out.reserve(valid.size());
  for (size_t i = 0; i < valid.size();) {
    size_t length = utf8_sequence_length(valid, i);
    uint32_t cp = static_cast<unsigned char>(valid[i]);
    if (length == 2) cp = ((cp & 0x1f) << 6) | (static_cast<unsigned char>(valid[i + 1]) & 0x3f);
    if (length == 3) {
      cp = ((cp & 0x0f) << 12) | ((static_cast<unsigned char>(valid[i + 1]) & 0x3f) << 6) |
           (static_cast<unsigned char>(valid[i + 2]) & 0x3f);
    }
    bool control = (cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f);
    bool not_allowed = cp == 0xfeff || cp == 0xfffe || cp == 0xffff;
    if (control || not_allowed) {
      out += '?';
    } else {
      out.append(valid, i, length);
    }
    i += length;
  }
  return out;
}

std::string tail_lines(const std::string& text, size_t count) {
  std::vector<std::string_view> lines = split(text, '\n');
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  size_t first = lines.size() > count ? lines.size() - count : 0;
  std::string out;
  for (size_t i = first; i < lines.size(); ++i) out += std::string(lines[i]) + "\n";
  return out;
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  for (std::string_view line : split(text, '\n')) {
    if (!line.empty()) out += prefix + std::string(line) + "\n";
  }
  return out;
}

}  // namespace fusion
