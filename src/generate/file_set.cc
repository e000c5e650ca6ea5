#include "generate/file_set.h"

#include <fmt/format.h>

namespace fusion {

std::string generated_header(std::string_view comment, std::string_view close) {
  return fmt::format("{} {}. Do not edit: change fusion.yaml and run `fusion generate`.{}\n",
                     comment, kGeneratedMarker, close.empty() ? "" : fmt::format(" {}", close));
}

bool is_generated_by_fusion(std::string_view text) {
  std::string_view first_line = text.substr(0, text.find('\n'));
  return first_line.find(kGeneratedMarker) != std::string_view::npos;
}

}  // namespace fusion
