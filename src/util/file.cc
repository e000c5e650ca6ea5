#include "util/file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fusion {

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path.string() + ": " + std::strerror(errno)};
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return Error{path.string() + ": read failed"};
  return contents.str();
}

}  // namespace fusion
