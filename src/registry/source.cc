#include "registry/source.h"

namespace fusion {

uint32_t SourceSet::add(std::string path, std::string text) {
  files_.push_back({std::move(path), std::move(text)});
  return static_cast<uint32_t>(files_.size() - 1);
}

std::string_view SourceSet::line(uint32_t file, uint32_t line) const {
  if (file >= files_.size() || line == 0) return {};
  std::string_view text = files_[file].text;
  size_t start = 0;
  for (uint32_t i = 1; i < line; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  size_t end = text.find('\n', start);
  std::string_view result = text.substr(start, end == std::string_view::npos ? end : end - start);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  return result;
}

}  // namespace fusion
