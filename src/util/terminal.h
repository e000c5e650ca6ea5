#pragma once
// What the terminal can show.

#include <cstdio>

namespace fusion {

/// Colour on `stream`: only on a terminal, never with NO_COLOR set or TERM=dumb.
bool use_color(std::FILE* stream);

/// A terminal that can rewrite a line in place: a TTY whose TERM is not "dumb".
bool is_smart_terminal(std::FILE* stream);

/// Columns of the terminal `stream` writes to; 0 when it is not a terminal or does not say.
unsigned terminal_width(std::FILE* stream);

}  // namespace fusion
