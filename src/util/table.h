#pragma once
// Plain-text tables as `status` commands print them: columns padded to their widest cell, two
// spaces apart, no trailing blanks.

#include <string>
#include <vector>

namespace fusion {

/// `rows[0]` is the header; every row has the same number of cells.
std::string render_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace fusion
