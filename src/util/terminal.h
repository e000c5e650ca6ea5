#pragma once
// What the terminal can show.

#include <cstdio>

namespace fusion {

/// Colour on `stream`: only on a terminal, never with NO_COLOR set or TERM=dumb.
bool use_color(std::FILE* stream);

}  // namespace fusion
