#include "util/terminal.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace fusion {

bool use_color(std::FILE* stream) {
  if (std::getenv("NO_COLOR") != nullptr) return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
  return isatty(fileno(stream)) != 0;
}

}  // namespace fusion
