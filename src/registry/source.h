#pragma once
// Source files and positions in them. Every key and value fusion reads keeps a SourcePos so a
// diagnostic can point at the exact file, line and column, across fusion.yaml and its overlay.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fusion {

struct SourcePos {
  static constexpr uint32_t kNoFile = UINT32_MAX;
  uint32_t file = kNoFile;
  uint32_t line = 0;    ///< 1-based; 0 when unknown
  uint32_t column = 0;  ///< 1-based
  uint32_t length = 1;  ///< characters to underline

  bool known() const { return file != kNoFile && line > 0; }
  friend auto operator<=>(const SourcePos&, const SourcePos&) = default;
};

/// The files a registry was read from. Positions refer to files by index.
class SourceSet {
 public:
  uint32_t add(std::string path, std::string text);
  const std::string& path(uint32_t file) const { return files_[file].path; }
  const std::string& text(uint32_t file) const { return files_[file].text; }
  /// The text of 1-based `line` without its newline; empty when out of range.
  std::string_view line(uint32_t file, uint32_t line) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string path;
    std::string text;
  };
  std::vector<File> files_;
};

}  // namespace fusion
